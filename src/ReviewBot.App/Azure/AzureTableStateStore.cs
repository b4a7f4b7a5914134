using Azure;
using Azure.Data.Tables;
using ReviewBot.App.State;

namespace ReviewBot.App.Azure;

/// <summary>
/// State every replica sees, on Azure Table Storage: a deliveries table where inserting an existing id
/// fails (so exactly one replica records a delivery, and exactly one queue message claims a unit of work),
/// and one entity per pull request saved with ETag optimistic concurrency.
/// </summary>
public sealed class AzureTableStateStore : IStateStore
{
    private const string StateRowKey = "state";
    private const string DeliveryRowKey = "delivery";
    private const string WorkRowKey = "work";

    private readonly TableClient _deliveries;
    private readonly TableClient _pullRequests;
    private readonly CreateOnce _created;

    public AzureTableStateStore(TableServiceClient service, AzureTableStateOptions options)
    {
        _deliveries = service.GetTableClient(options.DeliveriesTable);
        _pullRequests = service.GetTableClient(options.PullRequestsTable);
        _created = new CreateOnce(CreateTablesAsync);
    }

    public async Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var existing = await _deliveries.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(deliveryId), DeliveryRowKey, [ClaimProperty], cancellationToken).ConfigureAwait(false);
        return existing.HasValue;
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
        try
        {
            await _deliveries.AddEntityAsync(new TableEntity(partitionKey, rowKey) { [ClaimProperty] = claim }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await _deliveries.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, [ClaimProperty], cancellationToken).ConfigureAwait(false);
            return existing.HasValue && existing.Value?.GetString(ClaimProperty) == claim;
        }
    }

    private const string ClaimProperty = "Claim";

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
