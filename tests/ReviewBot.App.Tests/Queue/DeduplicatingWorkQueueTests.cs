using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.App.State;

namespace ReviewBot.App.Tests.Queue;

/// <summary>One review per unit of work however many copies are queued; a retried message still runs.</summary>
public sealed class DeduplicatingWorkQueueTests
{
    private static readonly ReviewWork Item = new("d-1", 1, "octo", "repo", 7, new string('a', 40), "check_suite.rerequested");

    private static (DeduplicatingWorkQueue Queue, InMemoryWorkQueue Inner) Create(IStateStore? state = null)
    {
        var inner = new InMemoryWorkQueue(Options.Create(new WorkerOptions()), TimeProvider.System);
        return (new DeduplicatingWorkQueue(inner, state ?? new InMemoryStateStore(TimeProvider.System), NullLogger<DeduplicatingWorkQueue>.Instance), inner);
    }

    private static async Task<IQueuedWork?> TakeAsync(IWorkQueue queue, double seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            return await queue.DequeueAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_second_copy_is_dropped_and_a_retry_of_the_first_still_runs()
    {
        var (queue, _) = Create();
        await queue.EnqueueAsync(Item, default);
        await queue.EnqueueAsync(Item, default); // a redelivery's copy

        var first = (await TakeAsync(queue))!;
        await first.AbandonAsync(TimeSpan.Zero, default); // the run failed: it comes back after the copy

        var retry = (await TakeAsync(queue))!;
        Assert.Equal(first.MessageId, retry.MessageId);
        Assert.Equal(2, retry.DequeueCount);
        await retry.CompleteAsync(default);
        Assert.Null(await TakeAsync(queue, 0.5)); // the copy was dropped, not handed out
    }

    [Fact]
    public async Task Other_pull_requests_of_the_same_delivery_are_not_copies()
    {
        var (queue, _) = Create();
        await queue.EnqueueAsync(Item, default);
        await queue.EnqueueAsync(Item with { PullNumber = 8 }, default);

        Assert.Equal(7, ((ReviewWork)(await TakeAsync(queue))!.Item).PullNumber);
        Assert.Equal(8, ((ReviewWork)(await TakeAsync(queue))!.Item).PullNumber);
    }

    [Fact]
    public async Task Work_whose_claim_cannot_be_checked_comes_back_rather_than_being_run_or_dropped()
    {
        var (queue, _) = Create(new ClaimFailsOnce(new InMemoryStateStore(TimeProvider.System)));
        await queue.EnqueueAsync(Item, default);

        var work = await TakeAsync(queue, 30);

        Assert.NotNull(work);
        Assert.Equal(2, work.DequeueCount); // handed out once, put back, handed out again
    }

    private sealed class ClaimFailsOnce(IStateStore inner) : IStateStore
    {
        private int _claims;

        public Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken) => inner.HasDeliveryAsync(deliveryId, cancellationToken);

        public Task<bool> TryRecordDeliveryAsync(string deliveryId, CancellationToken cancellationToken) => inner.TryRecordDeliveryAsync(deliveryId, cancellationToken);

        public Task<bool> TryClaimWorkAsync(string workKey, string messageId, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _claims) == 1 ? throw new IOException("storage unavailable") : inner.TryClaimWorkAsync(workKey, messageId, cancellationToken);

        public Task<PullRequestState?> GetPullRequestAsync(string pullRequestKey, CancellationToken cancellationToken) => inner.GetPullRequestAsync(pullRequestKey, cancellationToken);

        public Task<bool> TrySavePullRequestAsync(string pullRequestKey, PullRequestState state, CancellationToken cancellationToken) => inner.TrySavePullRequestAsync(pullRequestKey, state, cancellationToken);
    }
}
