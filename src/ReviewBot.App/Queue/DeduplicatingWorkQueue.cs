using ReviewBot.App.State;

namespace ReviewBot.App.Queue;

/// <summary>
/// Hands each unit of work (one delivery's continuation, one <see cref="WorkItem.Key"/>) to exactly one queue message. The webhook records
/// a delivery only after its work is queued, so a crash in between lets GitHub's redelivery queue a second
/// copy; the first message to be taken claims the work in the state store and every other copy is dropped
/// here, before it runs. A message handed out again (a retry, or after its worker died) keeps its id
/// and its claim, so retries still run.
/// </summary>
public sealed class DeduplicatingWorkQueue(IWorkQueue inner, IStateStore state, ILogger<DeduplicatingWorkQueue> logger) : IWorkQueue
{
    /// <summary>How long a message whose claim could not be checked (storage down) stays away before it is tried again.</summary>
    public static readonly TimeSpan ClaimRetryDelay = TimeSpan.FromSeconds(5);

    public static string WorkKey(WorkItem item) => $"{item.Occurrence}|{item.Key}";

    public Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken) => inner.EnqueueAsync(item, cancellationToken);

    public Task ScheduleAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken) => inner.ScheduleAsync(item, delay, cancellationToken);

    public Task<int> GetDepthAsync(CancellationToken cancellationToken) => inner.GetDepthAsync(cancellationToken);

    public Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken) => DequeueAsync(false, cancellationToken);

    public async Task<IQueuedWork?> DequeueAsync(bool urgentOnly, CancellationToken cancellationToken)
    {
        while (true)
        {
            var work = await inner.DequeueAsync(urgentOnly, cancellationToken).ConfigureAwait(false);
            if (work is null)
            {
                return null;
            }

            bool ours;
            try
            {
                ours = await state.TryClaimWorkAsync(WorkKey(work.Item), work.MessageId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Unknown whether it is a copy: put it back rather than run it twice or drop it.
                QueueLog.ClaimFailed(logger, work.MessageId, e.GetType().Name);
                await work.AbandonAsync(ClaimRetryDelay, CancellationToken.None).ConfigureAwait(false);
                await Task.Delay(ClaimRetryDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (ours)
            {
                return work;
            }

            QueueLog.DroppedCopy(logger, work.MessageId, work.Item.Occurrence, work.Item.Key);
            await work.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
