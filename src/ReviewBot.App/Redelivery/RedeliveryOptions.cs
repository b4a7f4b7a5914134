using System.ComponentModel.DataAnnotations;

namespace ReviewBot.App.Redelivery;

/// <summary>
/// Asking GitHub again for the deliveries it could not make (section <c>Redelivery</c>). GitHub never sends a failed
/// delivery again by itself, so a delivery lost while the service was down or busy would be lost for good.
/// </summary>
public sealed record RedeliveryOptions
{
    public const string Section = "Redelivery";

    /// <summary>GitHub keeps an App's webhook deliveries for 3 days; older ones cannot be listed or redelivered.</summary>
    public static readonly TimeSpan GitHubRetention = TimeSpan.FromDays(3);

    public bool Enabled { get; init; } = true;

    /// <summary>How often the deliveries are looked at (once per interval across all replicas).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back failed deliveries are redelivered: an event older than this is not worth acting on.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3.00:00:00")]
    public TimeSpan Lookback { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Redeliveries asked for per run at most: each is a POST with the App's JWT, and what they bring back arrives at
    /// the door all at once; the rest waits for the next run.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxPerRun { get; init; } = 100;
}
