namespace ReviewBot.GitHub.Api;

/// <summary>How hard to retry GitHub.</summary>
public sealed record RetryPolicy
{
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First backoff for 5xx and timeouts; doubled each attempt, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait for Retry-After or a rate-limit reset inside one run; longer waits fail the run, and the work item comes back later.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One attempt that takes longer than this is abandoned and retried as a timeout.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest one call may take across all its attempts and waits.</summary>
    public TimeSpan CallTimeout => (AttemptTimeout + MaxWait + (BaseDelay * Math.Pow(2, MaxAttempts))) * MaxAttempts;

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 after a failure: exponential, with ±20 % jitter.</summary>
    public TimeSpan Backoff(int attempt) => BaseDelay * Math.Pow(2, attempt - 1) * (0.8 + (Random.Shared.NextDouble() * 0.4));
}
