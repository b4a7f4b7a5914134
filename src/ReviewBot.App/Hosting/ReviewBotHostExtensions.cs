using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReviewBot.App.Operations;
using ReviewBot.App.Queue;
using ReviewBot.App.Webhooks;
using ReviewBot.App.Worker;

namespace ReviewBot.App.Hosting;

/// <summary>The whole App in two calls: services, then endpoints.</summary>
public static class ReviewBotHostExtensions
{
    public static WebApplicationBuilder AddReviewBot(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddReviewBotOptions(configuration);
        services.AddReviewBotGitHub();
        services.AddReviewBotQueue(configuration);
        services.AddReviewBotState(configuration);
        services.AddScoped<ReviewRunner>();
        services.AddSingleton<ReviewWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ReviewWorker>());
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);
        builder.AddReviewBotProduction();
        return builder;
    }

    public static WebApplication MapReviewBot(this WebApplication app)
    {
        app.MapPost(WebhookEndpoint.Path, WebhookEndpoint.HandleAsync);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }); // live: the process answers
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapReviewBotProduction();
        return app;
    }

    /// <summary>Ready when the worker runs and the queue answers.</summary>
    private sealed class ReadinessCheck(ReviewWorker worker, IWorkQueue queue) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!worker.IsRunning)
            {
                return HealthCheckResult.Unhealthy("the worker has not started");
            }

            try
            {
                int depth = await queue.GetDepthAsync(cancellationToken);
                return HealthCheckResult.Healthy($"queue depth {depth}");
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("the queue does not answer", e);
            }
        }
    }
}
