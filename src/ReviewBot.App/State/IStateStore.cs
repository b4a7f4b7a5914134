using System.Collections.Immutable;

namespace ReviewBot.App.State;

/// <summary>What we remember about one pull request between runs.</summary>
/// <param name="LatestRequestedSha">Newest head SHA a webhook asked for; older work is superseded.</param>
/// <param name="LastReviewedSha">Head SHA of the last delivered review.</param>
/// <param name="Fingerprints">Fingerprints of our comments posted so far.</param>
/// <param name="ETag">Concurrency token of the store; null for a new record.</param>
public sealed record PullRequestState(
    string? LatestRequestedSha,
    string? LastReviewedSha,
    ImmutableHashSet<string> Fingerprints,
    string? ETag = null)
{
    /// <summary>The newest <see cref="Queue.WorkItem.RequestedAt"/> seen: an event older than it changes nothing.</summary>
    public DateTimeOffset? LatestRequestedAt { get; init; }
}

/// <summary>How long what is kept per delivery (its id, its work claims) is worth keeping.</summary>
public static class DeliveryRetention
{
    /// <summary>
    /// GitHub redelivers a webhook (by hand or through POST /app/hook/deliveries/{id}/attempts) only within a window:
    /// 3 days on github.com, 7 on GitHub Enterprise Server ("Redelivering webhooks",
    /// https://docs.github.com/en/webhooks/testing-and-troubleshooting-webhooks/redelivering-webhooks). A delivery id
    /// or work claim older than the longer of the two can never be presented again, so it is forgotten (it would only
    /// fill the store).
    /// </summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);
}

/// <summary>
/// State every replica must see: deliveries already taken, work already taken, and per pull request state.
/// In memory by default; Azure Table Storage when scaled out.
/// </summary>
public interface IStateStore
{
    /// <summary>Whether a delivery id was recorded, i.e. its work is queued already.</summary>
    Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a delivery id once its work is durably queued; false when it was recorded before. Recording
    /// only after queueing is what lets GitHub's redelivery in after a crash in between.
    /// </summary>
    Task<bool> TryRecordDeliveryAsync(string deliveryId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims a unit of work for the queue message <paramref name="messageId"/>: true when it is now, or was
    /// already, that message's; false when another message (a copy queued by a redelivery) has it.
    /// </summary>
    Task<bool> TryClaimWorkAsync(string workKey, string messageId, CancellationToken cancellationToken);

    Task<PullRequestState?> GetPullRequestAsync(string pullRequestKey, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the state if nobody changed it since it was read (<see cref="PullRequestState.ETag"/>);
    /// false on a conflict, so the caller re-reads and retries.
    /// </summary>
    Task<bool> TrySavePullRequestAsync(string pullRequestKey, PullRequestState state, CancellationToken cancellationToken);
}
