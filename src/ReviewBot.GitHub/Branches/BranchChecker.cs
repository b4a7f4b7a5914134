using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Checks;
using ReviewBot.Configuration;
using ReviewBot.GitHub.PullRequests;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Branches;

/// <summary>The commit a branch check is for: a push to the repository's default branch.</summary>
public sealed record BranchTarget(string Owner, string Repo, string Branch, string CommitSha);

/// <summary>
/// "Check a branch": the <c>ReviewBot / non-root</c> check run on a commit of the default branch, so the branch
/// shows whether its images run as root. The Dockerfiles of the whole tree at that commit are read and analyzed
/// with the same bounds as a review (<see cref="PullRequestReviewer.MaxDockerfiles"/>, bytes per file, time),
/// and the check carries their annotations; nothing else is posted. Fails closed like a review: a check that
/// cannot finish ends <c>failure</c> (unless that commit's config says <c>check.on_error: neutral</c>), and
/// Dockerfiles left unchecked keep it from passing.
/// </summary>
public sealed class BranchChecker(PullRequestReviewer reviewer)
{
    /// <summary>Checks and posts the check run; throws (after writing the failed check) when the check could not finish.</summary>
    /// <exception cref="WorkDeferredException">Before anything is read or written, when the installation's API budget is down to the reserve kept for pull request reviews: the check is background work, and comes back when GitHub renews the budget.</exception>
    public async Task<CheckRunPlan> CheckAsync(GitHubInstallationClient client, BranchTarget target, ReviewSettings settings, ReviewHooks hooks, CancellationToken cancellationToken)
    {
        if (client.RateLimits.BackgroundWait() is { } renewed)
        {
            throw WorkDeferredException.ForApiBudget(renewed);
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(settings.TimeBudget);
        var onError = CheckConclusion.Failure;
        try
        {
            var source = new BranchSource(client, target.Owner, target.Repo, target.Branch, target.CommitSha);
            CheckRunPlan check;
            using (var texts = settings.Texts.Open())
            {
                // The texts are given back once planned: the check's text is all that is left of them.
                var input = await reviewer.ReadAsync(source, budget.Token, settings.Packages, texts).ConfigureAwait(false);
                onError = input.Config.OnError == ErrorConclusion.Neutral ? CheckConclusion.Neutral : CheckConclusion.Failure;
                check = PullRequestReviewer.Plan(input, ReviewPlanOptions.From(input.Config) with
                {
                    RuleDocsBaseUrl = settings.RuleDocsBaseUrl,
                    Subject = CheckSubject.Commit,
                    Links = new SourceLinks(settings.WebUrl, target.Owner, target.Repo, target.CommitSha),
                }).Check;
            }

            var id = await client.CreateCheckRunAsync(target.Owner, target.Repo, target.CommitSha, check, CheckRerun.OfBranch, budget.Token).ConfigureAwait(false);
            await client.AddRemainingAnnotationsAsync(target.Owner, target.Repo, id, check, budget.Token).ConfigureAwait(false);
            return check;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (e is OperationCanceledException && budget.IsCancellationRequested)
            {
                e = new TimeoutException($"The branch check took longer than its budget of {settings.TimeBudget}.", e);
            }

            await PullRequestReviewer.FailCheckAsync(client, new PullRequestTarget(target.Owner, target.Repo, 0, target.CommitSha, target.Branch, target.CommitSha, false), e, onError, settings, hooks, CheckSubject.Commit).ConfigureAwait(false);
            if (e is TimeoutException { InnerException: OperationCanceledException })
            {
                throw e;
            }

            throw;
        }
    }
}
