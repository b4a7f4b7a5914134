using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;

namespace ReviewBot.App.Queue;

/// <summary>The queue was full for longer than the webhook may wait.</summary>
public sealed class QueueFullException() : Exception("The work queue is full.");

/// <summary>
/// The embedded queue: two bounded channels in this process, one per lane: urgent work (reviews, branch checks) is
/// always handed out before background work (onboarding, redelivery), and each lane has its own room, so a flood of
/// background work never makes the webhook answer 503. Items abandoned after a failure come back to their lane after
/// their delay. Work does not survive a restart; use the Azure Storage queue when that matters.
/// </summary>
public sealed class InMemoryWorkQueue : IWorkQueue
{
    /// <summary>How long the webhook waits for room before answering 503 (GitHub gives up after 10 s).</summary>
    public static readonly TimeSpan EnqueueTimeout = TimeSpan.FromSeconds(3);

    private readonly Channel<Entry> _urgent;
    private readonly Channel<Entry> _background;
    private readonly TimeProvider _time;

    public InMemoryWorkQueue(IOptions<WorkerOptions> options, TimeProvider time)
    {
        _time = time;
        _urgent = Channel.CreateBounded<Entry>(new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        _background = Channel.CreateBounded<Entry>(new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
    }

    private ChannelWriter<Entry> Lane(WorkItem item) => (item.IsBackground ? _background : _urgent).Writer;

    public async Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EnqueueTimeout);
        try
        {
            await Lane(item).WriteAsync(new Entry(item, Guid.NewGuid().ToString("N"), 0), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QueueFullException();
        }
    }

    public Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken) => DequeueAsync(false, cancellationToken);

    public async Task<IQueuedWork?> DequeueAsync(bool urgentOnly, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_urgent.Reader.TryRead(out var entry) || (!urgentOnly && _background.Reader.TryRead(out entry)))
            {
                return new Work(this, entry with { DequeueCount = entry.DequeueCount + 1 });
            }

            if (urgentOnly)
            {
                await _urgent.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            // Wait on both lanes; the wait that lost is cancelled, so waiters never pile up on a quiet lane.
            using (var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var urgent = _urgent.Reader.WaitToReadAsync(either.Token).AsTask();
                var background = _background.Reader.WaitToReadAsync(either.Token).AsTask();
                await Task.WhenAny(urgent, background).ConfigureAwait(false);
                await either.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(urgent, background).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public Task<int> GetDepthAsync(CancellationToken cancellationToken) => Task.FromResult(_urgent.Reader.Count + _background.Reader.Count);

    /// <summary>A timer, then the channel: NOT durable, a restart loses the scheduled work (use the Azure queue for that).</summary>
    public Task ScheduleAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        _ = Task.Run(async () =>
        {
            await Task.Delay(delay, _time).ConfigureAwait(false);
            await Lane(item).WriteAsync(new Entry(item, Guid.NewGuid().ToString("N"), 0)).ConfigureAwait(false);
        });
        return Task.CompletedTask;
    }

    private sealed record Entry(WorkItem Item, string Id, int DequeueCount);

    private sealed class Work(InMemoryWorkQueue queue, Entry entry) : IQueuedWork
    {
        public WorkItem Item => entry.Item;

        public string MessageId => entry.Id;

        public int DequeueCount => entry.DequeueCount;

        public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            // Comes back after the delay; the write waits for room rather than dropping the item.
            _ = Task.Run(async () =>
            {
                await Task.Delay(delay, queue._time).ConfigureAwait(false);
                await queue.Lane(entry.Item).WriteAsync(entry).ConfigureAwait(false);
            }, CancellationToken.None);
            return Task.CompletedTask;
        }

        /// <summary>Dropped: nothing read a list of them, which only grew; the worker's DeadLettered log line is the record.</summary>
        public Task DeadLetterAsync(string reason, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
