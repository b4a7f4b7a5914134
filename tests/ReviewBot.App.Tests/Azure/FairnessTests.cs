using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.App.Azure;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.App.Worker;

namespace ReviewBot.App.Tests.Azure;

/// <summary>
/// One installation's flood of onboarding cannot starve another's reviews, with either queue: reviews are taken
/// before background work, and one installation never holds every worker.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FairnessTests(AzuriteFixture azurite)
{
    private const long Big = 1, Other = 2;

    private IWorkQueue NewQueue(string kind, out string name)
    {
        name = AzuriteFixture.UniqueName("fair");
        return kind == "memory"
            ? new InMemoryWorkQueue(Options.Create(new WorkerOptions { QueueCapacity = 20_000 }), TimeProvider.System)
            : new AzureStorageWorkQueue(new QueueServiceClient(azurite.ConnectionString), new AzureQueueOptions { ConnectionString = "unused", Name = name, MaxPollInterval = TimeSpan.FromMilliseconds(100) }, NullLogger<AzureStorageWorkQueue>.Instance);
    }

    private static OnboardWork Onboard(int i) => new($"install-{Big}", Big, "big-org", $"repo-{i}", "installation.created");

    private static ReviewWork Review() => new("pr-delivery", Other, "small-org", "app", 7, new string('a', 40), "pull_request.opened");

    /// <summary>10,000 in memory; fewer on Azurite, where each message is a round trip (the lanes work the same whatever the count).</summary>
    [Theory]
    [InlineData("memory", 10_000)]
    [InlineData("azure", 200)]
    public async Task Another_installations_review_starts_while_one_installations_onboarding_flood_is_queued_and_running(string kind, int flood)
    {
        var queue = NewQueue(kind, out _);
        for (int i = 0; i < flood; i++)
        {
            await queue.EnqueueAsync(Onboard(i), default);
        }

        // Onboarding runs never finish until the review has started: before, the workers all sat on the big installation.
        var log = new Recorder();
        var services = new ServiceCollection()
            .AddSingleton(log)
            .AddWorkRunner<OnboardWork, BlockingOnboarding>()
            .AddWorkRunner<ReviewWork, RecordingReview>()
            .BuildServiceProvider();
        var options = Options.Create(new WorkerOptions { Concurrency = 4 });
        var worker = new QueueWorker(queue, services, options, NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(default);
        try
        {
            // The review comes once the flood is running, so the lanes alone would not let it in: a free worker must.
            while (log.OnboardingStarted < options.Value.InFlightCapPerInstallation)
            {
                await Task.Delay(20);
            }

            await Task.Delay(300);
            await queue.EnqueueAsync(Review(), default);
            var started = await Task.WhenAny(log.ReviewStarted.Task, Task.Delay(TimeSpan.FromSeconds(60)));

            Assert.True(log.ReviewStarted.Task.IsCompleted, $"the review never started; {log.OnboardingStarted} onboarding items did");
            // Started before all but the big installation's share of the workers: ordering, not wall-clock time.
            Assert.InRange(log.OnboardingStartedBeforeReview, 0, options.Value.InFlightCapPerInstallation);
        }
        finally
        {
            log.Release.TrySetResult();
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await worker.StopAsync(stopping.Token);
        }
    }

    [Fact]
    public async Task The_azure_queue_hands_out_reviews_before_background_work_and_still_reads_older_messages_of_any_kind()
    {
        var queue = (AzureStorageWorkQueue)NewQueue("azure", out var name);
        for (int i = 0; i < 20; i++)
        {
            await queue.EnqueueAsync(Onboard(i), default);
        }

        await queue.EnqueueAsync(Review(), default);
        // An older version wrote every kind to the one queue: its background message is still handed out.
        const string Old = """{"deliveryId":"install-1","installationId":1,"owner":"big-org","repo":"repo-99","pullNumber":0,"headSha":"","reason":"installation.created","kind":"Onboard","pullRequestKey":"big-org/repo-99!onboard"}""";
        await new QueueClient(azurite.ConnectionString, name).SendMessageAsync(Old);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await queue.DequeueAsync(timeout.Token);
        var second = await queue.DequeueAsync(timeout.Token);
        Assert.IsType<ReviewWork>(first!.Item);
        Assert.Equal("repo-99", Assert.IsType<OnboardWork>(second!.Item).Repo);

        using var brief = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Assert.Null(await queue.DequeueAsync(urgentOnly: true, brief.Token)); // background work waits while urgent work is asked for
        Assert.IsType<OnboardWork>((await queue.DequeueAsync(timeout.Token))!.Item);
    }

    private sealed class Recorder
    {
        private int _onboarding;

        public int OnboardingStarted => Volatile.Read(ref _onboarding);

        public int OnboardingStartedBeforeReview { get; private set; } = -1;

        public TaskCompletionSource ReviewStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Onboarding() => Interlocked.Increment(ref _onboarding);

        public void Review()
        {
            OnboardingStartedBeforeReview = OnboardingStarted;
            ReviewStarted.TrySetResult();
        }
    }

    private sealed class BlockingOnboarding(Recorder log) : IWorkRunner<OnboardWork>
    {
        public async Task<RunOutcome> RunAsync(OnboardWork item, int attempt, CancellationToken cancellationToken)
        {
            log.Onboarding();
            await log.Release.Task.WaitAsync(cancellationToken);
            return RunOutcome.Onboarded;
        }
    }

    private sealed class RecordingReview(Recorder log) : IWorkRunner<ReviewWork>
    {
        public Task<RunOutcome> RunAsync(ReviewWork item, int attempt, CancellationToken cancellationToken)
        {
            log.Review();
            return Task.FromResult(RunOutcome.Reviewed);
        }
    }
}
