using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Analysis.Images;
using ReviewBot.Registry;

namespace ReviewBot.App.Azure;

/// <summary>
/// The registry cache every replica shares, in the state store's images table: a digest's config for good (a digest
/// names immutable content) and a tag's digest until its expiry. A row per key, partitioned by the key's SHA-256
/// (a FROM line is the author's and may be longer than a key may be, or hold characters keys may not). The cache only
/// saves requests: a storage failure is a miss, and the registry is asked.
/// </summary>
public sealed class AzureTableImageConfigCache : IImageConfigCache
{
    private const string TagRow = "tag";
    private const string ConfigRow = "config";
    private const string KeyProperty = "Key";
    private const string DigestProperty = "Digest";
    private const string ExpiresProperty = "ExpiresAt";
    private const string ConfigProperty = "Config";

    private readonly TableClient _table;
    private readonly CreateOnce _created;
    private readonly TimeProvider _time;

    public AzureTableImageConfigCache(TableServiceClient service, AzureTableStateOptions options, TimeProvider time)
    {
        _table = service.GetTableClient(options.ImagesTable);
        _created = new CreateOnce(async () => await _table.CreateIfNotExistsAsync().ConfigureAwait(false));
        _time = time;
    }

    private static string Partition(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async ValueTask<string?> GetDigestAsync(string tagKey, CancellationToken cancellationToken) =>
        await GetAsync(tagKey, TagRow, cancellationToken).ConfigureAwait(false) is { } entity
        && entity.GetDateTimeOffset(ExpiresProperty) > _time.GetUtcNow()
            ? entity.GetString(DigestProperty)
            : null;

    public ValueTask SetDigestAsync(string tagKey, string digest, TimeSpan ttl, CancellationToken cancellationToken) =>
        SetAsync(tagKey, TagRow, e =>
        {
            e[DigestProperty] = digest;
            e[ExpiresProperty] = _time.GetUtcNow() + ttl;
        }, cancellationToken);

    public async ValueTask<RegistryImageConfig?> GetConfigAsync(string digestKey, CancellationToken cancellationToken) =>
        RegistryImageConfigJson.Deserialize((await GetAsync(digestKey, ConfigRow, cancellationToken).ConfigureAwait(false))?.GetString(ConfigProperty));

    public ValueTask SetConfigAsync(string digestKey, RegistryImageConfig config, CancellationToken cancellationToken)
    {
        string json = RegistryImageConfigJson.Serialize(config);
        // A config with a huge environment is read again next time rather than split over properties.
        return json.Length > AzureStorageLimits.MaxStringPropertyChars
            ? ValueTask.CompletedTask
            : SetAsync(digestKey, ConfigRow, e => e[ConfigProperty] = json, cancellationToken);
    }

    /// <summary>The row for <paramref name="key"/>, or null: none, another key's (a hash collision), or storage failed.</summary>
    private async Task<TableEntity?> GetAsync(string key, string row, CancellationToken cancellationToken)
    {
        try
        {
            await _created.EnsureAsync(cancellationToken).ConfigureAwait(false);
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(key), row, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.HasValue && response.Value is { } entity && entity.GetString(KeyProperty) == key ? entity : null;
        }
        catch (RequestFailedException)
        {
            return null;
        }
    }

    private async ValueTask SetAsync(string key, string row, Action<TableEntity> fill, CancellationToken cancellationToken)
    {
        if (key.Length > AzureStorageLimits.MaxStringPropertyChars)
        {
            return;
        }

        var entity = new TableEntity(Partition(key), row) { [KeyProperty] = key };
        fill(entity);
        try
        {
            await _created.EnsureAsync(cancellationToken).ConfigureAwait(false);
            // Last writer wins: every replica writes what the registry said, and a digest's config is the same for all.
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            // Not cached this time; the next review asks the registry again.
        }
    }
}
