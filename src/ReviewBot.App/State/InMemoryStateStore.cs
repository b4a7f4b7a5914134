using System.Collections.Concurrent;

namespace ReviewBot.App.State;

/// <summary>The embedded state store: one process's memory, with the same optimistic concurrency as the table store.</summary>
public sealed class InMemoryStateStore(TimeProvider time) : IStateStore
{
    /// <summary>GitHub redelivers within days at most; older delivery ids are forgotten to bound memory.</summary>
    public static readonly TimeSpan DeliveryRetention = TimeSpan.FromDays(3);

    private readonly ConcurrentDictionary<string, DateTimeOffset> deliveries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PullRequestState> pullRequests = new(StringComparer.Ordinal);
    private readonly Lock sync = new();
    private DateTimeOffset lastSweep;

    public Task<bool> TryRecordDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - lastSweep > TimeSpan.FromHours(1))
        {
            lastSweep = now;
            foreach (var (id, seen) in deliveries)
            {
                if (now - seen > DeliveryRetention)
                {
                    deliveries.TryRemove(id, out _);
                }
            }
        }

        return Task.FromResult(deliveries.TryAdd(deliveryId, now));
    }

    public Task<PullRequestState?> GetPullRequestAsync(string pullRequestKey, CancellationToken cancellationToken) =>
        Task.FromResult(pullRequests.TryGetValue(pullRequestKey, out var state) ? state : null);

    public Task<bool> TrySavePullRequestAsync(string pullRequestKey, PullRequestState state, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            pullRequests.TryGetValue(pullRequestKey, out var current);
            if (current?.ETag != state.ETag)
            {
                return Task.FromResult(false);
            }

            pullRequests[pullRequestKey] = state with { ETag = Guid.NewGuid().ToString("N") };
            return Task.FromResult(true);
        }
    }
}
