namespace ReviewBot.App.Azure;

/// <summary>
/// The durable work queue on Azure Storage Queues, bound from the <c>Queue</c> section
/// (<c>Queue:Provider=AzureStorage</c>). Either <see cref="ConnectionString"/> (Azurite, keys) or
/// <see cref="ServiceUri"/> (managed identity through Azure.Identity).
/// </summary>
public sealed record AzureQueueOptions
{
    public const string Section = "Queue";

    /// <summary>Value of <c>Queue:Provider</c> that selects this queue.</summary>
    public const string ProviderName = "AzureStorage";

    public string? ConnectionString { get; init; }

    /// <summary>e.g. https://account.queue.core.windows.net</summary>
    public Uri? ServiceUri { get; init; }

    /// <summary>Queue name of urgent work; background work is in this name with <c>-bg</c>, the poison queue this name with <c>-poison</c>.</summary>
    public string Name { get; init; } = "reviewbot-work";

    /// <summary>How long a taken message stays hidden; renewed while its worker is alive.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A message handed out more often than this goes to the poison queue.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>Longest pause between polls of an empty queue.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A worker that holds a message longer than this stops renewing it, so a hung review comes back.</summary>
    public TimeSpan MaxLease { get; init; } = TimeSpan.FromMinutes(30);

    public string PoisonName => Name + "-poison";

    /// <summary>The background lane (onboarding, redelivery): this name with <c>-bg</c>, read only when <see cref="Name"/> is empty.</summary>
    public string BackgroundName => Name + "-bg";

    /// <summary>A connection string holds the account key: ToString says whether it is set, never what it is.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"ConnectionString = {Hosting.Redact.Secret(ConnectionString)}, ServiceUri = {ServiceUri}, Name = {Name}, ")
            .Append($"VisibilityTimeout = {VisibilityTimeout}, MaxDequeueCount = {MaxDequeueCount}, MaxPollInterval = {MaxPollInterval}, MaxLease = {MaxLease}");
        return true;
    }

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (ServiceUri is null))
        {
            yield return "Queue:Provider=AzureStorage needs exactly one of Queue:ConnectionString or Queue:ServiceUri.";
        }
        // Azure: queue names are 3-63 lowercase letters, digits and single dashes, starting with a letter or digit.
        if (!System.Text.RegularExpressions.Regex.IsMatch(PoisonName, "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$"))
        {
            yield return $"Queue:Name '{Name}' is not a valid Azure queue name (3-56 lowercase letters, digits, single dashes; '-poison' is appended).";
        }

        if (VisibilityTimeout < TimeSpan.FromSeconds(1) || VisibilityTimeout > AzureStorageLimits.MaxVisibilityTimeout)
        {
            yield return "Queue:VisibilityTimeout must be between 1 second and 7 days.";
        }

        if (MaxDequeueCount < 1)
        {
            yield return "Queue:MaxDequeueCount must be at least 1.";
        }

        if (MaxPollInterval <= TimeSpan.Zero)
        {
            yield return "Queue:MaxPollInterval must be positive.";
        }

        if (MaxLease < VisibilityTimeout)
        {
            yield return "Queue:MaxLease must be at least Queue:VisibilityTimeout.";
        }
    }
}
