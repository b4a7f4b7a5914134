using System.Text;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Azure;

/// <summary>
/// Durable work queue on Azure Storage Queues, shared by any number of replicas. Two queues, one per lane: urgent
/// work (reviews, branch checks) in <see cref="AzureQueueOptions.Name"/>, where every message written before lanes
/// existed still is and still reads, and background work (onboarding, redelivery) in
/// <see cref="AzureQueueOptions.BackgroundName"/>, read only when the urgent queue is empty. A taken message stays
/// hidden for the visibility timeout, renewed while its worker lives, and is deleted only when the worker
/// completes it; a message handed out more than <see cref="AzureQueueOptions.MaxDequeueCount"/> times,
/// or one that is not a work item, goes to the poison queue with the reason logged.
/// </summary>
public sealed class AzureStorageWorkQueue : IWorkQueue
{
    /// <summary>First pause after an empty poll; doubles up to <see cref="AzureQueueOptions.MaxPollInterval"/>.</summary>
    private static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest reason kept in a poison message, so it stays far below the message limit.</summary>
    private const int MaxReasonChars = 2000;

    private readonly QueueClient _queue;
    private readonly QueueClient _background;
    private readonly QueueClient _poison;
    private readonly AzureQueueOptions _options;
    private readonly ILogger<AzureStorageWorkQueue> _logger;
    private readonly TimeProvider _time;
    private readonly CreateOnce _created;

    public AzureStorageWorkQueue(QueueServiceClient service, AzureQueueOptions options, ILogger<AzureStorageWorkQueue> logger, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _queue = service.GetQueueClient(options.Name);
        _background = service.GetQueueClient(options.BackgroundName);
        _poison = service.GetQueueClient(options.PoisonName);
        _created = new CreateOnce(CreateQueuesAsync);
    }

    internal QueueClient Queue => _queue;

    internal QueueClient BackgroundQueue => _background;

    private QueueClient Lane(WorkItem item) => item.IsBackground ? _background : _queue;

    internal QueueClient PoisonQueue => _poison;

    internal AzureQueueOptions Options => _options;

    internal ILogger Logger => _logger;

    internal TimeProvider Time => _time;

    public async Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var text = WorkItemMessage.Serialize(item);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Lane(item).SendMessageAsync(text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sent invisible for <paramref name="delay"/> (Azure: a message's initial visibility timeout, at most 7 days): durable across restarts.</summary>
    public async Task ScheduleAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        var text = WorkItemMessage.Serialize(item);
        var visibility = TimeSpan.FromTicks(Math.Clamp(delay.Ticks, 0, AzureStorageLimits.MaxVisibilityTimeout.Ticks));
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Lane(item).SendMessageAsync(text, visibility, null, cancellationToken).ConfigureAwait(false);
    }

    public Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken) => DequeueAsync(false, cancellationToken);

    public async Task<IQueuedWork?> DequeueAsync(bool urgentOnly, CancellationToken cancellationToken)
    {
        var idle = MinPollInterval;
        try
        {
            while (true)
            {
                QueueMessage? message = null;
                var lane = _queue;
                try
                {
                    await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
                    var received = await _queue.ReceiveMessagesAsync(1, _options.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
                    message = received.Value.FirstOrDefault();
                    if (message is null && !urgentOnly)
                    {
                        lane = _background;
                        received = await _background.ReceiveMessagesAsync(1, _options.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
                        message = received.Value.FirstOrDefault();
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && AzureTransient.Is(e))
                {
                    // Storage down or throttling: the work is safe in the queue; keep asking.
                    AzureQueueLog.ReceiveFailed(_logger, e, _options.Name, _options.MaxPollInterval);
                    await Task.Delay(_options.MaxPollInterval, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (message is null)
                {
                    await Task.Delay(idle, _time, cancellationToken).ConfigureAwait(false);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxPollInterval.Ticks));
                    continue;
                }

                idle = MinPollInterval;
                var text = message.Body.ToString();
                var item = WorkItemMessage.TryDeserialize(text, out var error);
                if (item is null)
                {
                    await TryMoveToPoisonAsync(lane, message.MessageId, message.PopReceipt, text, message.DequeueCount, error!, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (message.DequeueCount > _options.MaxDequeueCount)
                {
                    var reason = $"handed out {message.DequeueCount} times, more than Queue:MaxDequeueCount={_options.MaxDequeueCount}; its workers failed or died each time";
                    await TryMoveToPoisonAsync(lane, message.MessageId, message.PopReceipt, text, message.DequeueCount, reason, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return new AzureQueuedWork(this, lane, item, message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async Task<int> GetDepthAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var urgent = await _queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        var background = await _background.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        return urgent.Value.ApproximateMessagesCount + background.Value.ApproximateMessagesCount;
    }

    /// <summary>Poisons a message found while receiving; if storage fails meanwhile, it simply comes back and is poisoned then.</summary>
    private async Task TryMoveToPoisonAsync(QueueClient lane, string messageId, string popReceipt, string text, long dequeueCount, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await MoveToPoisonAsync(lane, messageId, popReceipt, text, dequeueCount, reason, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && AzureTransient.Is(e))
        {
            AzureQueueLog.ReceiveFailed(_logger, e, _options.PoisonName, _options.MaxPollInterval);
        }
    }

    /// <summary>Copies the message to the poison queue, then deletes it from the work queue.</summary>
    internal async Task<bool> MoveToPoisonAsync(QueueClient lane, string messageId, string popReceipt, string text, long dequeueCount, string reason, CancellationToken cancellationToken)
    {
        if (reason.Length > MaxReasonChars)
        {
            reason = reason[..MaxReasonChars] + "…";
        }

        var poison = WorkItemMessage.SerializePoison(new PoisonMessage(text, reason, dequeueCount, _time.GetUtcNow()));
        if (Encoding.UTF8.GetByteCount(poison) > AzureStorageLimits.MaxQueueMessageBytes)
        {
            // Only a foreign, oversized message gets here; keep the reason and as much of the text as fits.
            var room = AzureStorageLimits.MaxQueueMessageBytes / 4 - reason.Length - 200;
            poison = WorkItemMessage.SerializePoison(new PoisonMessage(text[..Math.Max(0, room)] + "…", reason, dequeueCount, _time.GetUtcNow()));
        }

        await _poison.SendMessageAsync(poison, cancellationToken).ConfigureAwait(false);
        AzureQueueLog.MovedToPoison(_logger, messageId, _options.PoisonName, dequeueCount, reason);
        return await TryDeleteAsync(lane, messageId, popReceipt, "moved to the poison queue", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a message; false when its receipt is stale because another worker has it now.</summary>
    internal async Task<bool> TryDeleteAsync(QueueClient lane, string messageId, string popReceipt, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await lane.DeleteMessageAsync(messageId, popReceipt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            AzureQueueLog.LostMessage(_logger, messageId, operation);
            return false;
        }
    }

    private Task EnsureCreatedAsync(CancellationToken cancellationToken) => _created.EnsureAsync(cancellationToken);

    private async Task CreateQueuesAsync()
    {
        await _queue.CreateIfNotExistsAsync().ConfigureAwait(false);
        await _background.CreateIfNotExistsAsync().ConfigureAwait(false);
        await _poison.CreateIfNotExistsAsync().ConfigureAwait(false);
    }
}
