using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.App.State;
using ReviewBot.GitHub;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Auth;
using ReviewBot.GitHub.Branches;
using ReviewBot.GitHub.PullRequests;

namespace ReviewBot.App.Worker;

/// <summary>
/// A push to the default branch: <see cref="BranchChecker"/> puts the check run on the pushed commit. A newer
/// push to the branch supersedes an older one's check that has not started. A failed attempt has already ended
/// the check failure (fail closed); the retry that succeeds adds a completed check on the same commit.
/// </summary>
public sealed class BranchCheckRunner(GitHubAppClient gitHub, BranchChecker checker, IStateStore state, IOptions<GitHubOptions> options, IOptions<WorkerOptions> workerOptions, TextBudget texts, ILogger<BranchCheckRunner> logger) : IWorkRunner<BranchCheckWork>
{
    public async Task<RunOutcome> RunAsync(BranchCheckWork item, int attempt, CancellationToken cancellationToken)
    {
        var known = await PullRequestStates.GetAsync(state, item, cancellationToken).ConfigureAwait(false);
        if (known?.LatestRequestedSha is { } latest && latest != item.HeadSha)
        {
            BranchCheckLog.Superseded(logger, item.Key, item.HeadSha, latest);
            return RunOutcome.Superseded;
        }

        var settings = new ReviewSettings
        {
            TimeBudget = workerOptions.Value.ReviewTimeBudget,
            RuleDocsBaseUrl = options.Value.RuleDocsBaseUrl,
            WebUrl = options.Value.WebUrl.ToString(),
            RetriedAutomatically = attempt < workerOptions.Value.MaxAttempts,
            BotLogin = gitHub.GetBotLoginAsync,
            Packages = gitHub.PackagesAccess(item.InstallationId, item.Owner),
            Texts = texts,
        };
        var target = new BranchTarget(item.Owner, item.Repo, item.Branch, item.HeadSha);
        try
        {
            var check = await checker.CheckAsync(gitHub.ForInstallation(item.InstallationId, TokenScope.BranchCheck(item.RepositoryId, item.Repo)), target, settings, new Hooks(item, logger), cancellationToken).ConfigureAwait(false);
            BranchCheckLog.Checked(logger, item.Key, item.HeadSha, check.Annotations.Length, check.Conclusion.ToString());
            return RunOutcome.Checked;
        }
        // Deferred (the API budget is at the reviews' reserve) is no failure: nothing was read or written, and the
        // worker puts the check back in the queue until GitHub renews the budget.
        catch (Exception e) when (e is not WorkDeferredException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            BranchCheckLog.Failed(logger, item.Key, item.HeadSha, e.GetType().Name, e);
            throw;
        }
    }

    private sealed class Hooks(BranchCheckWork item, ILogger logger) : ReviewHooks
    {
        public override void CheckNotClosed(Exception exception) => BranchCheckLog.CheckNotClosed(logger, item.Key, item.HeadSha, exception);
    }
}
