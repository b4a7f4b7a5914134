using ReviewBot.App.Webhooks;

namespace ReviewBot.App.Operations;

/// <summary>
/// Puts the delivery id and event in the logging scope (and trace) of every webhook request, and counts
/// deliveries by event and the status we answered. The headers are unsigned and anyone's: a value not shaped
/// like GitHub's is recorded as "invalid" (no newline reaches a log line), and the metric's event tag takes
/// only the events the App handles, so random event names cannot grow its series without bound.
/// </summary>
internal sealed class WebhookScopeMiddleware(RequestDelegate next, ILogger<WebhookScopeMiddleware> logger)
{
    private const string Invalid = "invalid";

    private static readonly HashSet<string> CountedEvents = new(StringComparer.Ordinal) { "ping", "pull_request", "check_run", "check_suite" };

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.Equals(WebhookEndpoint.Path, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var delivery = context.Request.Headers["X-GitHub-Delivery"].ToString();
        var eventName = context.Request.Headers["X-GitHub-Event"].ToString();
        delivery = WebhookEndpoint.IsDeliveryId(delivery) ? delivery : Invalid;
        eventName = WebhookEndpoint.IsEventName(eventName) ? eventName : Invalid;
        System.Diagnostics.Activity.Current?.SetTag("github.delivery", delivery).SetTag("github.event", eventName);
        using (logger.BeginScope(new Dictionary<string, object?> { ["DeliveryId"] = delivery, ["Event"] = eventName }))
        {
            try
            {
                await next(context);
            }
            finally
            {
                ReviewBotTelemetry.Deliveries.Add(1,
                    new KeyValuePair<string, object?>("event", CountedEvents.Contains(eventName) ? eventName : "other"),
                    new KeyValuePair<string, object?>("http.response.status_code", context.Response.StatusCode));
            }
        }
    }
}
