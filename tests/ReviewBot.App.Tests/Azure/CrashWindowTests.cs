using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.App.Azure;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.App.State;

namespace ReviewBot.App.Tests.Azure;

/// <summary>
/// The webhook's crash windows on the real Azurite queue and tables: a replica dies before its delivery's
/// work is queued, or after it is queued but before the delivery is recorded. Either way GitHub's redelivery
/// of the same delivery id, taken by another replica, is accepted, and the pull request is reviewed exactly once.
/// check_suite.rerequested is used because a re-request always runs: a second copy of it would be a second review.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CrashWindowTests(AzuriteFixture azurite) : IDisposable
{
    private readonly GitHubFake _github = new();
    private readonly string _queueName = AzuriteFixture.UniqueName("crash");
    private readonly string _tablePrefix = AzuriteFixture.UniqueName("crash");
    private readonly string _delivery = Guid.NewGuid().ToString();

    /// <summary>Cancelled when the first replica "dies": whatever it was blocked in never completes normally.</summary>
    private readonly CancellationTokenSource _killed = new();

    public void Dispose()
    {
        _killed.Cancel();
        _github.Dispose();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Queue:Provider"] = AzureQueueOptions.ProviderName,
        ["Queue:ConnectionString"] = azurite.ConnectionString,
        ["Queue:Name"] = _queueName,
        ["Queue:MaxPollInterval"] = "00:00:00.200",
        ["State:Provider"] = AzureTableStateOptions.ProviderName,
        ["State:ConnectionString"] = azurite.ConnectionString,
        ["State:TablePrefix"] = _tablePrefix,
    };

    private AzureStorageWorkQueue RealQueue() => new(
        new QueueServiceClient(azurite.ConnectionString),
        new AzureQueueOptions { ConnectionString = "unused", Name = _queueName },
        NullLogger<AzureStorageWorkQueue>.Instance);

    private AzureTableStateStore RealState() => new(
        new TableServiceClient(azurite.ConnectionString),
        new AzureTableStateOptions { ConnectionString = "unused", TablePrefix = _tablePrefix });

    /// <summary>
    /// The replica that dies: its worker takes nothing (as if it died before getting to it), and it freezes at
    /// <paramref name="freezeAt"/>, signalling <paramref name="frozen"/>, until it is killed.
    /// </summary>
    private AppHost DyingReplica(string freezeAt, TaskCompletionSource frozen) => new(_github, Settings(), services =>
    {
        services.AddKeyedSingleton<IWorkQueue>(QueueServiceExtensions.StorageKey, (_, _) => new FreezingQueue(RealQueue(), freezeAt, frozen, _killed.Token));
        services.AddSingleton<IStateStore>(new FreezingState(RealState(), freezeAt, frozen, _killed.Token));
    });

    private async Task<int> QueuedMessagesAsync() =>
        (await new QueueClient(azurite.ConnectionString, _queueName).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private async Task KillAsync(AppHost replica, Task<HttpResponseMessage> inFlight)
    {
        await _killed.CancelAsync();
        await replica.DisposeAsync();
        try
        {
            await inFlight; // what it answered, if anything, no longer matters: its process is gone
        }
        catch (Exception)
        {
        }
    }

    private async Task RedeliveryIsReviewedExactlyOnceAsync()
    {
        Assert.False(await RealState().HasDeliveryAsync(_delivery, default), "the dead replica did not record the delivery");

        await using var survivor = new AppHost(_github, Settings());
        var redelivery = await survivor.PostWebhookAsync("check_suite", AppHost.Payload("check_suite.rerequested"), deliveryId: _delivery);
        Assert.Equal(HttpStatusCode.Accepted, redelivery.StatusCode);

        await _github.WaitForCompletedCheckAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await QueuedMessagesAsync() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(1000); // room for a second review, were there one

        var peek = await new QueueClient(azurite.ConnectionString, _queueName).PeekMessagesAsync(32);
        Assert.Equal(0, await QueuedMessagesAsync());
        Assert.Single(_github.CheckUpdates, u => u["status"]?.GetValue<string>() == "completed");
        Assert.Single(_github.Requests("POST", GitHubFake.RepoPath + "/check-runs"));

        // Recorded now: one more redelivery is acknowledged and queues nothing.
        var again = await survivor.PostWebhookAsync("check_suite", AppHost.Payload("check_suite.rerequested"), deliveryId: _delivery);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_replica_dying_before_the_work_is_queued_leaves_the_redelivery_accepted_and_reviewed_once()
    {
        _github.StubFiles();
        var frozen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dying = DyingReplica(nameof(IWorkQueue.EnqueueAsync), frozen);
        var inFlight = dying.PostWebhookAsync("check_suite", AppHost.Payload("check_suite.rerequested"), deliveryId: _delivery);
        await frozen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await KillAsync(dying, inFlight);

        Assert.Equal(0, await QueuedMessagesAsync());
        await RedeliveryIsReviewedExactlyOnceAsync();
    }

    [Fact]
    public async Task A_replica_dying_after_queueing_but_before_recording_leaves_the_redelivery_accepted_and_reviewed_once()
    {
        _github.StubFiles();
        var frozen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dying = DyingReplica(nameof(IStateStore.TryRecordDeliveryAsync), frozen);
        var inFlight = dying.PostWebhookAsync("check_suite", AppHost.Payload("check_suite.rerequested"), deliveryId: _delivery);
        await frozen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await KillAsync(dying, inFlight);

        // The first copy is durably queued; the redelivery queues a second, which must not be a second review.
        Assert.Equal(1, await QueuedMessagesAsync());
        await RedeliveryIsReviewedExactlyOnceAsync();
    }

    /// <summary>The dying replica's queue: sends for real unless frozen there; its worker never takes anything.</summary>
    private sealed class FreezingQueue(IWorkQueue inner, string freezeAt, TaskCompletionSource frozen, CancellationToken killed) : IWorkQueue
    {
        public async Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken)
        {
            if (freezeAt == nameof(EnqueueAsync))
            {
                await FreezeAsync(frozen, killed);
            }

            await inner.EnqueueAsync(item, cancellationToken);
        }

        public async Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, killed);
            await Task.Delay(Timeout.Infinite, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return null;
        }

        public Task<int> GetDepthAsync(CancellationToken cancellationToken) => inner.GetDepthAsync(cancellationToken);
    }

    /// <summary>The dying replica's state: real, unless frozen at recording the delivery.</summary>
    private sealed class FreezingState(IStateStore inner, string freezeAt, TaskCompletionSource frozen, CancellationToken killed) : IStateStore
    {
        public Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken) => inner.HasDeliveryAsync(deliveryId, cancellationToken);

        public async Task<bool> TryRecordDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
        {
            if (freezeAt == nameof(TryRecordDeliveryAsync))
            {
                await FreezeAsync(frozen, killed);
            }

            return await inner.TryRecordDeliveryAsync(deliveryId, cancellationToken);
        }

        public Task<bool> TryClaimWorkAsync(string workKey, string messageId, CancellationToken cancellationToken) => inner.TryClaimWorkAsync(workKey, messageId, cancellationToken);

        public Task<PullRequestState?> GetPullRequestAsync(string pullRequestKey, CancellationToken cancellationToken) => inner.GetPullRequestAsync(pullRequestKey, cancellationToken);

        public Task<bool> TrySavePullRequestAsync(string pullRequestKey, PullRequestState state, CancellationToken cancellationToken) => inner.TrySavePullRequestAsync(pullRequestKey, state, cancellationToken);
    }

    /// <summary>Signals that the replica reached the crash point, then never returns normally: killing it throws.</summary>
    private static async Task FreezeAsync(TaskCompletionSource frozen, CancellationToken killed)
    {
        frozen.TrySetResult();
        await Task.Delay(Timeout.Infinite, killed);
    }
}
