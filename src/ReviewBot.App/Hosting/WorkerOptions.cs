using System.ComponentModel.DataAnnotations;

namespace ReviewBot.App.Hosting;

/// <summary>How the background worker runs (section <c>Worker</c>).</summary>
public sealed record WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Reviews running at once. Two items of one pull request never run together.</summary>
    [Range(1, 64)]
    public int Concurrency { get; init; } = 4;

    /// <summary>
    /// Items of one installation running at once, of all kinds; unset, one less than <see cref="Concurrency"/>, so an
    /// installation with thousands of queued items always leaves a worker to the others (its further items wait their
    /// turn) while a single-tenant service still uses nearly all its workers.
    /// </summary>
    [Range(1, 64)]
    public int? MaxInFlightPerInstallation { get; init; }

    /// <summary>The cap in force: <see cref="MaxInFlightPerInstallation"/>, or <see cref="Concurrency"/> - 1 (at least 1).</summary>
    public int InFlightCapPerInstallation => MaxInFlightPerInstallation ?? Math.Max(1, Concurrency - 1);

    /// <summary>Items each lane of the in-memory queue (urgent, background) holds; when the urgent lane is full the webhook answers 503.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; init; } = 1000;

    /// <summary>Runs of one item before it is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The longest one review may take; over it, the review fails closed (its check ends failure) and the item is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReviewTimeBudget { get; init; } = ReviewBot.GitHub.PullRequests.ReviewSettings.DefaultTimeBudget;

    /// <summary>
    /// Dockerfile text held by all reviews and branch checks in flight, together (each review also keeps its own
    /// 16 MiB); a review that would pass it waits its turn before reading. At least one review's budget. A review
    /// holds about 9 MB of memory per MiB of text until it is posted (the text and its parsed instructions): 24 MiB
    /// keeps the process under 400 MB with six reviews of 50 files of 4 MB arriving at once (256 MB measured; 759 MB
    /// at 64 MiB; tools/ReviewBot.Load/README.md), while small reviews still pass a large one.
    /// </summary>
    [Range(typeof(long), "16777216", "4294967296")]
    public long MaxTextBytesInFlight { get; init; } = 24L * 1024 * 1024;

    /// <summary>Delay before a failed item is tried again; doubled per attempt.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
