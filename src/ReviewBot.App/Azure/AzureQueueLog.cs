using Microsoft.Extensions.Logging;

namespace ReviewBot.App.Azure;

internal static partial class AzureQueueLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error,
        Message = "Work item {MessageId} moved to poison queue {PoisonQueue} after {DequeueCount} dequeues: {Reason}")]
    public static partial void MovedToPoison(ILogger logger, string messageId, string poisonQueue, long dequeueCount, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "Work item {MessageId} was taken by another worker before it could be {Operation}; that worker will finish it")]
    public static partial void LostMessage(ILogger logger, string messageId, string operation);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "Work item {MessageId} held for {Lease}, longer than Queue:MaxLease; no longer renewing it so it comes back")]
    public static partial void LeaseExpired(ILogger logger, string messageId, TimeSpan lease);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning,
        Message = "Renewing work item {MessageId} failed; retrying")]
    public static partial void RenewFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning,
        Message = "Reading queue {Queue} failed; retrying in {Delay}")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, string queue, TimeSpan delay);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning,
        Message = "Work item {MessageId} could not be {Operation} (storage unavailable, attempt {Attempt}); retrying")]
    public static partial void SettleRetry(ILogger logger, string messageId, string operation, int attempt);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error,
        Message = "Work item {MessageId} could not be {Operation}; storage stayed unavailable. It will come back after its visibility timeout and run again")]
    public static partial void SettleGaveUp(ILogger logger, Exception exception, string messageId, string operation);
}
