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
/// One review run: token, files, contents, config, engine, planner, then one review and the check run.
/// Safe to repeat: comments already on the pull request (by fingerprint) are not posted again.
/// </summary>
public sealed class ReviewRunner(GitHubAppClient gitHub, IStateStore state, IOptions<GitHubOptions> options, ILogger<ReviewRunner> logger)
{
    public async Task<RunOutcome> RunAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var latest = (await state.GetPullRequestAsync(item.PullRequestKey, cancellationToken).ConfigureAwait(false))?.LatestRequestedSha;
        if (latest is not null && latest != item.HeadSha)
        {
            WorkerLog.Superseded(logger, item.PullRequestKey, item.HeadSha, latest);
            return RunOutcome.Superseded;
        }

        var client = gitHub.ForInstallation(item.InstallationId);
        var pr = await client.GetPullRequestAsync(item.Owner, item.Repo, item.PullNumber, cancellationToken).ConfigureAwait(false);
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

        long checkRunId = await client.StartCheckRunAsync(item.Owner, item.Repo, headSha, cancellationToken).ConfigureAwait(false);
        try
        {
            await ReviewAsync(client, item, pr, config, notes, checkRunId, cancellationToken).ConfigureAwait(false);
            return RunOutcome.Reviewed;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Never leave the check in progress: neutral, with the reason.
            WorkerLog.RunFailed(logger, item.PullRequestKey, headSha, e.GetType().Name, e);
            try
            {
                await client.FailCheckRunAsync(item.Owner, item.Repo, checkRunId, FailureReason(e), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception inner)
            {
                WorkerLog.CheckNotClosed(logger, item.PullRequestKey, inner);
            }

            throw;
        }
    }

    private async Task ReviewAsync(PullRequestClient client, WorkItem item, PullRequestInfo pr, RepositoryConfig config, ImmutableArray<string>.Builder notes, long checkRunId, CancellationToken cancellationToken)
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

        var previous = await PreviousComments.ReadAsync(client, item.Owner, item.Repo, item.PullNumber, cancellationToken).ConfigureAwait(false);
        var remembered = (await state.GetPullRequestAsync(item.PullRequestKey, cancellationToken).ConfigureAwait(false))?.Fingerprints ?? [];
        var posted = previous.Fingerprints.Concat(remembered).ToHashSet(StringComparer.Ordinal);

        var planOptions = ReviewPlanOptions.From(config) with
        {
            PostedFingerprints = posted,
            Notes = notes.ToImmutable(),
            RuleDocsBaseUrl = options.Value.RuleDocsBaseUrl,
        };
        var plan = ReviewPlanner.Plan(files, planOptions);
        Operations.ReviewBotTelemetry.Findings.Add(files.Sum(f => f.Analysis.Findings.Length));

        var delivered = await client.PostReviewAsync(item.Owner, item.Repo, item.PullNumber, pr.HeadSha, plan, cancellationToken).ConfigureAwait(false);
        WorkerLog.Reviewed(logger, item.PullRequestKey, pr.HeadSha, plan.Comments.Length, plan.FileComments.Length, plan.Check.Conclusion.ToString());

        if (!listed.Truncated)
        {
            await previous.AnswerFixedAsync(client, item.Owner, item.Repo, item.PullNumber, plan, pr.HeadSha, cancellationToken).ConfigureAwait(false);
        }

        await client.CompleteCheckRunAsync(item.Owner, item.Repo, checkRunId, plan.Check, cancellationToken).ConfigureAwait(false);

        await PullRequestStates.UpdateAsync(state, item.PullRequestKey, s => s with
        {
            LastReviewedSha = pr.HeadSha,
            Fingerprints = s.Fingerprints.Union(delivered.Fingerprints).Intersect(plan.Fingerprints),
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string FailureReason(Exception e) => e switch
    {
        GitHubRateLimitedException r => $"GitHub asked us to wait {r.RetryAfter.TotalSeconds:0} s (rate limit). The review is tried again automatically.",
        Octokit.ApiException api => $"GitHub answered {(int)api.StatusCode}: {api.Message}. The review is tried again automatically.",
        _ => $"The review failed ({e.GetType().Name}: {e.Message}). It is tried again automatically.",
    };
}
