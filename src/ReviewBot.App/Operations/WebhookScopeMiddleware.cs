using ReviewBot.App.Webhooks;

namespace ReviewBot.App.Operations;

/// <summary>
/// Puts the delivery id and event in the logging scope (and trace) of every webhook request, and counts
/// deliveries by event and the status we answered.
/// </summary>
internal sealed class WebhookScopeMiddleware(RequestDelegate next, ILogger<WebhookScopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.Equals(WebhookEndpoint.Path, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var delivery = context.Request.Headers["X-GitHub-Delivery"].ToString();
        var eventName = context.Request.Headers["X-GitHub-Event"].ToString();
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
                    new KeyValuePair<string, object?>("event", eventName.Length == 0 ? "none" : eventName),
                    new KeyValuePair<string, object?>("http.response.status_code", context.Response.StatusCode));
            }
        }
    }
}
