using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.App.Webhooks;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReviewBot.App.Tests.Worker;

/// <summary>Issue 11 item 5: a push to the default branch gets the check run on its commit, over the whole tree's Dockerfiles.</summary>
public sealed class BranchCheckTests : IDisposable
{
    /// <summary>push.json's after: the commit pushed to master, the repository's default branch.</summary>
    private const string Commit = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

    private const string CleanDockerfile = "FROM debian:bookworm-slim\nRUN useradd --uid 10001 app\nUSER 10001\nCMD [\"/app/run\"]\n";

    private const string TreePath = GitHubFake.RepoPath + "/git/trees/" + Commit;

    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public BranchCheckTests() => _app = new AppHost(_github);

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    private void StubTree(params (string Path, string Mode, string Type)[] entries) =>
        _github.StubJson("GET", TreePath, JsonSerializer.Serialize(new
        {
            sha = Commit,
            tree = entries.Select(e => new { path = e.Path, mode = e.Mode, type = e.Type, sha = "0000000000000000000000000000000000000001", size = 10 }),
            truncated = false,
        }), priority: _github.NextPriority());

    [Fact]
    public async Task A_push_to_the_default_branch_gets_a_failing_check_on_its_commit_with_annotations_for_a_root_image()
    {
        StubTree(("README.md", "100644", "blob"), ("services", "040000", "tree"), ("services/api/Dockerfile", "100644", "blob"), ("services/web/Dockerfile", "100644", "blob"), ("link/Dockerfile", "120000", "blob"));
        _github.StubContent("services/api/Dockerfile", Commit, Scenario.RootDockerfile);
        _github.StubContent("services/web/Dockerfile", Commit, CleanDockerfile);
        _github.StubContent("link/Dockerfile", Commit, "../services/web/Dockerfile"); // a link's blob is its target path

        var response = await _app.PostWebhookAsync("push", AppHost.Payload("push"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal(Commit, check["head_sha"]!.GetValue<string>());
        Assert.Equal("ReviewBot / non-root", check["name"]!.GetValue<string>());
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.True(ReviewBot.GitHub.Checks.CheckRerun.Parse(check["external_id"]!.GetValue<string>())?.Branch); // its re-run event names no pull request
        var annotations = check["output"]!["annotations"]!.AsArray();
        Assert.Contains(annotations, a => a!["path"]!.GetValue<string>() == "services/api/Dockerfile" && a["annotation_level"]!.GetValue<string>() == "failure");
        Assert.DoesNotContain(annotations, a => a!["path"]!.GetValue<string>() != "services/api/Dockerfile");

        // The tree in one call (its modes tell the symbolic link), the link's target path, then the Dockerfiles in one
        // GraphQL call at the commit (the link judged by its target, never by its own text), the config from that commit;
        // no review, no comment.
        Assert.Equal("1", Assert.Single(_github.Requests("GET", TreePath)).RequestMessage.Query!["recursive"].Single());
        Assert.Equal([$"{Commit}:link/Dockerfile", $"{Commit}:services/api/Dockerfile", $"{Commit}:services/web/Dockerfile", $"{Commit}:services/web/Dockerfile"], _github.GraphQLTextReads);
        Assert.Contains("`link/Dockerfile` is a symbolic link to `services/web/Dockerfile`", check["output"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Commit, Assert.Single(_github.Requests("GET", GitHubFake.RepoPath + "/contents/.github/reviewbot.yml")).RequestMessage.Query!["ref"].Single());
        Assert.Empty(_github.Reviews);
        Assert.Empty(_github.FileComments);
        Assert.Equal(
            [
                $"GET {GitHubFake.RepoPath}/contents/.github/reviewbot.yml",
                $"GET {TreePath}",
                $"POST {GitHubFake.GraphQLPath}",
                $"POST {GitHubFake.GraphQLPath}",
                $"POST {GitHubFake.RepoPath}/check-runs",
            ],
            _github.ApiCalls);
    }

    [Fact]
    public async Task A_push_whose_images_run_as_a_user_gets_a_passing_check()
    {
        StubTree(("Dockerfile", "100644", "blob"));
        _github.StubContent("Dockerfile", Commit, CleanDockerfile);

        await _app.PostWebhookAsync("push", AppHost.Payload("push"));
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal(Commit, check["head_sha"]!.GetValue<string>());
        Assert.Equal("success", check["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_branch_check_that_cannot_read_the_tree_fails_closed()
    {
        _github.StubJson("GET", TreePath, """{"message":"Server Error"}""", 500, priority: 1);

        await _app.PostWebhookAsync("push", AppHost.Payload("push"));
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal(Commit, check["head_sha"]!.GetValue<string>());
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Below_the_reserve_kept_for_reviews_a_branch_check_waits_in_the_queue_without_a_failed_check()
    {
        // The first check learns the installation's budget from GitHub's headers: 40 of 5,000 left, renewed in 30 minutes.
        StubTree(("Dockerfile", "100644", "blob"));
        _github.StubContent("Dockerfile", Commit, CleanDockerfile);
        _github.Server.Given(Request.Create().WithPath(TreePath).UsingGet()).AtPriority(1).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithHeader("x-ratelimit-limit", "5000").WithHeader("x-ratelimit-remaining", "40").WithHeader("x-ratelimit-resource", "core")
            .WithHeader("x-ratelimit-reset", DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithBody(JsonSerializer.Serialize(new { sha = Commit, tree = new[] { new { path = "Dockerfile", mode = "100644", type = "blob", sha = "0000000000000000000000000000000000000001", size = 10 } }, truncated = false })));
        var scheduled = new RecordingQueue();
        using var host = new AppHost(_github, services: services => services.AddKeyedSingleton<IWorkQueue>(QueueServiceExtensions.StorageKey, (sp, _) =>
            scheduled.Over(new InMemoryWorkQueue(sp.GetRequiredService<IOptions<WorkerOptions>>(), TimeProvider.System))));
        await host.PostWebhookAsync("push", AppHost.Payload("push"));
        await _github.WaitForCompletedCheckAsync();
        int calls = _github.Server.LogEntries.Count();

        await host.PostWebhookAsync("push", AppHost.Payload("push"));
        var (item, delay) = await scheduled.Next.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Commit, Assert.IsType<BranchCheckWork>(item).HeadSha);
        Assert.InRange(delay, TimeSpan.FromMinutes(28), TimeSpan.FromMinutes(31));
        Assert.Equal(calls, _github.Server.LogEntries.Count()); // nothing read, no failed check written
    }

    /// <summary>The in-memory queue, recording what waits for later (a real delay would outlast the test).</summary>
    private sealed class RecordingQueue
    {
        public TaskCompletionSource<(WorkItem Item, TimeSpan Delay)> Next { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IWorkQueue Over(IWorkQueue inner) => new Queue(inner, this);

        private sealed class Queue(IWorkQueue inner, RecordingQueue recorder) : IWorkQueue
        {
            public Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken) => inner.EnqueueAsync(item, cancellationToken);

            public Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken) => inner.DequeueAsync(cancellationToken);

            public Task<int> GetDepthAsync(CancellationToken cancellationToken) => inner.GetDepthAsync(cancellationToken);

            public Task ScheduleAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
            {
                recorder.Next.TrySetResult((item, delay));
                return Task.CompletedTask;
            }
        }
    }

    [Fact]
    public async Task A_push_to_another_branch_costs_nothing()
    {
        var push = AppHost.Payload("push");
        push["ref"] = "refs/heads/feature";

        var response = await _app.PostWebhookAsync("push", push);
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_github.Server.LogEntries);
    }

    [Theory]
    [InlineData("refs/heads/master", true, "deleted")]
    [InlineData("refs/tags/master", false, "not a push to a branch")]
    [InlineData("refs/heads/feature", false, "not a push to the default branch")]
    [InlineData("refs/heads/master/x", false, "not a push to the default branch")]
    public void Deleted_pushes_tags_and_other_branches_are_not_checked(string pushed, bool deleted, string why)
    {
        var push = AppHost.Payload("push");
        push["ref"] = pushed;
        push["deleted"] = deleted;

        var decision = WebhookRouter.Route("push", "d-1", JsonSerializer.SerializeToElement(push));

        Assert.Empty(decision.Work);
        Assert.Contains(why, decision.IgnoredBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void A_push_to_the_default_branch_is_a_branch_check_of_its_commit()
    {
        var item = Assert.IsType<BranchCheckWork>(Assert.Single(WebhookRouter.Route("push", "d-1", JsonSerializer.SerializeToElement(AppHost.Payload("push"))).Work));

        Assert.Equal((Commit, "master", 1L), (item.HeadSha, item.Branch, item.InstallationId));
    }

    [Fact]
    public void A_branch_check_is_logged_and_traced_as_a_branch_and_a_commit_never_a_pull_request()
    {
        var item = Assert.Single(WebhookRouter.Route("push", "d-1", JsonSerializer.SerializeToElement(AppHost.Payload("push"))).Work);

        var scope = ReviewBot.App.Operations.ReviewBotTelemetry.Scope(item);

        Assert.Equal(("master", Commit), (scope["Branch"], scope["CommitSha"]));
        Assert.DoesNotContain("PullRequest", scope.Keys);
        Assert.Equal("branch-check", ReviewBot.App.Operations.ReviewBotTelemetry.SpanName(item));
    }
}
