using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.App.State;

namespace ReviewBot.App.Webhooks;

/// <summary>
/// POST /api/github/webhooks. Our own endpoint rather than Octokit.Webhooks.AspNetCore's MapGitHubWebhooks:
/// that one answers 200 (not 202) after the processor and deserializes the whole typed payload, where a
/// value it does not know becomes a 500. Signature checking is still the package's validator.
/// The endpoint only validates, records the delivery, enqueues and answers; the worker does the rest.
/// </summary>
internal static class WebhookEndpoint
{
    public const string Path = "/api/github/webhooks";

    /// <summary>GitHub: webhook payloads are capped at 25 MB.</summary>
    public const int MaxPayloadBytes = 25 * 1024 * 1024;

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        IOptions<GitHubOptions> options,
        IStateStore state,
        IWorkQueue queue,
        ILogger<WebhookLog> logger)
    {
        var headers = context.Request.Headers;
        string eventName = headers["X-GitHub-Event"].ToString();
        string deliveryId = headers["X-GitHub-Delivery"].ToString();
        if (eventName.Length == 0 || deliveryId.Length == 0)
        {
            return Results.BadRequest("X-GitHub-Event and X-GitHub-Delivery are required.");
        }

        if (context.Request.ContentLength > MaxPayloadBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var signature = headers["X-Hub-Signature-256"].ToString();
        var verdict = WebhookSignatureValidator.Verify(signature, options.Value.WebhookSecret, body);
        if (verdict != WebhookSignatureValidationResult.Valid)
        {
            WebhookLog.Rejected(logger, deliveryId, eventName, verdict.ToString());
            return Results.Unauthorized();
        }

        if (eventName == "ping")
        {
            return Results.Ok("pong");
        }

        WebhookDecision decision;
        try
        {
            using var json = JsonDocument.Parse(body);
            decision = WebhookRouter.Route(eventName, deliveryId, json.RootElement);
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

        if (!await state.TryRecordDeliveryAsync(deliveryId, context.RequestAborted))
        {
            WebhookLog.Redelivery(logger, deliveryId);
            return Results.Ok("already received");
        }

        foreach (var item in decision.Work)
        {
            await PullRequestStates.RequestAsync(state, item, context.RequestAborted);
            try
            {
                await queue.EnqueueAsync(item, context.RequestAborted);
            }
            catch (QueueFullException)
            {
                WebhookLog.QueueFull(logger, deliveryId);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            WebhookLog.Enqueued(logger, deliveryId, item.PullRequestKey, item.HeadSha, item.Reason);
        }

        return Results.Accepted();
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var rented = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(rented, cancellationToken)) > 0)
            {
                if (buffer.WrittenCount + read > MaxPayloadBytes)
                {
                    return null;
                }

                buffer.Write(rented.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
