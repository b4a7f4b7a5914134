using System.Collections.Concurrent;

namespace ReviewBot.App.State;

/// <summary>The embedded state store: one process's memory, with the same optimistic concurrency as the table store.</summary>
public sealed class InMemoryStateStore(TimeProvider time) : IStateStore
{
    /// <summary>GitHub redelivers within days at most; older delivery ids and work claims are forgotten to bound memory.</summary>
    public static readonly TimeSpan DeliveryRetention = TimeSpan.FromDays(3);

    /// <summary>Delivery ids (claim empty) and work claims (claim = the message id), with when they were taken.</summary>
    private readonly ConcurrentDictionary<string, (DateTimeOffset Taken, string Claim)> claims = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PullRequestState> pullRequests = new(StringComparer.Ordinal);
    private readonly Lock sync = new();
    private DateTimeOffset lastSweep;

    public Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        Task.FromResult(claims.ContainsKey(DeliveryKey(deliveryId)));

    public Task<bool> TryRecordDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        Task.FromResult(claims.TryAdd(DeliveryKey(deliveryId), (Sweep(), "")));

    public Task<bool> TryClaimWorkAsync(string workKey, string messageId, CancellationToken cancellationToken) =>
        Task.FromResult(claims.GetOrAdd("work:" + workKey, (Sweep(), messageId)).Claim == messageId);

    private static string DeliveryKey(string deliveryId) => "delivery:" + deliveryId;

    /// <summary>Forgets claims older than the retention, at most once an hour; returns now.</summary>
    private DateTimeOffset Sweep()
    {
        var now = time.GetUtcNow();
        if (now - lastSweep > TimeSpan.FromHours(1))
        {
            lastSweep = now;
            foreach (var (key, claim) in claims)
            {
                if (now - claim.Taken > DeliveryRetention)
                {
                    claims.TryRemove(key, out _);
                }
            }
        }

        return now;
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
