using Microsoft.Extensions.Options;
using ReviewBot.GitHub;

namespace ReviewBot.App.Onboarding;

/// <summary>How much of an installation's content-creating budget onboarding may spend.</summary>
public sealed record OnboardingPacingOptions
{
    /// <summary>Onboarding's share per minute; the rest stays for reviews of pull requests on the same installation.</summary>
    public int WritesPerMinute { get; init; } = GitHubLimits.ContentCreatingRequestsPerMinute / 2;

    /// <summary>Onboarding's share per hour.</summary>
    public int WritesPerHour { get; init; } = GitHubLimits.ContentCreatingRequestsPerHour / 2;

    internal IEnumerable<string> Validate()
    {
        if (WritesPerMinute is < 1 or > GitHubLimits.ContentCreatingRequestsPerMinute)
        {
            yield return $"Onboarding:WritesPerMinute must be 1..{GitHubLimits.ContentCreatingRequestsPerMinute} (GitHub's secondary limit).";
        }

        if (WritesPerHour is < 1 or > GitHubLimits.ContentCreatingRequestsPerHour)
        {
            yield return $"Onboarding:WritesPerHour must be 1..{GitHubLimits.ContentCreatingRequestsPerHour} (GitHub's secondary limit).";
        }
    }
}

/// <summary>A reservation's answer: granted now, or the time after which the windows have room.</summary>
public readonly record struct PaceDecision(bool Granted, TimeSpan RetryAfter)
{
    public static PaceDecision Go { get; } = new(true, TimeSpan.Zero);
}

/// <summary>
/// Reserves content-creating requests for an installation BEFORE a work item makes them, in sliding windows of a
/// minute and an hour, in the shared store (so every replica spends the same budget). When a window is full the
/// caller puts its work item back in the durable queue for <see cref="PaceDecision.RetryAfter"/>: work waits in
/// the queue, never in memory, and a restart loses nothing.
/// </summary>
public sealed class WritePacer(IWriteBudgetStore store, IOptions<OnboardingPacingOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Store conflicts tolerated before the caller is told to come back shortly (many replicas racing).</summary>
    private const int MaxConflicts = 10;

    private static readonly TimeSpan ConflictBackoff = TimeSpan.FromSeconds(5);

    /// <summary>Reserves <paramref name="writes"/> requests for the installation, or says how long to wait.</summary>
    public async Task<PaceDecision> TryReserveAsync(long installationId, int writes, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        ArgumentOutOfRangeException.ThrowIfLessThan(writes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(writes, Math.Min(limits.WritesPerMinute, limits.WritesPerHour));
        for (int attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var now = time.GetUtcNow();
            var budget = await store.GetAsync(installationId, cancellationToken).ConfigureAwait(false);

            // A reservation "in the future" (a replica's clock ahead) counts until it is an hour old by ours.
            var live = budget.Reservations.Where(r => now - r.At < Hour).OrderBy(r => r.At).ToList();
            var wait = Max(
                WaitFor(live.Where(r => now - r.At < Minute).ToList(), limits.WritesPerMinute, writes, Minute, now),
                WaitFor(live, limits.WritesPerHour, writes, Hour, now));
            if (wait > TimeSpan.Zero)
            {
                return new PaceDecision(false, wait);
            }

            live.Add((now, writes));
            if (await store.TrySaveAsync(installationId, new WriteBudget([.. live], budget.ETag), cancellationToken).ConfigureAwait(false))
            {
                return PaceDecision.Go;
            }
        }

        return new PaceDecision(false, ConflictBackoff);
    }

    /// <summary>Zero when <paramref name="writes"/> more fit the window; else how long until the oldest reservations leave it.</summary>
    private static TimeSpan WaitFor(List<(DateTimeOffset At, int Writes)> inWindow, int limit, int writes, TimeSpan window, DateTimeOffset now)
    {
        int used = inWindow.Sum(r => r.Writes);
        foreach (var (at, spent) in inWindow)
        {
            if (used + writes <= limit)
            {
                break;
            }

            used -= spent;
            if (used + writes <= limit)
            {
                // Strictly after: the window holds what is younger than it.
                return at + window - now + TimeSpan.FromMilliseconds(1);
            }
        }

        return used + writes <= limit ? TimeSpan.Zero : window;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
