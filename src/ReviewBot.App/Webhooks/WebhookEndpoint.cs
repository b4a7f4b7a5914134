using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ReviewBot.App.Queue;
using ReviewBot.App.State;

namespace ReviewBot.App.Webhooks;

/// <summary>
/// POST /api/github/webhooks. Our own endpoint rather than Octokit.Webhooks.AspNetCore's MapGitHubWebhooks:
/// that one answers 200 (not 202) after the processor and deserializes the whole typed payload, where a
/// value it does not know becomes a 500. Signature checking (in <see cref="WebhookDoor"/>) is still the package's validator.
/// The endpoint only validates, enqueues, records the delivery and answers; the worker does the rest.
/// </summary>
internal static partial class WebhookEndpoint
{
    public const string Path = "/api/github/webhooks";

    /// <summary>
    /// Largest body read. GitHub caps payloads at 25 MB, but the events we act on are far smaller: a
    /// pull_request payload is bounded by GitHub's own limits (body ≤ 65,536 characters, ≤ 100 requested
    /// reviewers, ≤ 100 labels) to well under 1 MiB. Anything larger is answered 413 before it is buffered
    /// whole (by <see cref="WebhookDoor"/>), so bodies being read × this cap bounds the endpoint's memory.
    /// </summary>
    public const int MaxPayloadBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Nesting accepted in a payload. GitHub's payloads nest about ten deep; this is System.Text.Json's default,
    /// kept explicit so a deeply nested body is a 400, never a stack overflow.
    /// </summary>
    public const int MaxJsonDepth = 64;

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        IStateStore state,
        IWorkQueue queue,
        IOptions<Onboarding.OnboardingOptions> onboarding,
        ILogger<WebhookLog> logger)
    {
        // The door (WebhookDoor) checked the headers, read the body and verified its signature before this request
        // could take a slot; without its mark nothing here is trusted.
        if (context.Features.Get<SignedWebhookBody>() is not { Body: var body })
        {
            return Results.Unauthorized();
        }

        var headers = context.Request.Headers;
        string eventName = headers["X-GitHub-Event"].ToString();
        string deliveryId = headers["X-GitHub-Delivery"].ToString();
        if (eventName == "ping")
        {
            return Results.Ok("pong");
        }

        WebhookDecision decision;
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            decision = WebhookRouter.Route(eventName, deliveryId, json.RootElement, onboarding.Value.Enabled);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            WebhookLog.Malformed(logger, deliveryId, eventName, e.GetType().Name);
            return Results.BadRequest("The payload is not a webhook payload this App understands.");
        }

        if (decision.IgnoredBecause is { } reason)
        {
            WebhookLog.Ignored(logger, deliveryId, eventName, reason);
            return Results.Ok("ignored: " + reason);
        }

        if (await state.HasDeliveryAsync(deliveryId, context.RequestAborted))
        {
            WebhookLog.Redelivery(logger, deliveryId);
            return Results.Ok("already received");
        }

        // Queue first, record after: a crash in between leaves the delivery unrecorded, so GitHub's redelivery
        // is taken; the copy it queues is dropped by the DeduplicatingWorkQueue if the first copy was queued.
        foreach (var item in decision.Work)
        {
            // The newest head asked for supersedes older reviews and branch checks; onboarding reads the default
            // branch when it runs, so its items have no head to record (and a delivery spares the store's round trip).
            if (item is HeadWork head)
            {
                await PullRequestStates.RequestAsync(state, head, context.RequestAborted);
            }

            try
            {
                await queue.EnqueueAsync(item, context.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is recorded yet, so GitHub's redelivery (or a manual one) is taken: say 503.
                WebhookLog.QueueFull(logger, deliveryId, e.GetType().Name);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            WebhookLog.Enqueued(logger, deliveryId, item.Key, (item as HeadWork)?.HeadSha ?? "", item.Reason);
        }

        try
        {
            await state.TryRecordDeliveryAsync(deliveryId, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The work is queued, which is what matters; a redelivery would only queue a copy that is dropped.
            WebhookLog.NotRecorded(logger, deliveryId, e.GetType().Name);
        }

        return Results.Accepted();
    }

    /// <summary>GitHub's event names: lowercase words joined by underscores.</summary>
    public static bool IsEventName(string value) => EventName().IsMatch(value);

    /// <summary>GitHub's delivery ids are GUIDs; letters, digits and dashes, kept short, is what any key may hold.</summary>
    public static bool IsDeliveryId(string value) => DeliveryId().IsMatch(value);

    [GeneratedRegex("^[a-z_]{1,64}\\z")]
    private static partial Regex EventName();

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}\\z")]
    private static partial Regex DeliveryId();
}
