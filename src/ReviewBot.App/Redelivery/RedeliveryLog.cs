namespace ReviewBot.App.Redelivery;

/// <summary>Redelivery log messages: delivery GUIDs and events, never a payload.</summary>
internal static partial class RedeliveryLog
{
    [LoggerMessage(2211, LogLevel.Information, "Redelivery: asked GitHub to deliver {Guid} ({Event}) again; its last attempt got {Status}")]
    public static partial void Redelivered(ILogger logger, string guid, string @event, int status);

    [LoggerMessage(2212, LogLevel.Warning, "Redelivery: GitHub refused to redeliver {Guid} ({Status}); tried again on this replica's next run")]
    public static partial void NotRedelivered(ILogger logger, string guid, int status);

    [LoggerMessage(2213, LogLevel.Information, "Redelivery: {Attempts} delivery attempts listed, {Failed} events never delivered, {Asked} redeliveries asked for")]
    public static partial void Ran(ILogger logger, int attempts, int failed, int asked);

    [LoggerMessage(2201, LogLevel.Warning, "Redelivery: the run could not be queued ({Error}); tried again in {Interval}")]
    public static partial void NotQueued(ILogger logger, string error, TimeSpan interval);
}
