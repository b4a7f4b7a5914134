using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReviewBot.App.Onboarding;
using ReviewBot.App.Operations;
using ReviewBot.App.Queue;
using ReviewBot.App.Redelivery;
using ReviewBot.App.Setup;
using ReviewBot.App.State;
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
        if (IsSetupOnly(configuration))
        {
            services.AddReviewBotSetup(configuration);
            services.AddHealthChecks();
            return builder;
        }

        services.AddReviewBotOptions(configuration);
        services.AddReviewBotWebhooks(configuration);
        services.AddReviewBotGitHub();
        services.AddReviewBotQueue(configuration);
        services.AddReviewBotState(configuration);
        services.AddReviewBotOnboarding(configuration);
        services.AddReviewBotRedelivery(configuration);
        services.AddReviewBotWorker();
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);
        builder.AddReviewBotProduction();
        return builder;
    }

    public static WebApplication MapReviewBot(this WebApplication app)
    {
        if (IsSetupOnly(app.Configuration))
        {
            // No webhook endpoint at all: without a secret it would have to accept unsigned deliveries.
            app.Logger.LogWarning("Setup only: GitHub:AppId and GitHub:WebhookSecret are not set, so only /setup and /healthz are served. Create the App at /setup, store its settings, and restart.");
            app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
            app.MapReviewBotSetup();
            return app;
        }

        // The App exists: /setup is not mapped (404), so nobody can start registering another one here.
        app.MapReviewBotProduction();
        app.MapReviewBotWebhooks();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }); // live: the process answers
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    /// <summary>
    /// First run: the setup page is enabled and the App does not exist yet (no App ID and no webhook secret).
    /// Then the service serves only what creates the App; any other gap in the settings still stops it.
    /// </summary>
    private static bool IsSetupOnly(IConfiguration configuration) =>
        configuration.GetValue<bool>("Setup:Enabled")
        && string.IsNullOrWhiteSpace(configuration["GitHub:AppId"])
        && string.IsNullOrWhiteSpace(configuration["GitHub:WebhookSecret"]);

    /// <summary>Ready when the worker runs and the queue answers.</summary>
    private sealed class ReadinessCheck(QueueWorker worker, IWorkQueue queue) : IHealthCheck
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
