using System.Net;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Review;

namespace ReviewBot.Cli.Review;

/// <summary>
/// Posts a plan to the pull request of a GitHub Actions run, as the App's review run does: one review on
/// the head commit, "Fixed in" replies to our comments whose problem is gone, and the check run.
/// Idempotent: comments whose fingerprint is on the pull request already are not planned again.
/// </summary>
public sealed class PullRequestPublisher(PullRequestClient client, ActionsEnvironment environment, TextWriter error)
{
    private PreviousComments? previous;

    private string Owner => environment.Owner;

    private string Repo => environment.Repo;

    private int Number => environment.PullRequest.Number;

    /// <summary>Reads our earlier comments (top-level ones carrying a fingerprint) and returns their fingerprints.</summary>
    public async Task<IReadOnlySet<string>> ReadPostedFingerprintsAsync(CancellationToken cancellationToken)
    {
        previous = await PreviousComments.ReadAsync(client, Owner, Repo, Number, cancellationToken).ConfigureAwait(false);
        return previous.Fingerprints;
    }

    /// <summary>
    /// Posts the review, then creates the check run once, already completed (annotations past the first 50
    /// follow in updates). When the token may not create check runs (GitHub Actions' GITHUB_TOKEN without
    /// <c>checks: write</c> answers 403), says so and goes on without one: the step's exit code is the gate
    /// then. A failure ends the check neutral with the reason, never in progress.
    /// </summary>
    public async Task PublishAsync(ReviewPlan plan, CancellationToken cancellationToken)
    {
        string headSha = environment.PullRequest.HeadSha;
        long? checkRunId = null;
        try
        {
            var posted = await client.PostReviewAsync(Owner, Repo, Number, headSha, plan, cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync(posted.ReviewId is null
                ? $"reviewbot: nothing new to post on pull request #{Number}; every comment is there already."
                : $"reviewbot: posted review {posted.ReviewId} on pull request #{Number} ({plan.Comments.Length} inline, {plan.FileComments.Length} file comments{(posted.MovedInlineComments ? "; GitHub refused the inline comments, so they became file comments" : "")}).").ConfigureAwait(false);
            if (previous is not null)
            {
                await previous.AnswerFixedAsync(client, Owner, Repo, Number, plan, headSha, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                checkRunId = await client.CreateCheckRunAsync(Owner, Repo, headSha, plan.Check, cancellationToken).ConfigureAwait(false);
            }
            catch (GitHubApiException e) when (e.StatusCode == (int)HttpStatusCode.Forbidden)
            {
                await WarnNoChecksWriteAsync().ConfigureAwait(false);
                return;
            }

            await client.AddRemainingAnnotationsAsync(Owner, Repo, checkRunId.Value, plan.Check, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await client.FailCheckRunAsync(Owner, Repo, headSha, checkRunId, $"The review could not be posted ({Describe(e)}).", CancellationToken.None).ConfigureAwait(false);
            }
            catch (GitHubApiException forbidden) when (forbidden.StatusCode == (int)HttpStatusCode.Forbidden && checkRunId is null)
            {
                await WarnNoChecksWriteAsync().ConfigureAwait(false);
            }
            catch (Exception inner) when (inner is GitHubApiException or OperationCanceledException)
            {
                await error.WriteLineAsync($"reviewbot: the check run could not be closed either: {Describe(inner)}").ConfigureAwait(false);
            }

            throw;
        }
    }

    private Task WarnNoChecksWriteAsync() => error.WriteLineAsync(
        "reviewbot: GitHub refused to create the check run (403): the token lacks checks: write (add it under permissions: in the workflow). "
        + "Going on without a check run; this step's exit code is the gate.");

    /// <summary>A GitHub failure in one line, without request headers (so never the token).</summary>
    public static string Describe(Exception e) => e switch
    {
        GitHubRateLimitedException r => r.Message,
        GitHubApiException { StatusCode: (int)HttpStatusCode.Forbidden } api =>
            $"GitHub answered 403: {api.Message}. The token needs pull-requests: write; for pull requests from forks, GITHUB_TOKEN is read-only on pull_request events",
        GitHubApiException { StatusCode: 0 } api => api.Message,
        GitHubApiException api => $"GitHub answered {api.StatusCode}: {api.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
