namespace ReviewBot.App.Worker;

/// <summary>
/// Thrown by a runner whose work must wait (onboarding's write budget is spent). The worker schedules a
/// continuation of the item in the queue, visible after <see cref="Delay"/>, and completes this message: waiting is
/// not a failure, and a fresh message's attempts start again, so a long wait never reaches the dead-letter limit
/// (Azure moves a message handed out more than Queue:MaxDequeueCount times to the poison queue). The wait is in
/// the queue (durable with Azure Storage), never in memory.
/// </summary>
public sealed class WorkDeferredException(TimeSpan delay, string reason) : Exception(reason)
{
    /// <summary>Separates a delivery id from its continuation number; GitHub's delivery ids never hold it.</summary>
    private const char ContinuationMark = '~';

    public TimeSpan Delay { get; } = delay;

    /// <summary>
    /// The delivery id of the next continuation: each gets its own, so the deduplicating queue takes it as new work,
    /// while two copies of the same continuation (a crash between scheduling and completing) are still one.
    /// </summary>
    public static string NextDeliveryId(string deliveryId)
    {
        int mark = deliveryId.LastIndexOf(ContinuationMark);
        int next = mark >= 0 && int.TryParse(deliveryId.AsSpan(mark + 1), out var n) ? n + 1 : 1;
        return $"{OriginalDeliveryId(deliveryId)}{ContinuationMark}{next}";
    }

    /// <summary>The webhook's delivery id behind a continuation (itself for the first message).</summary>
    public static string OriginalDeliveryId(string deliveryId)
    {
        int mark = deliveryId.IndexOf(ContinuationMark, StringComparison.Ordinal);
        return mark >= 0 ? deliveryId[..mark] : deliveryId;
    }
}
