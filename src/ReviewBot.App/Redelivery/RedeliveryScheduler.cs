using Microsoft.Extensions.Options;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Redelivery;

/// <summary>
/// Once per <see cref="RedeliveryOptions.Interval"/>, queues one <see cref="RedeliveryWork"/> item as background
/// work (reviews go first). Every replica queues it, under the same id for the same interval, so the
/// <see cref="DeduplicatingWorkQueue"/> lets one copy run and drops the others.
/// </summary>
public sealed class RedeliveryScheduler(IWorkQueue queue, IOptions<RedeliveryOptions> options, TimeProvider time, ILogger<RedeliveryScheduler> logger) : BackgroundService
{
    /// <summary>The item of the interval that holds <paramref name="now"/>.</summary>
    public static RedeliveryWork ItemFor(DateTimeOffset now, TimeSpan interval) =>
        new($"redelivery-{now.UtcTicks / interval.Ticks}", "redelivery");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await queue.EnqueueAsync(ItemFor(time.GetUtcNow(), interval), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                RedeliveryLog.NotQueued(logger, e.GetType().Name, interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
