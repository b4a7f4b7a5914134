using System.Collections.Immutable;
using ReviewBot.App.Queue;

namespace ReviewBot.App.State;

/// <summary>
/// Read-modify-write of a pull request's (or branch's) state with the store's optimistic concurrency, under the
/// item's key by repository id; state saved before items carried the id, under "owner/name", is still read (and
/// carried over on the next write), so an upgrade does not review every open pull request again.
/// </summary>
internal static class PullRequestStates
{
    private const int MaxConflicts = 20;

    public static PullRequestState Empty { get; } = new(null, null, ImmutableHashSet<string>.Empty);

    /// <summary>
    /// Marks <paramref name="item"/>'s head as the newest one asked for, so older queued work is superseded; unless
    /// GitHub says it was asked for before the one recorded (a failed delivery GitHub makes again minutes later).
    /// Without that, the late copy would supersede the newer head's review, and the newest commit would get no check.
    /// </summary>
    public static Task RequestAsync(IStateStore store, HeadWork item, CancellationToken cancellationToken) =>
        UpdateAsync(store, item, s => Request(s, item), cancellationToken);

    internal static PullRequestState Request(PullRequestState state, HeadWork item)
    {
        if (item.RequestedAt is { } at && state.LatestRequestedAt is { } latest && at < latest)
        {
            return state;
        }

        // A re-run (of a check or a check suite) asks again for a head that was asked for before, maybe an old one: it
        // never moves the newest head back. It runs when its head is still the newest; else it is superseded.
        if (item.Reason.EndsWith(".rerequested", StringComparison.Ordinal) && state.LatestRequestedSha is not null)
        {
            return state;
        }

        return state with { LatestRequestedSha = item.HeadSha, LatestRequestedAt = item.RequestedAt ?? state.LatestRequestedAt };
    }

    /// <summary>The item's state: under its key, else under its key by name from before ids (read-only: no ETag, so a save creates the new key).</summary>
    public static async Task<PullRequestState?> GetAsync(IStateStore store, HeadWork item, CancellationToken cancellationToken)
    {
        var state = await store.GetPullRequestAsync(item.Key, cancellationToken).ConfigureAwait(false);
        if (state is not null || item.LegacyKey == item.Key)
        {
            return state;
        }

        return await store.GetPullRequestAsync(item.LegacyKey, cancellationToken).ConfigureAwait(false) is { } legacy ? legacy with { ETag = null } : null;
    }

    public static async Task<PullRequestState> UpdateAsync(IStateStore store, HeadWork item, Func<PullRequestState, PullRequestState> change, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var current = await GetAsync(store, item, cancellationToken).ConfigureAwait(false) ?? Empty;
            var next = change(current) with { ETag = current.ETag };
            if (await store.TrySavePullRequestAsync(item.Key, next, cancellationToken).ConfigureAwait(false))
            {
                return next;
            }
        }

        throw new InvalidOperationException($"The state of {item.Key} kept changing under us; giving up after {MaxConflicts} tries.");
    }
}
