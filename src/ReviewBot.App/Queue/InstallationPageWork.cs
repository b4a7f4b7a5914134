namespace ReviewBot.App.Queue;

/// <summary>
/// Fan an installation event out into one <see cref="OnboardWork"/> item per repository, in the worker rather than in
/// the webhook request (GitHub gives a delivery 10 s; an organisation has hundreds of repositories), one page of the
/// installation's repositories per item.
/// </summary>
/// <param name="Account">The installation's account.</param>
/// <param name="Page">The page of the installation's repository list (from 1) this item queues.</param>
/// <param name="Repositories">"owner/name" of the repositories to onboard, when the payload named few enough to carry
/// (see <c>WebhookRouter.MaxCarriedRepositories</c>); null to list the installation's repositories.</param>
public sealed record InstallationPageWork(string DeliveryId, long InstallationId, string Account, int Page, string Reason, IReadOnlyList<string>? Repositories = null)
    : WorkItem(DeliveryId, InstallationId, Reason)
{
    /// <summary>The ids of <see cref="Repositories"/>, in the same order, when the payload had them (0 for one it did not).</summary>
    public IReadOnlyList<long>? RepositoryIds { get; init; }

    /// <summary>Per page: each page is its own unit of work, so a retried page's copies are dropped, not the next page.</summary>
    public override string Key => $"{Account}!installation-{InstallationId}/{Page}".ToLowerInvariant();
}
