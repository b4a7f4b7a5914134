using Azure;
using Azure.Data.Tables;
using ReviewBot.App.State;

namespace ReviewBot.App.Azure;

/// <summary>
/// State every replica sees, on Azure Table Storage: a deliveries table where inserting an existing id
/// fails (so exactly one replica records a delivery, and exactly one queue message claims a unit of work),
/// and one entity per pull request saved with ETag optimistic concurrency. A delivery row or work claim older than
/// GitHub's redelivery window (<see cref="DeliveryRetention.Window"/>) counts as absent, is taken over by a new claim,
/// and is deleted by a sweep that runs at most once an hour.
/// </summary>
public sealed class AzureTableStateStore : IStateStore
{
    private const string StateRowKey = "state";
    private const string DeliveryRowKey = "delivery";
    private const string WorkRowKey = "work";

    /// <summary>Rows deleted per sweep: a bound on one sweep's work; the next sweep takes the rest.</summary>
    private const int MaxExpiredPerSweep = 1_000;

    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

    private readonly TableClient _deliveries;
    private readonly TableClient _pullRequests;
    private readonly CreateOnce _created;
    private readonly TimeProvider _time;
    private long _lastSweepTicks;

    public AzureTableStateStore(TableServiceClient service, AzureTableStateOptions options, TimeProvider? time = null)
    {
        _deliveries = service.GetTableClient(options.DeliveriesTable);
        _pullRequests = service.GetTableClient(options.PullRequestsTable);
        _created = new CreateOnce(CreateTablesAsync);
        _time = time ?? TimeProvider.System;
    }

    public async Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var existing = await _deliveries.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(deliveryId), DeliveryRowKey, [ClaimProperty, TakenProperty], cancellationToken).ConfigureAwait(false);
        return existing.HasValue && existing.Value is { } row && !Expired(row);
    }

    /// <summary>Inserts the delivery with a claim of our own, so the SDK's retry of our own insert still reads as ours.</summary>
    public Task<bool> TryRecordDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        TryClaimAsync(TableKeys.Escape(deliveryId), DeliveryRowKey, Guid.NewGuid().ToString("N"), cancellationToken);

    /// <summary>Work claims live next to the deliveries, one row per delivery and pull request, owned by a queue message id.</summary>
    public Task<bool> TryClaimWorkAsync(string workKey, string messageId, CancellationToken cancellationToken) =>
        TryClaimAsync(TableKeys.Escape(workKey), WorkRowKey, messageId, cancellationToken);

    /// <summary>
    /// Inserts a row holding <paramref name="claim"/>. A 409 may be our own insert (the SDK retries a request
    /// that timed out although the table had stored it) or the same claimant again: the claim tells ours
    /// (true) from another's (false).
    /// </summary>
    private async Task<bool> TryClaimAsync(string partitionKey, string rowKey, string claim, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        SweepInBackground();
        var row = new TableEntity(partitionKey, rowKey) { [ClaimProperty] = claim, [TakenProperty] = _time.GetUtcNow() };
        try
        {
            await _deliveries.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await _deliveries.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, [ClaimProperty, TakenProperty], cancellationToken).ConfigureAwait(false);
            if (existing.HasValue && existing.Value is { } old && Expired(old))
            {
                // Older than any redelivery: not a copy of this delivery's work, so a new claim takes it (if no one else did first).
                try
                {
                    await _deliveries.UpdateEntityAsync(row, old.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (RequestFailedException raced) when (raced.Status is 412 or 404)
                {
                    return false;
                }
            }

            return existing.HasValue && existing.Value?.GetString(ClaimProperty) == claim;
        }
    }

    private const string ClaimProperty = "Claim";

    /// <summary>When the row was written, by our clock (the table's own Timestamp cannot be set, so tests could not age it).</summary>
    private const string TakenProperty = "Taken";

    /// <summary>Rows written before <see cref="TakenProperty"/> existed have none: they are aged by the table's Timestamp.</summary>
    private bool Expired(TableEntity row) =>
        (row.GetDateTimeOffset(TakenProperty) ?? row.Timestamp ?? DateTimeOffset.MaxValue) < _time.GetUtcNow() - DeliveryRetention.Window;

    /// <summary>At most once an hour per process, off the caller's path: deletes expired delivery rows and claims.</summary>
    private void SweepInBackground()
    {
        long now = _time.GetUtcNow().UtcTicks;
        long last = Interlocked.Read(ref _lastSweepTicks);
        if (now - last < SweepEvery.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now, last) != last)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await SweepAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RequestFailedException or OperationCanceledException or TimeoutException)
            {
                // Best effort: the next sweep tries again, and an expired row counts as absent meanwhile.
            }
        });
    }

    /// <summary>Deletes up to <see cref="MaxExpiredPerSweep"/> expired rows; returns how many.</summary>
    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var before = _time.GetUtcNow() - DeliveryRetention.Window;
        int deleted = 0;
        await foreach (var row in _deliveries.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Taken lt {before}"), select: ["PartitionKey", "RowKey", TakenProperty], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _deliveries.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Gone already, or taken over by a new claim since it was read.
            }

            if (deleted >= MaxExpiredPerSweep)
            {
                break;
            }
        }

        return deleted;
    }

    public async Task<PullRequestState?> GetPullRequestAsync(string pullRequestKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var response = await _pullRequests.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(pullRequestKey), StateRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }

        return new PullRequestState(
            entity.GetString(nameof(PullRequestState.LatestRequestedSha)),
            entity.GetString(nameof(PullRequestState.LastReviewedSha)),
            FingerprintColumns.Read(entity),
            entity.ETag.ToString())
        {
            LatestRequestedAt = entity.GetDateTimeOffset(nameof(PullRequestState.LatestRequestedAt)),
        };
    }

    public async Task<bool> TrySavePullRequestAsync(string pullRequestKey, PullRequestState state, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(TableKeys.Escape(pullRequestKey), StateRowKey)
        {
            [nameof(PullRequestState.LatestRequestedSha)] = state.LatestRequestedSha,
            [nameof(PullRequestState.LastReviewedSha)] = state.LastReviewedSha,
            [nameof(PullRequestState.LatestRequestedAt)] = state.LatestRequestedAt,
        };
        FingerprintColumns.Write(entity, state.Fingerprints);
        try
        {
            if (state.ETag is null)
            {
                await _pullRequests.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _pullRequests.UpdateEntityAsync(entity, new ETag(state.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            // 409: someone created it first; 412: someone changed it since we read it; 404: it was deleted.
            return false;
        }
    }

    private Task EnsureCreatedAsync(CancellationToken cancellationToken) => _created.EnsureAsync(cancellationToken);

    private async Task CreateTablesAsync()
    {
        await _deliveries.CreateIfNotExistsAsync().ConfigureAwait(false);
        await _pullRequests.CreateIfNotExistsAsync().ConfigureAwait(false);
    }
}
