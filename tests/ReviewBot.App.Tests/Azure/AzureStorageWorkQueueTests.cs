using System.Text.Json;
using Azure.Storage.Queues;
using ReviewBot.App.Azure;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Tests.Azure;

[Collection(AzuriteCollection.Name)]
public sealed class AzureStorageWorkQueueTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly CapturedLogs _logs = new();

    private static ReviewWork Item(int number = 7, string? delivery = null) =>
        new(delivery ?? Guid.NewGuid().ToString(), 42, "octo-org", "hello-world", number, new string('a', 40), "pull_request.opened");

    private AzureStorageWorkQueue NewQueue(AzureQueueOptions options) =>
        new(new QueueServiceClient(azurite.ConnectionString), options, _logs.CreateLogger<AzureStorageWorkQueue>());

    private static AzureQueueOptions Options(string? name = null) => new()
    {
        ConnectionString = "unused-here",
        Name = name ?? AzuriteFixture.UniqueName("work"),
        VisibilityTimeout = TimeSpan.FromSeconds(30),
        MaxPollInterval = TimeSpan.FromMilliseconds(200),
    };

    private static async Task<IQueuedWork> TakeAsync(IWorkQueue queue)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await queue.DequeueAsync(timeout.Token) ?? throw new TimeoutException("nothing was dequeued");
    }

    private static async Task<IQueuedWork?> TryTakeAsync(IWorkQueue queue, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        return await queue.DequeueAsync(timeout.Token);
    }

    [Fact]
    public async Task Enqueued_item_comes_back_whole_and_is_gone_once_completed()
    {
        var queue = NewQueue(Options());
        var item = Item();
        await queue.EnqueueAsync(item, default);
        Assert.Equal(1, await queue.GetDepthAsync(default));

        var work = await TakeAsync(queue);
        Assert.Equal(item, work.Item);
        Assert.Equal(1, work.DequeueCount);

        await work.CompleteAsync(default);
        Assert.Equal(0, await queue.GetDepthAsync(default));
        Assert.Null(await TryTakeAsync(queue, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Message_is_small_json_of_the_work_item_only()
    {
        var options = Options();
        var queue = NewQueue(options);
        var item = Item();
        await queue.EnqueueAsync(item, default);

        var peeked = await new QueueClient(azurite.ConnectionString, options.Name).PeekMessageAsync();
        var text = peeked.Value.Body.ToString();
        Assert.True(text.Length < 400, text);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(item.DeliveryId, json.RootElement.GetProperty("deliveryId").GetString());
        Assert.Equal(item.HeadSha, json.RootElement.GetProperty("headSha").GetString());
    }

    [Fact]
    public async Task Oversized_item_is_refused_before_it_reaches_the_queue()
    {
        var queue = NewQueue(Options());
        var huge = Item() with { Reason = new string('x', 70 * 1024) };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync(huge, default));
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abandoned_item_comes_back_with_a_higher_dequeue_count()
    {
        var queue = NewQueue(Options());
        await queue.EnqueueAsync(Item(), default);

        var first = await TakeAsync(queue);
        await first.AbandonAsync(TimeSpan.Zero, default);
        var second = await TakeAsync(queue);

        Assert.Equal(first.Item, second.Item);
        Assert.Equal(2, second.DequeueCount);
        await second.CompleteAsync(default);
    }

    [Fact]
    public async Task Abandon_delay_hides_the_item_for_that_long()
    {
        var queue = NewQueue(Options());
        await queue.EnqueueAsync(Item(), default);
        var first = await TakeAsync(queue);
        await first.AbandonAsync(TimeSpan.FromSeconds(3), default);

        Assert.Null(await TryTakeAsync(queue, TimeSpan.FromSeconds(1)));
        var again = await TakeAsync(queue);
        Assert.Equal(first.Item, again.Item);
        await again.CompleteAsync(default);
    }

    [Fact]
    public async Task Held_item_stays_hidden_past_its_visibility_timeout_while_renewed()
    {
        // 4 s, watched for 10: the renewal must have kept it hidden more than twice over, and a renewal that runs a
        // second late on a busy CI machine (2 s left too little room: it failed once with every test class in parallel)
        // still does.
        var options = Options() with { VisibilityTimeout = TimeSpan.FromSeconds(4) };
        var holder = NewQueue(options);
        var other = NewQueue(options);
        await holder.EnqueueAsync(Item(), default);

        var work = await TakeAsync(holder);
        Assert.Null(await TryTakeAsync(other, TimeSpan.FromSeconds(10)));

        await work.CompleteAsync(default);
        Assert.Null(await TryTakeAsync(other, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Item_handed_out_too_often_goes_to_the_poison_queue_with_the_reason_logged()
    {
        var options = Options() with { MaxDequeueCount = 2 };
        var queue = NewQueue(options);
        var item = Item();
        await queue.EnqueueAsync(item, default);

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var work = await TakeAsync(queue);
            Assert.Equal(attempt, work.DequeueCount);
            await work.AbandonAsync(TimeSpan.Zero, default);
        }

        Assert.Null(await TryTakeAsync(queue, TimeSpan.FromSeconds(2)));
        Assert.Equal(0, await queue.GetDepthAsync(default));

        var poison = await new QueueClient(azurite.ConnectionString, options.PoisonName).ReceiveMessageAsync();
        using var json = JsonDocument.Parse(poison.Value.Body.ToString());
        Assert.Contains("MaxDequeueCount=2", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(item.DeliveryId, json.RootElement.GetProperty("originalMessage").GetString(), StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, line => line.Contains(options.PoisonName, StringComparison.Ordinal) && line.Contains("MaxDequeueCount=2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dead_lettered_item_is_moved_aside_with_its_reason()
    {
        var options = Options();
        var queue = NewQueue(options);
        await queue.EnqueueAsync(Item(), default);

        var work = await TakeAsync(queue);
        await work.DeadLetterAsync("GitHub answered 404 for the repository", default);

        Assert.Equal(0, await queue.GetDepthAsync(default));
        var poison = await new QueueClient(azurite.ConnectionString, options.PoisonName).ReceiveMessageAsync();
        Assert.Contains("GitHub answered 404", poison.Value.Body.ToString(), StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, line => line.Contains("GitHub answered 404", StringComparison.Ordinal));
        await Assert.ThrowsAsync<InvalidOperationException>(() => work.CompleteAsync(default));
    }

    [Fact]
    public async Task Message_that_is_not_a_work_item_is_poisoned_not_handed_out()
    {
        var options = Options();
        var queue = NewQueue(options);
        var raw = new QueueClient(azurite.ConnectionString, options.Name);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("{\"hello\": \"world\"}");
        var good = Item();
        await queue.EnqueueAsync(good, default);

        var work = await TakeAsync(queue);
        Assert.Equal(good, work.Item);
        await work.CompleteAsync(default);

        var poison = await new QueueClient(azurite.ConnectionString, options.PoisonName).ReceiveMessageAsync();
        Assert.Contains("not a work item", poison.Value.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_item_goes_to_exactly_one_of_two_competing_queues()
    {
        var options = Options() with { VisibilityTimeout = TimeSpan.FromSeconds(10) };
        var producer = NewQueue(options);
        var items = Enumerable.Range(1, 40).Select(n => Item(n)).ToList();
        foreach (var item in items)
        {
            await producer.EnqueueAsync(item, default);
        }

        var taken = new System.Collections.Concurrent.ConcurrentBag<WorkItem>();
        async Task DrainAsync(AzureStorageWorkQueue queue)
        {
            while (await TryTakeAsync(queue, TimeSpan.FromSeconds(2)) is { } work)
            {
                taken.Add(work.Item);
                await work.CompleteAsync(default);
            }
        }

        await Task.WhenAll(DrainAsync(NewQueue(options)), DrainAsync(NewQueue(options)));
        Assert.Equal(items.OrderBy(i => i.PullNumber), taken.Cast<ReviewWork>().OrderBy(i => i.PullNumber));
    }

    [Fact]
    public async Task Dequeue_returns_null_when_shutting_down()
    {
        var queue = NewQueue(Options());
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.Null(await queue.DequeueAsync(stop.Token));
    }
}
