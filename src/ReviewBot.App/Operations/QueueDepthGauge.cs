using System.Diagnostics.Metrics;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Operations;

/// <summary>
/// Publishes <c>reviewbot.queue.depth</c>. The queue is asked on a timer, not from the metrics callback,
/// so a slow or unreachable queue never blocks an exporter.
/// </summary>
internal sealed class QueueDepthGauge : BackgroundService
{
    /// <summary>How often the queue is asked for its depth.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly IWorkQueue _queue;
    private readonly ObservableGauge<int> _gauge;
    private int _depth;

    public QueueDepthGauge(IWorkQueue queue)
    {
        _queue = queue;
        _gauge = ReviewBotTelemetry.Meter.CreateObservableGauge("reviewbot.queue.depth", () => Volatile.Read(ref _depth), "{item}", "Work items waiting in the queue");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = _gauge;
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                Volatile.Write(ref _depth, await _queue.GetDepthAsync(stoppingToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Readiness reports an unreachable queue; the gauge keeps its last value.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
