using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ReviewBot.App.Queue;
using ReviewBot.App.State;
using ReviewBot.App.Worker;
using ReviewBot.GitHub.Api;

namespace ReviewBot.App.Redelivery;

/// <summary>The App's webhook deliveries as GitHub lists them, and a redelivery of one.</summary>
public interface IHookDeliveries
{
    Task<IReadOnlyList<HookDelivery>> ListAsync(DateTimeOffset since, CancellationToken cancellationToken);

    Task RedeliverAsync(long deliveryId, CancellationToken cancellationToken);
}

/// <summary>The claims of this process: its claimant id, and the events it has had redelivered.</summary>
public sealed class RedeliveryClaims
{
    /// <summary>This process's claimant: its claims pass its own later runs (a failed POST is tried again), never another replica's.</summary>
    public string Claimant { get; } = Guid.NewGuid().ToString("N");

    public ConcurrentDictionary<string, bool> Redelivered { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Runs a <see cref="RedeliveryWork"/> item, as GitHub's docs describe: lists the App's deliveries of the last
/// <see cref="RedeliveryOptions.Lookback"/>, and for each event (GUID) none of whose attempts succeeded asks GitHub
/// once to deliver it again. An event is claimed in the shared state store first, so two replicas never ask for the
/// same one; an event already redelivered (by us or by hand) is never asked for again; what we refused ourselves
/// (a bad signature, a malformed payload: 4xx other than 408 and 429) would only be refused again, so it is left.
/// </summary>
public sealed class RedeliveryRunner(
    IHookDeliveries deliveries,
    IStateStore state,
    RedeliveryClaims claims,
    IOptions<RedeliveryOptions> options,
    TimeProvider time,
    ILogger<RedeliveryRunner> logger) : IWorkRunner<RedeliveryWork>
{
    public async Task<RunOutcome> RunAsync(RedeliveryWork item, int attempt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return RunOutcome.Skipped;
        }

        var listed = await deliveries.ListAsync(time.GetUtcNow() - settings.Lookback, cancellationToken).ConfigureAwait(false);
        int asked = 0, failedEvents = 0;
        foreach (var attempts in listed.GroupBy(d => d.Guid, StringComparer.Ordinal))
        {
            if (attempts.Any(d => d.Succeeded))
            {
                continue;
            }

            failedEvents++;
            var latest = attempts.MaxBy(d => d.DeliveredAt)!;
            if (attempts.Any(d => d.Redelivery) || claims.Redelivered.ContainsKey(attempts.Key) || !WorthAgain(latest.StatusCode) || asked >= settings.MaxPerRun)
            {
                continue;
            }

            if (!await state.TryClaimWorkAsync("redeliver:" + attempts.Key, claims.Claimant, cancellationToken).ConfigureAwait(false))
            {
                continue; // another replica asked for it
            }

            try
            {
                await deliveries.RedeliverAsync(latest.Id, cancellationToken).ConfigureAwait(false);
                claims.Redelivered[attempts.Key] = true;
                asked++;
                RedeliveryLog.Redelivered(logger, attempts.Key, latest.Event ?? "", latest.StatusCode);
            }
            catch (GitHubApiException e)
            {
                // Our claim stays: this process tries again on its next run; another replica does not.
                RedeliveryLog.NotRedelivered(logger, attempts.Key, e.StatusCode);
            }
        }

        RedeliveryLog.Ran(logger, listed.Count, failedEvents, asked);
        ReviewBot.App.Operations.ReviewBotTelemetry.Redeliveries.Add(asked);
        return asked > 0 ? RunOutcome.Redelivered : RunOutcome.Skipped;
    }

    /// <summary>No answer (0), a server error, or busy: worth sending again. Any other refusal was ours and would be again.</summary>
    private static bool WorthAgain(int status) => status is 0 or >= 500 or 408 or 429;
}

/// <summary>The deliveries over the App's pooled client, with the App's JWT.</summary>
internal sealed class GitHubHookDeliveries(GitHubAppClient app) : IHookDeliveries
{
    public Task<IReadOnlyList<HookDelivery>> ListAsync(DateTimeOffset since, CancellationToken cancellationToken) => app.ListDeliveriesAsync(since, cancellationToken);

    public Task RedeliverAsync(long deliveryId, CancellationToken cancellationToken) => app.RedeliverAsync(deliveryId, cancellationToken);
}
