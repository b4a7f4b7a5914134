using System.Collections.Concurrent;

namespace ReviewBot.App.State;

/// <summary>The embedded state store: one process's memory, with the same optimistic concurrency as the table store.</summary>
public sealed class InMemoryStateStore(TimeProvider time) : IStateStore
{
    /// <summary>Delivery ids and work claims older than GitHub's redelivery window are forgotten, to bound memory.</summary>
    public static readonly TimeSpan DeliveryRetention = State.DeliveryRetention.Window;

    /// <summary>Delivery ids (claim empty) and work claims (claim = the message id), with when they were taken.</summary>
    private readonly ConcurrentDictionary<string, (DateTimeOffset Taken, string Claim)> _claims = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PullRequestState> _pullRequests = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private DateTimeOffset _lastSweep;

    public Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        Task.FromResult(_claims.ContainsKey(DeliveryKey(deliveryId)));

    public Task<bool> TryRecordDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        Task.FromResult(_claims.TryAdd(DeliveryKey(deliveryId), (Sweep(), "")));

    public Task<bool> TryClaimWorkAsync(string workKey, string messageId, CancellationToken cancellationToken) =>
        Task.FromResult(_claims.GetOrAdd("work:" + workKey, (Sweep(), messageId)).Claim == messageId);

    private static string DeliveryKey(string deliveryId) => "delivery:" + deliveryId;

    /// <summary>Forgets claims older than the retention, at most once an hour; returns now.</summary>
    private DateTimeOffset Sweep()
    {
        var now = time.GetUtcNow();
        if (now - _lastSweep > TimeSpan.FromHours(1))
        {
            _lastSweep = now;
            foreach (var (key, claim) in _claims)
            {
                if (now - claim.Taken > DeliveryRetention)
                {
                    _claims.TryRemove(key, out _);
                }
            }
        }

        return now;
    }

    public Task<PullRequestState?> GetPullRequestAsync(string pullRequestKey, CancellationToken cancellationToken) =>
        Task.FromResult(_pullRequests.TryGetValue(pullRequestKey, out var state) ? state : null);

    public Task<bool> TrySavePullRequestAsync(string pullRequestKey, PullRequestState state, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            _pullRequests.TryGetValue(pullRequestKey, out var current);
            if (current?.ETag != state.ETag)
            {
                return Task.FromResult(false);
            }

            _pullRequests[pullRequestKey] = state with { ETag = Guid.NewGuid().ToString("N") };
            return Task.FromResult(true);
        }
    }
}
