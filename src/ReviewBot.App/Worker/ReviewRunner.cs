using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.App.State;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Auth;
using ReviewBot.GitHub.PullRequests;
using ReviewBot.GitHub.Review;

namespace ReviewBot.App.Worker;

/// <summary>
/// One work item: what is superseded or already reviewed is skipped, and the rest is
/// <see cref="PullRequestReviewer"/>'s, with the state store as its memory. Safe to repeat: comments already
/// on the pull request (by fingerprint, remembered in the state store or listed from GitHub) are not posted again.
/// A failed attempt ends the check failure at once (a pull request never waits on a pending check while the
/// item backs off), and the retry that succeeds creates a new completed check on the same head, which GitHub
/// then shows and branch protection reads instead.
/// </summary>
public sealed class ReviewRunner(GitHubAppClient gitHub, PullRequestReviewer reviewer, IStateStore state, IOptions<GitHubOptions> options, IOptions<WorkerOptions> workerOptions, TextBudget texts, ILogger<ReviewRunner> logger) : IWorkRunner<ReviewWork>
{
    /// <summary>Webhooks that only announce a head; one review per head answers all of them.</summary>
    private static readonly HashSet<string> NewHeadReasons = new(StringComparer.Ordinal)
    {
        "pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review", "check_suite.requested",
    };

    /// <summary>Reason of a pull request's first webhook: it has no comments of ours yet.</summary>
    private const string Opened = "pull_request.opened";

    /// <param name="item">What to review.</param>
    /// <param name="attempt">How many times the item has been handed out, this time included.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<RunOutcome> RunAsync(ReviewWork item, int attempt, CancellationToken cancellationToken)
    {
        var known = await PullRequestStates.GetAsync(state, item, cancellationToken).ConfigureAwait(false);
        if (known?.LatestRequestedSha is { } latest && latest != item.HeadSha)
        {
            WorkerLog.Superseded(logger, item.Key, item.HeadSha, latest);
            return RunOutcome.Superseded;
        }

        // GitHub sends pull_request.synchronize and check_suite.requested for the same push: the second finds
        // that head reviewed and costs nothing. Re-requests, a changed base and retries always run.
        if (attempt == 1 && known?.LastReviewedSha == item.HeadSha && NewHeadReasons.Contains(item.Reason))
        {
            WorkerLog.Skipped(logger, item.Key, $"{item.HeadSha} is reviewed already ({item.Reason})");
            return RunOutcome.Skipped;
        }

        // A token for this repository and a review's permissions only; a fork's head is read from the base repository.
        var client = gitHub.ForInstallation(item.InstallationId, TokenScope.Review(item.RepositoryId, item.Repo));

        // A pull_request webhook carried the head, the base (branch and commit) and draft already (and the router
        // only queues open ones); check_suite and check_run events do not, so those read the pull request.
        var settings = new ReviewSettings
        {
            TimeBudget = workerOptions.Value.ReviewTimeBudget,
            RuleDocsBaseUrl = options.Value.RuleDocsBaseUrl,
            WebUrl = options.Value.WebUrl.ToString(),
            NewPullRequest = item.Reason == Opened && attempt == 1,
            RetriedAutomatically = attempt < workerOptions.Value.MaxAttempts,
            BotLogin = gitHub.GetBotLoginAsync,
            Packages = gitHub.PackagesAccess(item.InstallationId, item.Owner),
            Texts = texts,
        };
        PullRequestInfo pr;
        try
        {
            pr = item is { BaseRef: { } baseRef, BaseSha: { } baseSha, Draft: { } draft, HeadSha.Length: > 0 }
                ? new PullRequestInfo(item.PullNumber, "open", draft, item.HeadSha, baseRef, null, baseSha)
                : await client.GetPullRequestAsync(item.Owner, item.Repo, item.PullNumber, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (item.HeadSha.Length > 0 && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            // Fail closed here too: without the pull request there is no base config, so no opt-out either.
            WorkerLog.RunFailed(logger, item.Key, item.HeadSha, e.GetType().Name, e);
            var unknown = new PullRequestTarget(item.Owner, item.Repo, item.PullNumber, item.HeadSha, "", "", false);
            await PullRequestReviewer.FailCheckAsync(client, unknown, e, ReviewBot.GitHub.Checks.CheckConclusion.Failure, settings, new StateHooks(state, item, logger)).ConfigureAwait(false);
            throw;
        }

        if (pr.State != "open")
        {
            WorkerLog.Skipped(logger, item.Key, "the pull request is closed");
            return RunOutcome.Skipped;
        }

        if (item.HeadSha.Length > 0 && pr.HeadSha != item.HeadSha)
        {
            WorkerLog.Superseded(logger, item.Key, item.HeadSha, pr.HeadSha);
            return RunOutcome.Superseded;
        }

        var target = new PullRequestTarget(item.Owner, item.Repo, item.PullNumber, pr.HeadSha, pr.BaseRef, pr.BaseSha, pr.Draft);
        try
        {
            var outcome = await reviewer.ReviewAsync(client, target, new GitHubPullRequestSource(client, target) { OrganisationClient = gitHub.ForInstallation(item.InstallationId, TokenScope.ReadContents(GitHubPullRequestSource.OrganisationRepository)) }, new StateHooks(state, item, logger), settings, cancellationToken).ConfigureAwait(false);
            switch (outcome.Status)
            {
                case ReviewStatus.Skipped:
                    WorkerLog.Skipped(logger, item.Key, outcome.Reason!);
                    return RunOutcome.Skipped;
                case ReviewStatus.Superseded:
                    return RunOutcome.Superseded;
                default:
                    return RunOutcome.Reviewed;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The check is failed already (or neutral, when the base opts out); the details stay here.
            WorkerLog.RunFailed(logger, item.Key, pr.HeadSha, e.GetType().Name, e);
            throw;
        }
    }

    /// <summary>The state store, as the use case's memory: superseded heads, remembered fingerprints, and telemetry.</summary>
    private sealed class StateHooks(IStateStore state, ReviewWork item, ILogger logger) : ReviewHooks
    {
        public override async Task<Recalled> RecallAsync(CancellationToken cancellationToken)
        {
            // Without the GET of the pull request, the state is what tells that a newer push arrived while this ran.
            var stored = await PullRequestStates.GetAsync(state, item, cancellationToken).ConfigureAwait(false);
            if (stored?.LatestRequestedSha is { } latest && latest != item.HeadSha)
            {
                WorkerLog.Superseded(logger, item.Key, item.HeadSha, latest);
                return new Recalled(true, null, ImmutableHashSet<string>.Empty);
            }

            return stored is null ? Recalled.Nothing : new Recalled(false, stored.LastReviewedSha, stored.Fingerprints);
        }

        public override Task RememberAsync(string headSha, IReadOnlySet<string> onPullRequest, IReadOnlySet<string> planned, CancellationToken cancellationToken) =>
            PullRequestStates.UpdateAsync(state, item, s => s with
            {
                LastReviewedSha = headSha,
                Fingerprints = s.Fingerprints.Union(onPullRequest).Intersect(planned),
            }, cancellationToken);

        public override void Planned(ReviewPlan plan, int findings)
        {
            Operations.ReviewBotTelemetry.Findings.Add(findings);
            WorkerLog.Reviewed(logger, item.Key, item.HeadSha, plan.Comments.Length, plan.FileComments.Length, plan.Check.Conclusion.ToString());
        }

        public override void CheckNotClosed(Exception exception) => WorkerLog.CheckNotClosed(logger, item.Key, exception);
    }
}
