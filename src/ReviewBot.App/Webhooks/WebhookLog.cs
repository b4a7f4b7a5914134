namespace ReviewBot.App.Webhooks;

/// <summary>Webhook log messages. Never the signature, the secret or the payload.</summary>
internal sealed partial class WebhookLog
{
    // 1001 (a line per unsigned request) is gone: WebhookRejections logs a sampled summary instead.

    [LoggerMessage(1002, LogLevel.Warning, "Malformed delivery {DeliveryId} ({Event}): {Error}")]
    public static partial void Malformed(ILogger logger, string deliveryId, string @event, string error);

    [LoggerMessage(1003, LogLevel.Information, "Ignored delivery {DeliveryId} ({Event}): {Reason}")]
    public static partial void Ignored(ILogger logger, string deliveryId, string @event, string reason);

    [LoggerMessage(1004, LogLevel.Information, "Delivery {DeliveryId} was received before; not processed again")]
    public static partial void Redelivery(ILogger logger, string deliveryId);

    [LoggerMessage(1005, LogLevel.Information, "Delivery {DeliveryId}: queued review of {PullRequest} at {HeadSha} ({Reason})")]
    public static partial void Enqueued(ILogger logger, string deliveryId, string pullRequest, string headSha, string reason);

    [LoggerMessage(1006, LogLevel.Error, "Delivery {DeliveryId}: the work could not be queued ({Reason}); answered 503 and did not record the delivery, so a redelivery is taken")]
    public static partial void QueueFull(ILogger logger, string deliveryId, string reason);

    [LoggerMessage(1007, LogLevel.Warning, "Delivery {DeliveryId}: its work is queued but the delivery could not be recorded ({Reason}); a redelivery's copy of the work will be dropped by the worker")]
    public static partial void NotRecorded(ILogger logger, string deliveryId, string reason);

    [LoggerMessage(1010, LogLevel.Warning, "Webhook door: turned away {Count} request(s) ({Reason}) since {Since:O}; at most one such line a minute, the metric reviewbot.webhook.rejected counts each")]
    public static partial void Rejections(ILogger logger, long count, string reason, DateTimeOffset since);
}
