using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.App.Onboarding;
using ReviewBot.App.Queue;
using ReviewBot.App.State;
using ReviewBot.App.Worker;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Onboarding;

namespace ReviewBot.App.Tests.Onboarding;

public sealed class OnboardingWorkerTests
{
    private static readonly OnboardWork Item = new("d-1", 9, "o", "r", "installation.created");

    [Fact]
    public async Task Waiting_for_the_budget_schedules_a_continuation_for_the_delay_and_never_dead_letters_it()
    {
        var work = new OneWork(Item with { Continuation = 4 }, dequeueCount: new WorkerOptions().MaxAttempts);
        var queue = new OneWorkQueue(work);
        var services = new ServiceCollection();
        services.AddKeyedScoped<IWorkRunner>(typeof(OnboardWork), (_, _) => new Deferring(TimeSpan.FromMinutes(7)));
        var worker = new QueueWorker(queue, services.BuildServiceProvider(), Options.Create(new WorkerOptions { Concurrency = 1 }), NullLogger<QueueWorker>.Instance);

        await worker.StartAsync(default);
        var outcome = await work.Outcome.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await worker.StopAsync(default);

        Assert.Equal("completed", outcome);
        var (item, delay) = Assert.Single(queue.Scheduled);
        Assert.Equal(("d-1", 5, TimeSpan.FromMinutes(7)), (item.DeliveryId, item.Continuation, delay));
        Assert.IsType<OnboardWork>(item);
    }

    [Fact]
    public void Continuations_are_new_work_to_the_deduplicating_queue_and_keep_the_webhooks_delivery()
    {
        Assert.Equal(["abc", "abc~1", "abc~2"], new[] { 0, 1, 2 }.Select(n => (Item with { DeliveryId = "abc", Continuation = n }).Occurrence));
        Assert.NotEqual(DeduplicatingWorkQueue.WorkKey(Item), DeduplicatingWorkQueue.WorkKey(Item with { Continuation = 1 }));
        Assert.Equal(DeduplicatingWorkQueue.WorkKey(Item with { Continuation = 1 }), DeduplicatingWorkQueue.WorkKey(Item with { Continuation = 1 }));
    }

    [Fact]
    public async Task The_runner_claims_reserves_and_defers_when_the_installations_budget_is_spent()
    {
        var clock = new Clock();
        var pacer = new WritePacer(new InMemoryWriteBudgetStore(), Options.Create(new OnboardingPacingOptions { WritesPerMinute = 3, WritesPerHour = 100 }), clock);
        var runner = new OnboardingRunner(new Factory(), pacer, new InMemoryStateStore(clock), Options.Create(new OnboardingOptions { Enabled = true }), NullLogger<OnboardingRunner>.Instance);

        Assert.Equal(RunOutcome.Onboarded, await runner.RunAsync(Item, 1, default));
        var deferred = await Assert.ThrowsAsync<ReviewBot.GitHub.WorkDeferredException>(() => runner.RunAsync(Item with { Repo = "s", DeliveryId = "d-2" }, 1, default));
        Assert.InRange(deferred.RetryAfter, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(61));
        Assert.Equal(RunOutcome.Skipped, await runner.RunAsync(Item with { DeliveryId = "d-3" }, 1, default)); // the same repository and head, another delivery
    }

    [Fact]
    public async Task Switched_off_after_queueing_the_runner_does_nothing()
    {
        var clock = new Clock();
        var runner = new OnboardingRunner(new Factory(), new WritePacer(new InMemoryWriteBudgetStore(), Options.Create(new OnboardingPacingOptions()), clock), new InMemoryStateStore(clock), Options.Create(new OnboardingOptions()), NullLogger<OnboardingRunner>.Instance);

        Assert.Equal(RunOutcome.Skipped, await runner.RunAsync(Item, 1, default));
    }

    private sealed class Clock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    }

    private sealed class Deferring(TimeSpan delay) : IWorkRunner
    {
        public Task<RunOutcome> RunAsync(WorkItem item, int attempt, CancellationToken cancellationToken) => throw new ReviewBot.GitHub.WorkDeferredException(delay, "budget");
    }

    private sealed class OneWork(WorkItem item, int dequeueCount) : IQueuedWork
    {
        public TaskCompletionSource<string> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public WorkItem Item => item;

        public string MessageId => "m-1";

        public int DequeueCount => dequeueCount;

        public Task CompleteAsync(CancellationToken cancellationToken) { Outcome.TrySetResult("completed"); return Task.CompletedTask; }

        public Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken) { Outcome.TrySetResult($"abandoned for {delay}"); return Task.CompletedTask; }

        public Task DeadLetterAsync(string reason, CancellationToken cancellationToken) { Outcome.TrySetResult("dead-lettered"); return Task.CompletedTask; }
    }

    private sealed class OneWorkQueue(IQueuedWork work) : IWorkQueue
    {
        private int _taken;

        public List<(WorkItem Item, TimeSpan Delay)> Scheduled { get; } = [];

        public Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ScheduleAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
        {
            Scheduled.Add((item, delay));
            return Task.CompletedTask;
        }

        public async Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _taken, 1) == 0)
            {
                return work;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }

        public Task<int> GetDepthAsync(CancellationToken cancellationToken) => Task.FromResult(0);
    }

    private sealed class Factory : IOnboardingGitHubFactory
    {
        public IOnboardingGitHub ForRepository(long installationId, long? repositoryId, string repo) => new RootRepository();
    }

    /// <summary>Every repository has one Dockerfile that runs as root and no pull request yet.</summary>
    private sealed class RootRepository : IOnboardingGitHub
    {
        public Task ClosePullRequestAsync(string owner, string repo, int number, string comment, string body, CancellationToken cancellationToken) => throw new NotSupportedException();

        public TimeSpan? BackgroundWait() => null;

        private static readonly string Head = new('a', 40);

        public Task<RepositoryFacts> GetRepositoryAsync(string owner, string repo, CancellationToken cancellationToken) => Task.FromResult(new RepositoryFacts("main", Head, false, false));

        public Task<RepositoryTree> ReadTreeAsync(string owner, string repo, string sha, CancellationToken cancellationToken) => Task.FromResult(new RepositoryTree([new TreeEntry("Dockerfile", TreeEntryKind.File, 40)], false));

        public Task<IReadOnlyList<FileRead>> ReadFilesAsync(string owner, string repo, string sha, IReadOnlyList<string> paths, long maxBytes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<FileRead>>([.. paths.Select(p => p == "Dockerfile" ? new FileRead(FileReadStatus.Read, "FROM python:3.12-slim\nCOPY . /app\n", null) : new FileRead(FileReadStatus.Missing, null, null))]);

        public Task<IReadOnlyList<OnboardingPullRequest>> ListOurPullRequestsAsync(string owner, string repo, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<OnboardingPullRequest>>([]);

        public Task<string?> GetBranchAsync(string owner, string repo, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public Task CreateBranchAsync(string owner, string repo, string sha, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task MoveBranchAsync(string owner, string repo, string repositoryNodeId, string from, string to, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsOurCommitAsync(string owner, string repo, string sha, string parentSha, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<string> CommitAsync(string owner, string repo, string expectedHeadSha, IReadOnlyList<OnboardingChange> changes, string message, CancellationToken cancellationToken) => Task.FromResult(new string('c', 40));

        public Task<int> CreatePullRequestAsync(string owner, string repo, string baseBranch, string title, string body, CancellationToken cancellationToken) => Task.FromResult(1);

        public Task UpdatePullRequestAsync(string owner, string repo, int number, string body, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
