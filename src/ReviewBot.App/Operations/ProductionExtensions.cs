using ReviewBot.App.Setup;

namespace ReviewBot.App.Operations;

/// <summary>Production concerns in one pair of calls: the setup page, logs, telemetry, shutdown.</summary>
public static class ProductionExtensions
{
    public static WebApplicationBuilder AddReviewBotProduction(this WebApplicationBuilder builder)
    {
        builder.Services.AddReviewBotSetup(builder.Configuration);
        return builder;
    }

    public static WebApplication MapReviewBotProduction(this WebApplication app)
    {
        app.MapReviewBotSetup();
        return app;
    }
}
