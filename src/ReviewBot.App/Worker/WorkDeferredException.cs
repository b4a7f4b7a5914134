namespace ReviewBot.App.Worker;

/// <summary>
/// Thrown by a runner whose work must wait (onboarding's write budget is spent): the worker puts the item back in
/// the queue, visible again after <see cref="Delay"/>, and does not count it as a failure, so a long wait never
/// dead-letters it. The wait is in the queue (durable with Azure Storage), never in memory.
/// </summary>
public sealed class WorkDeferredException(TimeSpan delay, string reason) : Exception(reason)
{
    public TimeSpan Delay { get; } = delay;
}
