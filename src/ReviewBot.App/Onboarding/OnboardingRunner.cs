using Microsoft.Extensions.Options;
using ReviewBot.App.Queue;
using ReviewBot.App.State;
using ReviewBot.App.Worker;
using ReviewBot.GitHub;
using ReviewBot.GitHub.Onboarding;

namespace ReviewBot.App.Onboarding;

/// <summary>Makes the onboarding calls for one installation.</summary>
public interface IOnboardingGitHubFactory
{
    /// <summary>Calls on a token for the one repository onboarded (<paramref name="repositoryId"/>, or by name when null) with onboarding's permissions.</summary>
    IOnboardingGitHub ForRepository(long installationId, long? repositoryId, string repo);
}

/// <summary>
/// Runs an <see cref="OnboardWork"/> item: claims the repository at its default branch's head (so it is done
/// once across deliveries and replicas), reserves the writes from the shared pacer, and when the budget is spent
/// puts the item back in the queue until the window frees (<see cref="WorkDeferredException"/>).
/// </summary>
public sealed class OnboardingRunner(
    IOnboardingGitHubFactory gitHub,
    WritePacer pacer,
    IStateStore state,
    IOptions<OnboardingOptions> options,
    ILogger<OnboardingRunner> logger) : IWorkRunner<OnboardWork>
{
    public async Task<RunOutcome> RunAsync(OnboardWork item, int attempt, CancellationToken cancellationToken)
    {
        string repository = $"{item.Owner}/{item.Repo}";
        if (!options.Value.Enabled)
        {
            // Switched off after the item was queued.
            OnboardingTelemetry.RecordSkipped("off");
            OnboardingLog.Skipped(logger, repository, "onboarding is off");
            return RunOutcome.Skipped;
        }

        OnboardingResult result;
        try
        {
            result = await RepositoryOnboarder.OnboardAsync(
                gitHub.ForRepository(item.InstallationId, item.RepositoryId, item.Repo),
                item.Owner,
                item.Repo,
                // The webhook's delivery is the claimant: its retries and continuations pass, another delivery for the same head does not.
                sha => state.TryClaimWorkAsync($"onboard:{item.InstallationId}/{item.RepositoryId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? repository}@{sha}".ToLowerInvariant(), item.DeliveryId, cancellationToken),
                async writes => await pacer.TryReserveAsync(item.InstallationId, writes, cancellationToken).ConfigureAwait(false) is { Granted: false } refused ? refused.RetryAfter : null,
                cancellationToken).ConfigureAwait(false);
        }
        catch (WorkDeferredException deferred)
        {
            // The worker puts the item back in the queue until the window frees; said here, where the repository is known.
            OnboardingTelemetry.Waiting.Add(1);
            OnboardingLog.Waiting(logger, repository, deferred.Message, deferred.RetryAfter);
            throw;
        }

        switch (result.Outcome)
        {
            case OnboardingOutcome.Opened or OnboardingOutcome.Refreshed:
                OnboardingTelemetry.Scanned.Add(1);
                OnboardingTelemetry.PullRequestsOpened.Add(1, new KeyValuePair<string, object?>("action", result.Outcome.ToString()));
                OnboardingLog.Done(logger, repository, result.Outcome.ToString(), result.Reason);
                return RunOutcome.Onboarded;
            case OnboardingOutcome.BranchNotOurs:
                // Someone else's branch (or the default branch) by our name: never moved, never committed to.
                OnboardingTelemetry.RecordSkipped("branch-not-ours");
                OnboardingLog.BranchNotOurs(logger, repository, result.Reason);
                return RunOutcome.Skipped;
            case OnboardingOutcome.Skipped or OnboardingOutcome.OptedOut:
                OnboardingTelemetry.RecordSkipped(result.Outcome == OnboardingOutcome.OptedOut ? "config" : "repository");
                OnboardingLog.Skipped(logger, repository, result.Reason);
                return RunOutcome.Skipped;
            default:
                OnboardingTelemetry.Scanned.Add(1);
                OnboardingLog.Done(logger, repository, result.Outcome.ToString(), result.Reason);
                return RunOutcome.Skipped;
        }
    }
}

/// <summary>Onboarding's GitHub calls on the installation's token, over the App's pooled client.</summary>
internal sealed class GitHubOnboardingFactory(ReviewBot.GitHub.Api.GitHubAppClient app) : IOnboardingGitHubFactory
{
    public IOnboardingGitHub ForRepository(long installationId, long? repositoryId, string repo) =>
        new GitHubOnboardingClient(app.ForInstallation(installationId, ReviewBot.GitHub.Auth.TokenScope.Onboarding(repositoryId, repo)), app.GetBotLoginAsync);
}
