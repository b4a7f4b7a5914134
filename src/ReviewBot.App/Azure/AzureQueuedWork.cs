using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Azure;

/// <summary>
/// A message taken from the Azure queue. While the worker holds it, it is kept hidden by renewing its
/// visibility every half timeout; if the process dies the renewals stop and the message comes back to
/// another replica after the timeout. Each renewal changes the pop receipt, so every operation on the
/// message is serialized.
/// </summary>
internal sealed class AzureQueuedWork : IQueuedWork
{
    private readonly AzureStorageWorkQueue _owner;
    private readonly QueueClient _lane;
    private readonly string _messageId;
    private readonly string _text;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopRenewing = new();
    private readonly Task _renewing;
    private string _popReceipt;
    private bool _settled;

    /// <param name="lane">The queue the message was received from (urgent or background).</param>
    public AzureQueuedWork(AzureStorageWorkQueue owner, QueueClient lane, WorkItem item, QueueMessage message)
    {
        _owner = owner;
        _lane = lane;
        Item = item;
        DequeueCount = (int)Math.Min(message.DequeueCount, int.MaxValue);
        _messageId = message.MessageId;
        _popReceipt = message.PopReceipt;
        _text = message.Body.ToString();
        _renewing = RenewAsync(_stopRenewing.Token);
    }

    public WorkItem Item { get; }

    public string MessageId => _messageId;

    public int DequeueCount { get; }

    public Task CompleteAsync(CancellationToken cancellationToken) =>
        SettleAsync("completed", receipt => _owner.TryDeleteAsync(_lane, _messageId, receipt, "completed", cancellationToken), cancellationToken);

    public Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var visibility = TimeSpan.FromTicks(Math.Clamp(delay.Ticks, 0, AzureStorageLimits.MaxVisibilityTimeout.Ticks));
        return SettleAsync("abandoned", async receipt =>
        {
            try
            {
                await _lane.UpdateMessageAsync(_messageId, receipt, (string?)null, visibility, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                AzureQueueLog.LostMessage(_owner.Logger, _messageId, "abandoned");
                return false;
            }
        }, cancellationToken);
    }

    public Task DeadLetterAsync(string reason, CancellationToken cancellationToken) =>
        SettleAsync("dead-lettered", receipt => _owner.MoveToPoisonAsync(_lane, _messageId, receipt, _text, DequeueCount, reason, cancellationToken), cancellationToken);

    /// <summary>
    /// Settles the message, riding out a storage outage for a while. If storage stays away, the message is
    /// left alone: its renewals have stopped, so it comes back after the visibility timeout and the (idempotent)
    /// review runs again. Nothing is lost and the worker is never failed by the queue.
    /// </summary>
    private async Task SettleAsync(string operation, Func<string, Task<bool>> settle, CancellationToken cancellationToken)
    {
        await _stopRenewing.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false); // never faults: RenewAsync handles its own errors
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_settled)
            {
                throw new InvalidOperationException($"Work item {_messageId} was already settled; it cannot be {operation} too.");
            }

            var deadline = _owner.Time.GetUtcNow() + MaxSettleTime;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await settle(_popReceipt).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && AzureTransient.Is(e))
                {
                    if (_owner.Time.GetUtcNow() >= deadline)
                    {
                        AzureQueueLog.SettleGaveUp(_owner.Logger, e, _messageId, operation);
                        break;
                    }

                    AzureQueueLog.SettleRetry(_owner.Logger, _messageId, operation, attempt);
                    await Task.Delay(SettleRetryDelay, _owner.Time, cancellationToken).ConfigureAwait(false);
                }
            }

            _settled = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>How long settling rides out a storage outage before leaving the message to come back by itself.</summary>
    private static readonly TimeSpan MaxSettleTime = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan SettleRetryDelay = TimeSpan.FromSeconds(1);


    private async Task RenewAsync(CancellationToken stop)
    {
        var options = _owner.Options;
        var started = _owner.Time.GetTimestamp();
        var interval = options.VisibilityTimeout / 2;
        try
        {
            while (true)
            {
                await Task.Delay(interval, _owner.Time, stop).ConfigureAwait(false);
                var held = _owner.Time.GetElapsedTime(started);
                if (held + options.VisibilityTimeout > options.MaxLease)
                {
                    AzureQueueLog.LeaseExpired(_owner.Logger, _messageId, held);
                    return;
                }

                await _gate.WaitAsync(stop).ConfigureAwait(false);
                try
                {
                    var receipt = await _lane.UpdateMessageAsync(_messageId, _popReceipt, (string?)null, options.VisibilityTimeout, stop).ConfigureAwait(false);
                    _popReceipt = receipt.Value.PopReceipt;
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    AzureQueueLog.LostMessage(_owner.Logger, _messageId, "renewed");
                    return;
                }
                catch (Exception e) when (!stop.IsCancellationRequested && AzureTransient.Is(e))
                {
                    // A blip: the message is still hidden for the rest of the timeout; try again sooner.
                    AzureQueueLog.RenewFailed(_owner.Logger, e, _messageId);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
