using Microsoft.Extensions.Options;
using ReviewBot.App.Queue;
using ReviewBot.App.Webhooks;
using ReviewBot.App.Worker;
using ReviewBot.GitHub.Api;

namespace ReviewBot.App.Onboarding;

/// <summary>The repositories an installation can reach, a page at a time.</summary>
public interface IInstallationRepositoryLister
{
    /// <param name="page">From 1.</param>
    Task<InstallationRepositoryPage> ListPageAsync(long installationId, int page, CancellationToken cancellationToken);
}

/// <summary>
/// Runs an <see cref="InstallationPageWork"/> item: queues one <see cref="OnboardWork"/> item per
/// repository of one page (the repositories the item carries, or a page of GET /installation/repositories), then the
/// item for the next page. Every item it queues carries the webhook's delivery id, so running a page again (a retry
/// after a crash halfway) queues only copies, which the <see cref="DeduplicatingWorkQueue"/> drops: no repository is
/// onboarded twice for one delivery, and a page is never more than 100 messages of work in one run.
/// </summary>
public sealed class OnboardInstallationRunner(
    IInstallationRepositoryLister lister,
    IWorkQueue queue,
    IOptions<OnboardingOptions> options,
    ILogger<OnboardInstallationRunner> logger) : IWorkRunner<InstallationPageWork>
{
    public async Task<RunOutcome> RunAsync(InstallationPageWork item, int attempt, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            OnboardingTelemetry.RecordSkipped("off");
            OnboardingLog.Off(logger, item.Account);
            return RunOutcome.Skipped;
        }

        IReadOnlyList<string> names;
        IReadOnlyList<long>? ids;
        bool more = false;
        if (item.Repositories is { } carried)
        {
            (names, ids) = (carried, item.RepositoryIds);
        }
        else
        {
            var page = await lister.ListPageAsync(item.InstallationId, item.Page, cancellationToken).ConfigureAwait(false);
            (names, more, ids) = (page.FullNames, page.More, page.Ids);
        }

        int queued = 0;
        for (int i = 0; i < names.Count; i++)
        {
            string fullName = names[i];
            // GitHub's answer becomes keys and URL segments like a payload's does: the same check. A name that fails
            // it is skipped, not retried: the same page would fail the same way until it was dead-lettered.
            string[] parts;
            try
            {
                parts = WebhookRouter.FullName(fullName).Split('/');
            }
            catch (FormatException)
            {
                OnboardingTelemetry.RecordSkipped("name");
                OnboardingLog.NotAName(logger, item.Account, item.Page);
                continue;
            }

            await queue.EnqueueAsync(new OnboardWork(item.DeliveryId, item.InstallationId, parts[0], parts[1], item.Reason)
            {
                // By id when known (tokens and keys follow it); else by name, as before.
                RepositoryId = ids?.Count == names.Count && ids[i] > 0 ? ids[i] : null,
            }, cancellationToken).ConfigureAwait(false);
            queued++;
        }

        OnboardingTelemetry.Queued.Add(queued);
        if (more && item.Page < MaxPages)
        {
            await queue.EnqueueAsync(item with { Page = item.Page + 1 }, cancellationToken).ConfigureAwait(false);
        }

        OnboardingLog.Queued(logger, item.Account, item.Page, queued, more);
        return RunOutcome.Queued;
    }

    /// <summary>Our bound on pages (10,000 repositories), so a list that never ends cannot queue forever.</summary>
    public const int MaxPages = 100;
}

/// <summary>The installation's repositories over the App's pooled client, on the installation's token.</summary>
internal sealed class GitHubInstallationRepositoryLister(GitHubAppClient app) : IInstallationRepositoryLister
{
    public Task<InstallationRepositoryPage> ListPageAsync(long installationId, int page, CancellationToken cancellationToken) =>
        app.ForInstallation(installationId, ReviewBot.GitHub.Auth.TokenScope.Installation).ListRepositoriesPageAsync(page, cancellationToken);
}
