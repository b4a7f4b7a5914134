namespace ReviewBot.App.Queue;

/// <summary>Onboard a repository newly selected for the App: its default branch is read when the item runs.</summary>
public sealed record OnboardWork(string DeliveryId, long InstallationId, string Owner, string Repo, string Reason)
    : RepositoryWork(DeliveryId, InstallationId, Owner, Repo, Reason)
{
    protected override string KeyOf(string repository) => $"{repository}!onboard".ToLowerInvariant();
}
