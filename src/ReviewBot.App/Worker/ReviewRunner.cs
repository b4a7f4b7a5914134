using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using ReviewBot.Analysis;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.App.State;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Configuration;
using ReviewBot.GitHub.Review;

namespace ReviewBot.App.Worker;

/// <summary>How one run ended.</summary>
public enum RunOutcome
{
    Reviewed,
    Superseded,
    Skipped,
}

/// <summary>
/// One review run: token, config, files, contents, engine, planner, then one review and the check run,
/// created once at the end already completed. Safe to repeat: comments already on the pull request (by
/// fingerprint, remembered in the state store or listed from GitHub) are not posted again.
/// </summary>
public sealed class ReviewRunner(GitHubAppClient gitHub, IStateStore state, IOptions<GitHubOptions> options, ILogger<ReviewRunner> logger)
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
    public async Task<RunOutcome> RunAsync(WorkItem item, int attempt, CancellationToken cancellationToken)
    {
        var known = await state.GetPullRequestAsync(item.PullRequestKey, cancellationToken).ConfigureAwait(false);
        if (known?.LatestRequestedSha is { } latest && latest != item.HeadSha)
        {
            WorkerLog.Superseded(logger, item.PullRequestKey, item.HeadSha, latest);
            return RunOutcome.Superseded;
        }

        // GitHub sends pull_request.synchronize and check_suite.requested for the same push: the second finds
        // that head reviewed and costs nothing. Re-requests, a changed base and retries always run.
        if (attempt == 1 && known?.LastReviewedSha == item.HeadSha && NewHeadReasons.Contains(item.Reason))
        {
            WorkerLog.Skipped(logger, item.PullRequestKey, $"{item.HeadSha} is reviewed already ({item.Reason})");
            return RunOutcome.Skipped;
        }

        var client = gitHub.ForInstallation(item.InstallationId);

        // A pull_request webhook carried the head, base and draft already (and the router only queues open
        // ones); check_suite and check_run events do not, so those read the pull request.
        var pr = item is { BaseRef: { } baseRef, Draft: { } draft, HeadSha.Length: > 0 }
            ? new PullRequestInfo(item.PullNumber, "open", draft, item.HeadSha, baseRef, null)
            : await client.GetPullRequestAsync(item.Owner, item.Repo, item.PullNumber, cancellationToken).ConfigureAwait(false);
        if (pr.State != "open")
        {
            WorkerLog.Skipped(logger, item.PullRequestKey, "the pull request is closed");
            return RunOutcome.Skipped;
        }

        if (item.HeadSha.Length > 0 && pr.HeadSha != item.HeadSha)
        {
            WorkerLog.Superseded(logger, item.PullRequestKey, item.HeadSha, pr.HeadSha);
            return RunOutcome.Superseded;
        }

        string headSha = pr.HeadSha;
        var notes = ImmutableArray.CreateBuilder<string>();

        // The config comes from the base branch, so a pull request cannot switch off its own gate.
        var configText = await client.GetFileTextAsync(item.Owner, item.Repo, RepositoryConfig.RepositoryPath, pr.BaseRef, cancellationToken).ConfigureAwait(false);
        var config = RepositoryConfig.Default;
        if (configText is not null)
        {
            var parsed = RepositoryConfig.Parse(configText);
            config = parsed.Config;
            foreach (var error in parsed.Errors)
            {
                notes.Add($"`{RepositoryConfig.RepositoryPath}` on {pr.BaseRef}: {error} (the default is used).");
            }
        }

        if (pr.Draft && !config.ReviewDrafts)
        {
            WorkerLog.Skipped(logger, item.PullRequestKey, "draft pull requests are not reviewed in this repository");
            return RunOutcome.Skipped;
        }

        long? checkRunId = null;
        try
        {
            var check = await ReviewAsync(client, item, attempt, pr, config, notes, cancellationToken).ConfigureAwait(false);
            if (check is null)
            {
                return RunOutcome.Superseded;
            }

            checkRunId = await client.CreateCheckRunAsync(item.Owner, item.Repo, headSha, check, cancellationToken).ConfigureAwait(false);
            await client.AddRemainingAnnotationsAsync(item.Owner, item.Repo, checkRunId.Value, check, cancellationToken).ConfigureAwait(false);
            return RunOutcome.Reviewed;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Never leave the check in progress or missing: neutral, with the reason.
            WorkerLog.RunFailed(logger, item.PullRequestKey, headSha, e.GetType().Name, e);
            try
            {
                await client.FailCheckRunAsync(item.Owner, item.Repo, headSha, checkRunId, FailureReason(e), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception inner)
            {
                WorkerLog.CheckNotClosed(logger, item.PullRequestKey, inner);
            }

            throw;
        }
    }

    /// <summary>
    /// Posts the review and the "Fixed in" replies, remembers what is on the pull request, and returns the
    /// check to create; null when a newer head was asked for meanwhile (nothing posted).
    /// </summary>
    private async Task<ReviewBot.GitHub.Checks.CheckRunPlan?> ReviewAsync(PullRequestClient client, WorkItem item, int attempt, PullRequestInfo pr, RepositoryConfig config, ImmutableArray<string>.Builder notes, CancellationToken cancellationToken)
    {
        var listed = await client.ListFilesAsync(item.Owner, item.Repo, item.PullNumber, cancellationToken).ConfigureAwait(false);
        if (listed.Truncated)
        {
            notes.Add($"GitHub lists at most {PullRequestClient.MaxListedFiles} files of a pull request; Dockerfiles beyond those were not checked.");
        }

        var analyzerOptions = config.ToAnalyzerOptions();
        var files = new List<ReviewFile>();
        foreach (var file in listed.Files.Where(f => !f.IsRemoved && config.IsIncluded(f.Path)))
        {
            var text = await client.GetFileTextAsync(item.Owner, item.Repo, file.Path, pr.HeadSha, cancellationToken).ConfigureAwait(false);
            if (text is null)
            {
                notes.Add($"`{file.Path}` could not be read at {pr.HeadSha[..Math.Min(7, pr.HeadSha.Length)]}.");
                continue;
            }

            var result = DockerfileAnalyzer.Analyze(text, analyzerOptions);
            files.Add(new ReviewFile(file.Path, text, result with { Findings = config.Apply(result.Findings) }, file.Patch));
        }

        // Without the GET of the pull request, the state is what tells that a newer push arrived while this ran.
        var stored = await state.GetPullRequestAsync(item.PullRequestKey, cancellationToken).ConfigureAwait(false);
        if (stored?.LatestRequestedSha is { } latest && latest != item.HeadSha)
        {
            WorkerLog.Superseded(logger, item.PullRequestKey, item.HeadSha, latest);
            return null;
        }

        var remembered = stored?.Fingerprints ?? [];
        var planOptions = ReviewPlanOptions.From(config) with
        {
            PostedFingerprints = remembered,
            Notes = notes.ToImmutable(),
            RuleDocsBaseUrl = options.Value.RuleDocsBaseUrl,
        };
        var plan = ReviewPlanner.Plan(files, planOptions);

        // Our comments are listed only when they can tell us something the state does not.
        PreviousComments? previous = null;
        if (NeedsPreviousComments(item, attempt, stored, plan))
        {
            previous = await PreviousComments.ReadAsync(client, item.Owner, item.Repo, item.PullNumber, cancellationToken).ConfigureAwait(false);
            plan = ReviewPlanner.Plan(files, planOptions with { PostedFingerprints = previous.Fingerprints.Concat(remembered).ToHashSet(StringComparer.Ordinal) });
        }

        Operations.ReviewBotTelemetry.Findings.Add(files.Sum(f => f.Analysis.Findings.Length));

        var delivered = await client.PostReviewAsync(item.Owner, item.Repo, item.PullNumber, pr.HeadSha, plan, cancellationToken).ConfigureAwait(false);
        WorkerLog.Reviewed(logger, item.PullRequestKey, pr.HeadSha, plan.Comments.Length, plan.FileComments.Length, plan.Check.Conclusion.ToString());

        if (previous is not null && !listed.Truncated)
        {
            await previous.AnswerFixedAsync(client, item.Owner, item.Repo, item.PullNumber, plan, pr.HeadSha, cancellationToken).ConfigureAwait(false);
        }

        // Saved before the check run, so a retry after a failed check posts nothing twice and lists nothing.
        // What the listing found is kept too: the state then knows every comment of ours still open.
        await PullRequestStates.UpdateAsync(state, item.PullRequestKey, s => s with
        {
            LastReviewedSha = pr.HeadSha,
            Fingerprints = s.Fingerprints.Union(delivered.Fingerprints).Union(previous?.Fingerprints ?? Enumerable.Empty<string>()).Intersect(plan.Fingerprints),
        }, cancellationToken).ConfigureAwait(false);

        return plan.Check;
    }

    /// <summary>
    /// False when listing our comments cannot find anything: on the first try of a newly opened pull request
    /// (a retry may follow a review that was posted), or when the state knows the last review and every
    /// comment of ours it remembers is still in the plan (nothing fixed, so no "Fixed in" reply is due, and the
    /// remembered fingerprints already keep them from being posted twice).
    /// </summary>
    private static bool NeedsPreviousComments(WorkItem item, int attempt, PullRequestState? stored, ReviewPlan plan)
    {
        if (item.Reason == Opened && attempt == 1)
        {
            return false;
        }

        return stored?.LastReviewedSha is null || !stored.Fingerprints.All(plan.Fingerprints.Contains);
    }

    private static string FailureReason(Exception e) => e switch
    {
        GitHubRateLimitedException r => $"GitHub asked us to wait {r.RetryAfter.TotalSeconds:0} s (rate limit). The review is tried again automatically.",
        GitHubApiException api => $"GitHub answered {api.StatusCode}: {api.Message}. The review is tried again automatically.",
        _ => $"The review failed ({e.GetType().Name}: {e.Message}). It is tried again automatically.",
    };
}
