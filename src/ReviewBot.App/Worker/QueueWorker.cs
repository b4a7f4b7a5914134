using System.Diagnostics;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.App.Operations;
using ReviewBot.App.Queue;
using ReviewBot.GitHub;
using ReviewBot.GitHub.Api;

namespace ReviewBot.App.Worker;

/// <summary>
/// Takes work from the queue with bounded concurrency and gives each item to the runner registered for its type
/// (<see cref="IWorkRunner{TWork}"/>). Items with one <see cref="WorkItem.Key"/> run one at a time, in order, and a
/// newer push supersedes older items that have not started (see <see cref="ReviewRunner"/>). Work that must wait
/// (<see cref="WorkDeferredException"/>) comes back as a continuation scheduled in the queue.
/// A failed item comes back with a growing delay and is dead-lettered after the last attempt.
/// Fair between tenants: urgent work (reviews, branch checks) is taken before background work (the queue's lanes),
/// and one installation runs at most <see cref="WorkerOptions.InFlightCapPerInstallation"/> items at once. An item
/// taken while its installation is at that cap is parked here (its message still held) and run by the next worker
/// that finishes an item of that installation; while <see cref="MaxParked"/> background items are parked,
/// the workers take only urgent work, so another installation's review never waits behind one installation's flood.
/// (An installation that floods urgent work parks at most <see cref="MaxParked"/> items too; then another's review
/// waits for one of its items to end, not for the flood.)
/// </summary>
public sealed class QueueWorker(IWorkQueue queue, IServiceProvider services, IOptions<WorkerOptions> options, ILogger<QueueWorker> logger) : BackgroundService
{
    private readonly KeyedGates _keyGates = new();

    /// <summary>Gates per <see cref="WorkItem.Key"/> held or waited for now (none once the work is done).</summary>
    internal int KeyGates => _keyGates.Count;

    /// <summary>Items running per installation, and the items parked until their installation has room; under <see cref="_fairness"/>.</summary>
    private readonly Counts<long> _inFlight = new();
    private readonly List<IQueuedWork> _parked = [];
    private readonly Lock _fairness = new();

    /// <summary>
    /// Items of each lane held back here at most (a few per worker, so a replica never hoards a queue other replicas
    /// share): with this many background items parked the workers take only urgent work; with this many urgent ones, nothing.
    /// </summary>
    private int MaxParked => options.Value.Concurrency * 2;

    /// <summary>How often a worker looks again while this replica holds back all it may.</summary>
    private static readonly TimeSpan ParkedPoll = TimeSpan.FromMilliseconds(50);

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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IsRunning = true;
        var loops = Enumerable.Range(0, options.Value.Concurrency).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken));
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        finally
        {
            // Parked items never started: back to the queue for another replica, untouched.
            List<IQueuedWork> parked;
            lock (_fairness)
            {
                parked = [.. _parked];
                _parked.Clear();
            }

            foreach (var work in parked)
            {
                await work.AbandonAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var work = TakeParked();
            if (work is null)
            {
                var (urgent, background) = ParkedCounts();
                try
                {
                    if (urgent >= MaxParked)
                    {
                        // Enough held back here: leave the rest in the queue for other replicas, and look again shortly.
                        await Task.Delay(ParkedPoll, stoppingToken).ConfigureAwait(false);
                        continue;
                    }

                    work = await queue.DequeueAsync(urgentOnly: background >= MaxParked, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (work is null)
                {
                    return;
                }

                if (!TryEnterOrPark(work))
                {
                    continue;
                }
            }

            try
            {
                await ProcessAsync(work, stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                Leave(work.Item.InstallationId);
            }
        }
    }

    /// <summary>Counts the item in its installation's work in flight, or parks it when the installation is at its cap.</summary>
    private bool TryEnterOrPark(IQueuedWork work)
    {
        lock (_fairness)
        {
            if (_inFlight.Of(work.Item.InstallationId) >= options.Value.InFlightCapPerInstallation)
            {
                _parked.Add(work);
                return false;
            }

            _inFlight.Add(work.Item.InstallationId);
            return true;
        }
    }

    /// <summary>The first parked item whose installation has room now, urgent before background, counted in as it is taken.</summary>
    private IQueuedWork? TakeParked()
    {
        lock (_fairness)
        {
            int cap = options.Value.InFlightCapPerInstallation;
            int index = _parked.FindIndex(w => !w.Item.IsBackground && _inFlight.Of(w.Item.InstallationId) < cap);
            if (index < 0)
            {
                index = _parked.FindIndex(w => _inFlight.Of(w.Item.InstallationId) < cap);
            }

            if (index < 0)
            {
                return null;
            }

            var work = _parked[index];
            _parked.RemoveAt(index);
            _inFlight.Add(work.Item.InstallationId);
            return work;
        }
    }

    private (int Urgent, int Background) ParkedCounts()
    {
        lock (_fairness)
        {
            int background = _parked.Count(w => w.Item.IsBackground);
            return (_parked.Count - background, background);
        }
    }

    private void Leave(long installation)
    {
        lock (_fairness)
        {
            _inFlight.Remove(installation);
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
            gate = await _keyGates.EnterAsync(item.Key, stoppingToken).ConfigureAwait(false);
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
            // Each type of work has its runner; a type this version does not run fails, and is dead-lettered after the
            // last attempt rather than dropped.
            var runner = scope.ServiceProvider.RunnerFor(item)
                ?? throw new InvalidOperationException($"No runner is registered for {item.GetType().Name}.");
            var outcome = await runner.RunAsync(item, work.DequeueCount, runToken).ConfigureAwait(false);
            await work.CompleteAsync(runToken).ConfigureAwait(false);
            ReviewBotTelemetry.RecordRun(outcome.ToString(), Stopwatch.GetElapsedTime(started));
        }
        catch (WorkDeferredException e)
        {
            // Waiting for a budget is not a failure: a continuation waits in the queue and this message is done.
            try
            {
                await queue.ScheduleAsync(item with { Continuation = item.Continuation + 1 }, e.RetryAfter, CancellationToken.None).ConfigureAwait(false);
                await work.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception scheduling) when (scheduling is not OperationCanceledException)
            {
                // The same message comes back after the delay instead (its attempts keep counting).
                await work.AbandonAsync(e.RetryAfter, CancellationToken.None).ConfigureAwait(false);
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
                WorkerLog.DeadLettered(logger, item.Key, work.DequeueCount);
                await work.DeadLetterAsync($"{e.GetType().Name}: {e.Message}", CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                var delay = e is GitHubRateLimitedException limited
                    ? limited.RetryAfter
                    : options.Value.RetryDelay * Math.Pow(2, work.DequeueCount - 1);
                WorkerLog.Retrying(logger, item.Key, work.DequeueCount, delay);
                await work.AbandonAsync(delay, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Dispose();
        }
    }
}
