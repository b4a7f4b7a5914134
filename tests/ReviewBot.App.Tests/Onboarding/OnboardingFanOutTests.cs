using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.App.Onboarding;
using ReviewBot.App.Queue;
using ReviewBot.App.State;
using ReviewBot.App.Worker;
using ReviewBot.GitHub;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Onboarding;

namespace ReviewBot.App.Tests.Onboarding;

/// <summary>
/// The worker fans an installation out into per-repository items, page by page; a fan-out that crashes halfway and
/// runs again queues copies, and the deduplicating queue and the claims make sure no repository is onboarded twice.
/// </summary>
public sealed class OnboardingFanOutTests
{
    private const long Installation = 42;
    private const int Repositories = 250; // three pages of GET /installation/repositories

    [Fact]
    public async Task A_fan_out_that_crashes_halfway_and_runs_again_onboards_each_repository_once()
    {
        var inner = new InMemoryWorkQueue(Options.Create(new WorkerOptions()), TimeProvider.System);
        var crashing = new CrashingQueue(inner, crashAtEnqueue: 1 + 101 + 51); // the fan-out item, page 1 (100 and page 2's item), then page 2's 51st repository
        var outcome = await RunAsync(crashing, new InstallationPageWork("delivery-1", Installation, "acme", 1, "installation.created"));

        Assert.True(crashing.Crashed);
        Assert.Equal(Repositories, outcome.Github.RepositoryReads.Count);
        Assert.All(outcome.Github.RepositoryReads, r => Assert.Equal(1, r.Value));
        Assert.Equal(Repositories / 10, outcome.Github.PullRequestsOpened.Count);
        Assert.All(outcome.Github.PullRequestsOpened, r => Assert.Equal(1, r.Value));
        // The second run of page 2 queued its first 50 repositories again (and page 3 once): those copies were dropped.
        Assert.Equal(Repositories + 50, crashing.Enqueued.Count(i => i is OnboardWork));
        Assert.Equal([1, 2, 3], crashing.Enqueued.OfType<InstallationPageWork>().Select(i => i.Page).Order());
        Assert.Equal([1, 2, 2, 3], outcome.Pages.Order());
    }

    [Fact]
    public async Task The_repositories_an_item_carries_are_queued_without_listing()
    {
        var inner = new InMemoryWorkQueue(Options.Create(new WorkerOptions()), TimeProvider.System);
        var counting = new CrashingQueue(inner, crashAtEnqueue: int.MaxValue);
        var outcome = await RunAsync(counting, new InstallationPageWork("delivery-2", Installation, "acme", 1, "installation_repositories.added", ["acme/repo-0003", "acme/repo-0010"]));

        Assert.Equal(["acme/repo-0003", "acme/repo-0010"], outcome.Github.RepositoryReads.Keys.Order());
        Assert.Empty(outcome.Pages);
    }

    [Fact]
    public async Task A_listed_name_that_is_not_GitHubs_is_skipped_and_the_rest_of_the_page_queued()
    {
        var queue = new CrashingQueue(new InMemoryWorkQueue(Options.Create(new WorkerOptions()), TimeProvider.System), crashAtEnqueue: int.MaxValue);
        var runner = new OnboardInstallationRunner(new FixedLister(["acme/ok", "acme/<img>", "../x", "acme/fine"]), queue, Options.Create(new OnboardingOptions { Enabled = true }), NullLogger<OnboardInstallationRunner>.Instance);

        await runner.RunAsync(new InstallationPageWork("delivery-3", Installation, "acme", 1, "installation.created"), 1, default);

        var queued = queue.Enqueued.Select(Assert.IsType<OnboardWork>).ToList();
        Assert.Equal(["acme/ok", "acme/fine"], queued.Select(i => $"{i.Owner}/{i.Repo}"));
        Assert.All(queued, i => Assert.Equal(("delivery-3", Installation), (i.DeliveryId, i.InstallationId)));
    }

    private sealed class FixedLister(IReadOnlyList<string> names) : IInstallationRepositoryLister
    {
        public Task<InstallationRepositoryPage> ListPageAsync(long installationId, int page, CancellationToken cancellationToken) =>
            Task.FromResult(new InstallationRepositoryPage(names, false));
    }

    private static async Task<(CountingGitHub Github, ConcurrentQueue<int> Pages)> RunAsync(CrashingQueue storage, InstallationPageWork fanOut)
    {
        var state = new InMemoryStateStore(TimeProvider.System);
        var queue = new DeduplicatingWorkQueue(storage, state, NullLogger<DeduplicatingWorkQueue>.Instance);
        var github = new CountingGitHub();
        var lister = new Lister();
        var enabled = Options.Create(new OnboardingOptions { Enabled = true });
        var pacer = new WritePacer(new InMemoryWriteBudgetStore(), Options.Create(new OnboardingPacingOptions { WritesPerMinute = 80, WritesPerHour = 500 }), TimeProvider.System);
        var services = new ServiceCollection();
        services.AddKeyedScoped<IWorkRunner>(typeof(InstallationPageWork), (_, _) => new OnboardInstallationRunner(lister, queue, enabled, NullLogger<OnboardInstallationRunner>.Instance));
        services.AddKeyedScoped<IWorkRunner>(typeof(OnboardWork), (_, _) => new OnboardingRunner(new Factory(github), pacer, state, enabled, NullLogger<OnboardingRunner>.Instance));
        var worker = new QueueWorker(queue, services.BuildServiceProvider(), Options.Create(new WorkerOptions { Concurrency = 2, RetryDelay = TimeSpan.FromMilliseconds(10) }), NullLogger<QueueWorker>.Instance);

        await queue.EnqueueAsync(fanOut, default);
        await worker.StartAsync(default);
        var expected = fanOut.Repositories?.Count ?? Repositories;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((github.RepositoryReads.Count < expected || await queue.GetDepthAsync(default) > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(300); // copies still in flight are taken and dropped
        await worker.StopAsync(default);
        return (github, lister.Pages);
    }

    /// <summary>The storage queue, recording what is enqueued; the enqueue numbered <c>crashAtEnqueue</c> fails once, as a crash would.</summary>
    private sealed class CrashingQueue(IWorkQueue inner, int crashAtEnqueue) : IWorkQueue
    {
        private int _count;

        public bool Crashed { get; private set; }

        public ConcurrentQueue<WorkItem> Enqueued { get; } = new();

        public Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _count) == crashAtEnqueue)
            {
                Crashed = true;
                throw new IOException("the process died here");
            }

            Enqueued.Enqueue(item);
            return inner.EnqueueAsync(item, cancellationToken);
        }

        public Task ScheduleAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken) => inner.ScheduleAsync(item, delay, cancellationToken);

        public Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken) => inner.DequeueAsync(cancellationToken);

        public Task<int> GetDepthAsync(CancellationToken cancellationToken) => inner.GetDepthAsync(cancellationToken);
    }

    /// <summary>GET /installation/repositories: <see cref="Repositories"/> repositories, 100 a page.</summary>
    private sealed class Lister : IInstallationRepositoryLister
    {
        public ConcurrentQueue<int> Pages { get; } = new();

        public Task<InstallationRepositoryPage> ListPageAsync(long installationId, int page, CancellationToken cancellationToken)
        {
            Assert.Equal(Installation, installationId);
            Pages.Enqueue(page);
            var names = Enumerable.Range((page - 1) * GitHubLimits.PageSize, GitHubLimits.PageSize).Where(i => i < Repositories).Select(i => $"acme/repo-{i:D4}").ToList();
            return Task.FromResult(new InstallationRepositoryPage(names, page * GitHubLimits.PageSize < Repositories));
        }
    }

    private sealed class Factory(CountingGitHub github) : IOnboardingGitHubFactory
    {
        public IOnboardingGitHub ForRepository(long installationId, long? repositoryId, string repo) => github;
    }

    /// <summary>Every tenth repository has a Dockerfile that runs as root; counts reads of each repository and pull requests opened.</summary>
    private sealed class CountingGitHub : IOnboardingGitHub
    {
        public Task ClosePullRequestAsync(string owner, string repo, int number, string comment, string body, CancellationToken cancellationToken) => throw new NotSupportedException();

        public TimeSpan? BackgroundWait() => null;

        private static readonly string Head = new('a', 40);

        public ConcurrentDictionary<string, int> RepositoryReads { get; } = new();

        public ConcurrentDictionary<string, int> PullRequestsOpened { get; } = new();

        public Task<RepositoryFacts> GetRepositoryAsync(string owner, string repo, CancellationToken cancellationToken)
        {
            RepositoryReads.AddOrUpdate($"{owner}/{repo}", 1, (_, n) => n + 1);
            return Task.FromResult(new RepositoryFacts("main", Head, false, false));
        }

        public Task<RepositoryTree> ReadTreeAsync(string owner, string repo, string sha, CancellationToken cancellationToken) => Task.FromResult(new RepositoryTree([new TreeEntry("Dockerfile", TreeEntryKind.File, 40)], false));

        public Task<IReadOnlyList<FileRead>> ReadFilesAsync(string owner, string repo, string sha, IReadOnlyList<string> paths, long maxBytes, CancellationToken cancellationToken)
        {
            bool root = int.Parse(repo["repo-".Length..]) % 10 == 0;
            var dockerfile = root ? "FROM python:3.12-slim\nCOPY . /app\n" : "FROM python:3.12-slim\nUSER 10001\n";
            return Task.FromResult<IReadOnlyList<FileRead>>([.. paths.Select(p => p == "Dockerfile" ? new FileRead(FileReadStatus.Read, dockerfile, null) : new FileRead(FileReadStatus.Missing, null, null))]);
        }

        public Task<IReadOnlyList<OnboardingPullRequest>> ListOurPullRequestsAsync(string owner, string repo, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<OnboardingPullRequest>>([]);

        public Task<string?> GetBranchAsync(string owner, string repo, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public Task CreateBranchAsync(string owner, string repo, string sha, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task MoveBranchAsync(string owner, string repo, string repositoryNodeId, string from, string to, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsOurCommitAsync(string owner, string repo, string sha, string parentSha, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<string> CommitAsync(string owner, string repo, string expectedHeadSha, IReadOnlyList<OnboardingChange> changes, string message, CancellationToken cancellationToken) => Task.FromResult(new string('c', 40));

        public Task<int> CreatePullRequestAsync(string owner, string repo, string baseBranch, string title, string body, CancellationToken cancellationToken)
        {
            PullRequestsOpened.AddOrUpdate($"{owner}/{repo}", 1, (_, n) => n + 1);
            return Task.FromResult(1);
        }

        public Task UpdatePullRequestAsync(string owner, string repo, int number, string body, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
