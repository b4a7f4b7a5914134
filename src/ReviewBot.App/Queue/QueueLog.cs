namespace ReviewBot.App.Queue;

internal static partial class QueueLog
{
    [LoggerMessage(1101, LogLevel.Information, "Work item {MessageId} is a second copy of delivery {DeliveryId} for {PullRequest} (a redelivery after a crash); dropped, the first copy does the review")]
    public static partial void DroppedCopy(ILogger logger, string messageId, string deliveryId, string pullRequest);

    [LoggerMessage(1102, LogLevel.Warning, "Work item {MessageId}: its claim could not be checked ({Error}); put back to try again")]
    public static partial void ClaimFailed(ILogger logger, string messageId, string error);
}
