using Azure;
using Azure.Data.Tables;
using ReviewBot.App.State;

namespace ReviewBot.App.Azure;

/// <summary>
/// State every replica sees, on Azure Table Storage: a deliveries table where inserting an existing id
/// fails (so exactly one replica takes a delivery), and one entity per pull request saved with ETag
/// optimistic concurrency.
/// </summary>
public sealed class AzureTableStateStore : IStateStore
{
    private const string StateRowKey = "state";
    private const string DeliveryRowKey = "delivery";

    private readonly TableClient _deliveries;
    private readonly TableClient _pullRequests;
    private readonly CreateOnce _created;

    public AzureTableStateStore(TableServiceClient service, AzureTableStateOptions options)
    {
        _deliveries = service.GetTableClient(options.DeliveriesTable);
        _pullRequests = service.GetTableClient(options.PullRequestsTable);
        _created = new CreateOnce(CreateTablesAsync);
    }

    /// <summary>
    /// Inserts the delivery with a claim of our own. A 409 may be our own insert: the SDK retries a request
    /// that timed out although the table had stored it. The claim tells ours (true) from another's (false).
    /// </summary>
    public async Task<bool> TryRecordDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var key = TableKeys.Escape(deliveryId);
        var claim = Guid.NewGuid().ToString("N");
        try
        {
            await _deliveries.AddEntityAsync(new TableEntity(key, DeliveryRowKey) { [ClaimProperty] = claim }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await _deliveries.GetEntityIfExistsAsync<TableEntity>(key, DeliveryRowKey, [ClaimProperty], cancellationToken).ConfigureAwait(false);
            return existing.HasValue && existing.Value?.GetString(ClaimProperty) == claim;
        }
    }

    private const string ClaimProperty = "Claim";

    public async Task ForgetDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _deliveries.DeleteEntityAsync(TableKeys.Escape(deliveryId), DeliveryRowKey, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PullRequestState?> GetPullRequestAsync(string pullRequestKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var response = await _pullRequests.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(pullRequestKey), StateRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } entity)
            return null;
        return new PullRequestState(
            entity.GetString(nameof(PullRequestState.LatestRequestedSha)),
            entity.GetString(nameof(PullRequestState.LastReviewedSha)),
            FingerprintColumns.Read(entity),
            entity.ETag.ToString());
    }

    public async Task<bool> TrySavePullRequestAsync(string pullRequestKey, PullRequestState state, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(TableKeys.Escape(pullRequestKey), StateRowKey)
        {
            [nameof(PullRequestState.LatestRequestedSha)] = state.LatestRequestedSha,
            [nameof(PullRequestState.LastReviewedSha)] = state.LastReviewedSha,
        };
        FingerprintColumns.Write(entity, state.Fingerprints);
        try
        {
            if (state.ETag is null)
                await _pullRequests.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            else
                await _pullRequests.UpdateEntityAsync(entity, new ETag(state.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
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
