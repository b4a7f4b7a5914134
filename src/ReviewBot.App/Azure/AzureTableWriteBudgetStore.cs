using Azure;
using Azure.Data.Tables;
using ReviewBot.App.Onboarding;

namespace ReviewBot.App.Azure;

/// <summary>
/// Onboarding's write budgets on Azure Table Storage, one entity per installation in the pull requests table
/// (partition "budget:{id}"), saved with ETag concurrency so replicas reserving at once never both spend the last writes.
/// </summary>
public sealed class AzureTableWriteBudgetStore : IWriteBudgetStore
{
    private const string RowKey = "budget";
    private const string ReservationsProperty = "Reservations";

    private readonly TableClient _table;
    private readonly CreateOnce _created;

    public AzureTableWriteBudgetStore(TableServiceClient service, AzureTableStateOptions options)
    {
        _table = service.GetTableClient(options.PullRequestsTable);
        _created = new CreateOnce(async () => await _table.CreateIfNotExistsAsync().ConfigureAwait(false));
    }

    private static string Partition(long installationId) => TableKeys.Escape($"budget:{installationId}");

    public async Task<WriteBudget> GetAsync(long installationId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(installationId), RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity
            ? new WriteBudget(WriteBudget.Parse(entity.GetString(ReservationsProperty)), entity.ETag.ToString())
            : WriteBudget.Empty;
    }

    public async Task<bool> TrySaveAsync(long installationId, WriteBudget budget, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken).ConfigureAwait(false);
        // An hour holds at most 500 writes' reservations (a few KB): far under a property's 64 KB.
        var entity = new TableEntity(Partition(installationId), RowKey) { [ReservationsProperty] = budget.Serialize() };
        try
        {
            if (budget.ETag is null)
            {
                await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _table.UpdateEntityAsync(entity, new ETag(budget.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            // 409: another replica created it first; 412: changed since read; 404: deleted. Re-read and try again.
            return false;
        }
    }
}
