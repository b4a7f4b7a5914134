using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReviewBot.App.Secrets;

namespace ReviewBot.App.Operations;

/// <summary>Production concerns in one pair of calls: logs, telemetry, shutdown.</summary>
public static class ProductionExtensions
{
    /// <summary>Standard OpenTelemetry variable; when set, traces and metrics are exported over OTLP.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Azure Container Apps (like Kubernetes) waits 30 s after SIGTERM before killing; drain within that.</summary>
    private static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(25);

    public static WebApplicationBuilder AddReviewBotProduction(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // The App key in Azure Key Vault (GitHub:SigningKeyUri or GitHub:PrivateKeySecretUri) replaces the local PEM signer.
        if (builder.Configuration.UsesKeyVaultSigning())
        {
            services.AddKeyVaultSigning(builder.Configuration);
        }

        // ASP.NET Core's per-request lines (six per delivery at Information) cost more than the webhook's own
        // work under load; keep its warnings unless the configuration says otherwise.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }

        // The same for the GitHub client: IHttpClientFactory and Polly write four lines per call at Information;
        // retries and failures still show as warnings, and our own lines say what each review did.
        foreach (string category in new[] { "System.Net.Http.HttpClient", "Polly" })
        {
            if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
            {
                builder.Logging.AddFilter(category, LogLevel.Warning);
            }
        }

        // One JSON object per line, with the scopes (delivery id, repository…) and trace ids on each.
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
            builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        }

        services.AddHostedService<GitHubCallMeter>();
        services.AddHostedService<QueueDepthGauge>();
        services.Configure<HostOptions>(o =>
        {
            if (o.ShutdownTimeout < DefaultShutdownTimeout)
            {
                o.ShutdownTimeout = DefaultShutdownTimeout;
            }
        });

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService(ReviewBotTelemetry.Name))
                .WithTracing(t => t.AddSource(ReviewBotTelemetry.Name, "Microsoft.AspNetCore", "System.Net.Http").AddOtlpExporter())
                .WithMetrics(m => m.AddMeter(ReviewBotTelemetry.Name, "System.Net.Http", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel").AddOtlpExporter());
        }

        return builder;
    }

    public static WebApplication MapReviewBotProduction(this WebApplication app)
    {
        app.UseMiddleware<WebhookScopeMiddleware>();
        return app;
    }
}
