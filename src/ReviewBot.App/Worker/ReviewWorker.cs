using System.Diagnostics;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.App.Operations;
using ReviewBot.App.Queue;
using ReviewBot.GitHub.Api;

namespace ReviewBot.App.Worker;

/// <summary>
/// Takes work from the queue with bounded concurrency. Items of one pull request run one at a time, in
/// order, and a newer push supersedes older items that have not started (see <see cref="ReviewRunner"/>).
/// A failed item comes back with a growing delay and is dead-lettered after the last attempt.
/// </summary>
public sealed class ReviewWorker(IWorkQueue queue, IServiceProvider services, IOptions<WorkerOptions> options, ILogger<ReviewWorker> logger) : BackgroundService
{
    private readonly KeyedGates _pullRequestGates = new();

    /// <summary>Per pull request gates held or waited for now (none once the work is done).</summary>
    internal int PullRequestGates => _pullRequestGates.Count;

    /// <summary>Cancels runs in flight only when the host's shutdown timeout runs out; stopping itself just stops taking work.</summary>
    private readonly CancellationTokenSource _abortRuns = new();

    /// <summary>Graceful shutdown: take no new work, let the runs in flight finish until the host's shutdown timeout.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using var abort = cancellationToken.Register(_abortRuns.Cancel);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True once the loops run: readiness reports it.</summary>
    public bool IsRunning { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IsRunning = true;
        var loops = Enumerable.Range(0, options.Value.Concurrency).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken));
        return Task.WhenAll(loops);
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IQueuedWork? work;
            try
            {
                work = await queue.DequeueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (work is null)
            {
                return;
            }

            await ProcessAsync(work, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(IQueuedWork work, CancellationToken stoppingToken)
    {
        var item = work.Item;
        var runToken = _abortRuns.Token;
        using var logScope = logger.BeginScope(ReviewBotTelemetry.Scope(item));
        using var activity = ReviewBotTelemetry.StartReview(item, work.DequeueCount);
        var started = Stopwatch.GetTimestamp();
        IDisposable gate;
        try
        {
            gate = await _pullRequestGates.EnterAsync(item.PullRequestKey, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping before this item started: it goes back for another replica, untouched.
            await work.AbandonAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            ReviewBotTelemetry.RecordRun("Abandoned", Stopwatch.GetElapsedTime(started));
            return;
        }

        try
        {
            using var scope = services.CreateScope();
            // Each kind has its runner (keyed by kind); a kind this version does not run fails, and is dead-lettered
            // after the last attempt rather than dropped.
            var runner = scope.ServiceProvider.GetKeyedService<IWorkRunner>(item.Kind)
                ?? throw new InvalidOperationException($"No runner is registered for {item.Kind} work.");
            var outcome = await runner.RunAsync(item, work.DequeueCount, runToken).ConfigureAwait(false);
            await work.CompleteAsync(runToken).ConfigureAwait(false);
            ReviewBotTelemetry.RecordRun(outcome.ToString(), Stopwatch.GetElapsedTime(started));
        }
        catch (WorkDeferredException e)
        {
            // Waiting for a budget is not a failure: a continuation waits in the queue and this message is done.
            try
            {
                await queue.ScheduleAsync(item with { DeliveryId = WorkDeferredException.NextDeliveryId(item.DeliveryId) }, e.Delay, CancellationToken.None).ConfigureAwait(false);
                await work.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception scheduling) when (scheduling is not OperationCanceledException)
            {
                // The same message comes back after the delay instead (its attempts keep counting).
                await work.AbandonAsync(e.Delay, CancellationToken.None).ConfigureAwait(false);
            }

            ReviewBotTelemetry.RecordRun("Deferred", Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            await work.AbandonAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            ReviewBotTelemetry.RecordRun("Abandoned", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            ReviewBotTelemetry.RecordRun("Failed", Stopwatch.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            if (work.DequeueCount >= options.Value.MaxAttempts)
            {
                WorkerLog.DeadLettered(logger, item.PullRequestKey, work.DequeueCount);
                await work.DeadLetterAsync($"{e.GetType().Name}: {e.Message}", CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                var delay = e is GitHubRateLimitedException limited
                    ? limited.RetryAfter
                    : options.Value.RetryDelay * Math.Pow(2, work.DequeueCount - 1);
                WorkerLog.Retrying(logger, item.PullRequestKey, work.DequeueCount, delay);
                await work.AbandonAsync(delay, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Dispose();
        }
    }
}
