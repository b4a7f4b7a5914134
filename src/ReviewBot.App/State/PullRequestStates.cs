using System.Collections.Immutable;
using ReviewBot.App.Queue;

namespace ReviewBot.App.State;

/// <summary>Read-modify-write of a pull request's state with the store's optimistic concurrency.</summary>
internal static class PullRequestStates
{
    private const int MaxConflicts = 20;

    public static PullRequestState Empty { get; } = new(null, null, ImmutableHashSet<string>.Empty);

    /// <summary>
    /// Marks <paramref name="item"/>'s head as the newest one asked for, so older queued work is superseded; unless
    /// GitHub says it was asked for before the one recorded (a failed delivery GitHub makes again minutes later).
    /// Without that, the late copy would supersede the newer head's review, and the newest commit would get no check.
    /// </summary>
    public static Task RequestAsync(IStateStore store, WorkItem item, CancellationToken cancellationToken) =>
        UpdateAsync(store, item.PullRequestKey, s => Request(s, item), cancellationToken);

    internal static PullRequestState Request(PullRequestState state, WorkItem item)
    {
        if (item.RequestedAt is { } at && state.LatestRequestedAt is { } latest && at < latest)
        {
            return state;
        }

        return state with { LatestRequestedSha = item.HeadSha, LatestRequestedAt = item.RequestedAt ?? state.LatestRequestedAt };
    }

    public static async Task<PullRequestState> UpdateAsync(IStateStore store, string key, Func<PullRequestState, PullRequestState> change, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var current = await store.GetPullRequestAsync(key, cancellationToken).ConfigureAwait(false) ?? Empty;
            var next = change(current) with { ETag = current.ETag };
            if (await store.TrySavePullRequestAsync(key, next, cancellationToken).ConfigureAwait(false))
            {
                return next;
            }
        }

        throw new InvalidOperationException($"The state of {key} kept changing under us; giving up after {MaxConflicts} tries.");
    }
}
