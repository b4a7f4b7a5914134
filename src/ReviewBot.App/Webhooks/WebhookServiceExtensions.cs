using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReviewBot.App.Webhooks;

/// <summary>The webhook endpoint, the door in front of it and the limit on its work slots.</summary>
internal static class WebhookServiceExtensions
{
    private const string ConcurrencyPolicy = "webhooks";

    public static IServiceCollection AddReviewBotWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>>(new ProblemsValidator());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebhookRejections>();

        // Every endpoint Kestrel listens on (from URLs too) caps one address's connections.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<WebhookOptions>, WebhookRejections>((kestrel, webhook, rejections) =>
        {
            var cap = new ConnectionsPerAddress(webhook.Value.MaxConnectionsPerAddress, rejections);
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(cap.Wrap));
        });

        // 503, not the limiter's default 429: GitHub's delivery log reads it as "the service is busy".
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<WebhookRejections>().Record(RejectionReason.Busy);
                return ValueTask.CompletedTask;
            };
        });
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
        // The door first: only a signed delivery reaches the limiter and takes a slot.
        app.UseMiddleware<WebhookDoor>();
        app.UseRateLimiter();
        app.MapPost(WebhookEndpoint.Path, WebhookEndpoint.HandleAsync).RequireRateLimiting(ConcurrencyPolicy);
        return app;
    }

    private sealed class ProblemsValidator : IValidateOptions<WebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
            options.Validate().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
