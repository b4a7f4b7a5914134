namespace ReviewBot.GitHub;

/// <summary>
/// The one "come back later" signal of every layer: work that must wait (the installation's API budget is down to the
/// reserve kept for reviews, onboarding's write budget is spent) stops before it reads or writes what it waits for and
/// throws this. It is not a failure: the App's worker schedules a continuation of the item in its queue, visible after
/// <see cref="RetryAfter"/>, and completes the message, so a fresh message's attempts start again and a long wait never
/// reaches the dead-letter limit. The wait is in the queue (durable with Azure Storage), never in memory.
/// </summary>
public sealed class WorkDeferredException(TimeSpan retryAfter, string reason) : Exception(reason)
{
    /// <summary>How long until what the work waits for is renewed.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>The installation's API budget is down to the reserve kept for pull request reviews until GitHub renews it.</summary>
    public static WorkDeferredException ForApiBudget(TimeSpan renewed) =>
        new(renewed, "the installation's API budget is down to the reserve kept for pull request reviews");
}
