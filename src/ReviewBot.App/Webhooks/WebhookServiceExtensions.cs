using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ReviewBot.App.Webhooks;

/// <summary>The webhook endpoint and the limit in front of it.</summary>
internal static class WebhookServiceExtensions
{
    private const string ConcurrencyPolicy = "webhooks";

    public static IServiceCollection AddReviewBotWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        // 503, not the limiter's default 429: GitHub's delivery log reads it as "the service is busy".
        services.AddRateLimiter(o => o.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable);
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<WebhookOptions>>((limiter, webhook) =>
            limiter.AddConcurrencyLimiter(ConcurrencyPolicy, c =>
            {
                c.PermitLimit = webhook.Value.MaxConcurrentRequests;
                c.QueueLimit = webhook.Value.MaxQueuedRequests;
                c.QueueProcessingOrder = System.Threading.RateLimiting.QueueProcessingOrder.OldestFirst;
            }));
        return services;
    }

    public static WebApplication MapReviewBotWebhooks(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapPost(WebhookEndpoint.Path, WebhookEndpoint.HandleAsync).RequireRateLimiting(ConcurrencyPolicy);
        return app;
    }
}
