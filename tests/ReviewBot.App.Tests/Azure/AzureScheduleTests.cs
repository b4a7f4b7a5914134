using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.App.Azure;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.App.Worker;

namespace ReviewBot.App.Tests.Azure;

/// <summary>
/// ScheduleAsync on a real Azure Storage queue (Azurite): work that waits for onboarding's write budget waits in the
/// queue as an invisible message, so it is handed out once, after its delay, and a restart of the App loses nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureScheduleTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(3);

    private readonly CapturedLogs _logs = new();

    private static OnboardWork Onboard(string delivery) => new(delivery, 42, "octo-org", "hello-world", "installation.created");

    /// <summary>A new client each time, as a new process would make: nothing is shared but the Azurite queue.</summary>
    private AzureStorageWorkQueue NewQueue(string name) =>
        new(new QueueServiceClient(azurite.ConnectionString), new AzureQueueOptions
        {
            ConnectionString = "unused-here",
            Name = name,
            VisibilityTimeout = TimeSpan.FromSeconds(30),
            MaxPollInterval = TimeSpan.FromMilliseconds(200),
        }, _logs.CreateLogger<AzureStorageWorkQueue>());

    private static async Task<IQueuedWork?> TryTakeAsync(IWorkQueue queue, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        return await queue.DequeueAsync(timeout.Token);
    }

    [Fact]
    public async Task A_scheduled_message_is_invisible_until_its_delay_then_handed_out_once()
    {
        var name = AzuriteFixture.UniqueName("sched");
        var queue = NewQueue(name);
        var item = Onboard(Guid.NewGuid().ToString());

        await queue.ScheduleAsync(item, Delay, default);

        Assert.Null(await TryTakeAsync(queue, TimeSpan.FromSeconds(1)));
        var work = await TryTakeAsync(queue, Patience) ?? throw new TimeoutException("the scheduled message never came");
        Assert.Equal((item, 1), (work.Item, work.DequeueCount));
        await work.CompleteAsync(default);
        Assert.Null(await TryTakeAsync(queue, Delay + TimeSpan.FromSeconds(1)));
        Assert.Equal(0, await queue.GetDepthAsync(default));
    }

    [Fact]
    public async Task A_deferred_onboarding_item_survives_a_restart_of_the_app()
    {
        var name = AzuriteFixture.UniqueName("defer");
        var before = NewQueue(name);
        await before.EnqueueAsync(Onboard("delivery-1"), default);

        // The App before the restart: its worker runs the item, the write budget is spent, a continuation is scheduled.
        var deferred = new Deferring(Delay);
        var services = new ServiceCollection().AddKeyedScoped<IWorkRunner>(typeof(OnboardWork), (_, _) => deferred).BuildServiceProvider();
        var worker = new QueueWorker(before, services, Microsoft.Extensions.Options.Options.Create(new WorkerOptions { Concurrency = 1 }), NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(default);
        await deferred.Ran.Task.WaitAsync(Patience);
        await Task.Delay(500); // the continuation is sent and the message completed right after the run
        await worker.StopAsync(default);

        // After the restart: a new client over the same queue. The first message is gone; the continuation comes after its delay.
        var after = NewQueue(name);
        var work = await TryTakeAsync(after, Patience) ?? throw new TimeoutException("the deferred item was lost");
        var continuation = Assert.IsType<OnboardWork>(work.Item);
        Assert.Equal(("delivery-1", 1, "octo-org/hello-world", 1), (continuation.DeliveryId, continuation.Continuation, $"{continuation.Owner}/{continuation.Repo}", work.DequeueCount));
        await work.CompleteAsync(default);
        Assert.Null(await TryTakeAsync(after, TimeSpan.FromSeconds(2)));
    }

    private sealed class Deferring(TimeSpan delay) : IWorkRunner
    {
        public TaskCompletionSource Ran { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<RunOutcome> RunAsync(WorkItem item, int attempt, CancellationToken cancellationToken)
        {
            Ran.TrySetResult();
            throw new ReviewBot.GitHub.WorkDeferredException(delay, "write budget spent");
        }
    }
}
