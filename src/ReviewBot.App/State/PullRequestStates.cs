using System.Collections.Immutable;
using ReviewBot.App.Queue;

namespace ReviewBot.App.State;

/// <summary>Read-modify-write of a pull request's state with the store's optimistic concurrency.</summary>
internal static class PullRequestStates
{
    private const int MaxConflicts = 20;

    public static PullRequestState Empty { get; } = new(null, null, ImmutableHashSet<string>.Empty);

    /// <summary>Marks <paramref name="item"/>'s head as the newest one asked for, so older queued work is superseded.</summary>
    public static Task RequestAsync(IStateStore store, WorkItem item, CancellationToken cancellationToken) =>
        UpdateAsync(store, item.PullRequestKey, s => s with { LatestRequestedSha = item.HeadSha }, cancellationToken);

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
