namespace ReviewBot.App.Azure;

/// <summary>
/// Shared state on Azure Table Storage, bound from the <c>State</c> section (<c>State:Provider=AzureTables</c>).
/// Either <see cref="ConnectionString"/> or <see cref="ServiceUri"/> (managed identity).
/// </summary>
public sealed record AzureTableStateOptions
{
    public const string Section = "State";

    /// <summary>Value of <c>State:Provider</c> that selects this store.</summary>
    public const string ProviderName = "AzureTables";

    public string? ConnectionString { get; init; }

    /// <summary>e.g. https://account.table.core.windows.net</summary>
    public Uri? ServiceUri { get; init; }

    /// <summary>Prefix of the tables: <c>{prefix}deliveries</c>, <c>{prefix}pullrequests</c> and <c>{prefix}images</c>.</summary>
    public string TablePrefix { get; init; } = "reviewbot";

    public string DeliveriesTable => TablePrefix + "deliveries";

    public string PullRequestsTable => TablePrefix + "pullrequests";

    /// <summary>What registries said about base images, shared by every replica (<see cref="AzureTableImageConfigCache"/>).</summary>
    public string ImagesTable => TablePrefix + "images";

    /// <summary>A connection string holds the account key: ToString says whether it is set, never what it is.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"ConnectionString = {Hosting.Redact.Secret(ConnectionString)}, ServiceUri = {ServiceUri}, TablePrefix = {TablePrefix}");
        return true;
    }

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (ServiceUri is null))
        {
            yield return "State:Provider=AzureTables needs exactly one of State:ConnectionString or State:ServiceUri.";
        }
        // Azure: table names are 3-63 alphanumeric characters and start with a letter.
        if (!System.Text.RegularExpressions.Regex.IsMatch(PullRequestsTable, "^[A-Za-z][A-Za-z0-9]{2,62}$"))
        {
            yield return $"State:TablePrefix '{TablePrefix}' makes invalid Azure table names (letters and digits, starting with a letter, 51 at most).";
        }
    }
}
