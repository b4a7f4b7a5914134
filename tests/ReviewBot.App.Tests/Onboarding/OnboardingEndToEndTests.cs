using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.GitHub.Onboarding;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit.Abstractions;

namespace ReviewBot.App.Tests.Onboarding;

/// <summary>
/// Issue 11 end to end through the App: GitHub's own installation.created payload, signed, POSTed to the webhook
/// endpoint; the real worker and queue onboard an organisation of three repositories against a WireMock GitHub; then
/// installation_repositories.added adds one whose onboarding pull request was closed unmerged; then a push to the
/// default branch gets its check run. Every request to GitHub is counted per repository.
/// </summary>
public sealed class OnboardingEndToEndTests : IDisposable
{
    private const string Account = "Codertocat";
    private const string Root = "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/app.py\"]\n";
    private const string Clean = "FROM python:3.12-slim\nRUN useradd -r app\nUSER app\n";
    private const int OpenedNumber = 12;

    /// <summary>Each repository's default branch head, distinct so the fake's GraphQL blobs ("sha:path") are each repository's own.</summary>
    private static readonly Dictionary<string, string> Heads = new()
    {
        ["clean-repo"] = new string('1', 40),
        ["root-repo"] = new string('2', 40),
        ["open-repo"] = new string('3', 40),
        ["closed-repo"] = new string('4', 40),
    };

    private static readonly string OurCommit = new('c', 40);

    /// <summary>The commit a person later pushes to root-repo's default branch.</summary>
    private static readonly string Pushed = new('5', 40);

    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    private readonly ITestOutputHelper _output;

    public OnboardingEndToEndTests(ITestOutputHelper output)
    {
        _output = output;
        _app = new AppHost(_github, new Dictionary<string, string?> { ["Onboarding:Enabled"] = "true" });
    }

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    [Fact]
    public async Task An_organisation_is_onboarded_once_a_declined_fix_is_not_offered_again_and_a_push_gets_its_check()
    {
        // installation.created for three repositories: GitHub's example, its repositories replaced by ours.
        var created = OnboardingRouterTests.Example("installation", "created");
        var template = created["repositories"]![0]!;
        created["repositories"] = new JsonArray([.. new[] { "clean-repo", "root-repo", "open-repo" }.Select((name, i) => Repository(template, name, i))]);
        long installation = created["installation"]!["id"]!.GetValue<long>();
        _github.StubJson("GET", GitHubFake.Api + "/installation/repositories", JsonSerializer.Serialize(new
        {
            total_count = 3,
            repository_selection = "selected",
            repositories = new[] { "clean-repo", "root-repo", "open-repo" }.Select((n, i) => new { id = 186853100 + i, name = n, full_name = $"{Account}/{n}" }),
        }));
        StubRepository("clean-repo", Clean, "[]");
        StubRepository("root-repo", Root, "[]");
        string upToDate = OnboardingPlan.Marker + $"\n<!-- reviewbot:onboarding-state base={Heads["open-repo"]} commit={OurCommit} findings=0123456789abcdef0123 -->\nbody";
        StubRepository("open-repo", Root, new JsonArray(Pull(7, "open", upToDate)).ToJsonString());
        _github.StubJson("POST", RepoPath("root-repo") + "/git/refs", $$$"""{"ref":"refs/heads/{{{OnboardingPlan.Branch}}}","object":{"sha":"{{{Heads["root-repo"]}}}"}}""", 201);
        _github.Server.Given(Request.Create().WithPath(GitHubFake.GraphQLPath).UsingPost().WithBody(new WildcardMatcher("*createCommitOnBranch*"))).AtPriority(1)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("{\"data\":{\"createCommitOnBranch\":{\"commit\":{\"oid\":\"" + OurCommit + "\"}}}}"));
        _github.StubJson("POST", RepoPath("root-repo") + "/pulls", $$"""{"number":{{OpenedNumber}}}""", 201);

        var response = await _app.PostWebhookAsync("installation", created);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitForAsync(() => Count("clean-repo") == 5 && Count("open-repo") == 5 && _github.Requests("POST", RepoPath("root-repo") + "/pulls").Count == 1);

        // root-repo: ONE pull request from our branch, one commit of the fixed Dockerfile via createCommitOnBranch, one ref.
        var pr = _github.Json(Assert.Single(_github.Requests("POST", RepoPath("root-repo") + "/pulls")));
        Assert.Equal((OnboardingPlan.Branch, "main", OnboardingPlan.Title), (pr["head"]!.GetValue<string>(), pr["base"]!.GetValue<string>(), pr["title"]!.GetValue<string>()));
        var commit = _github.Json(Assert.Single(Commits()))["variables"]!["input"]!;
        Assert.Equal(($"{Account}/root-repo", OnboardingPlan.Branch, Heads["root-repo"]), (commit["branch"]!["repositoryNameWithOwner"]!.GetValue<string>(), commit["branch"]!["branchName"]!.GetValue<string>(), commit["expectedHeadOid"]!.GetValue<string>()));
        var fixedText = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(commit["fileChanges"]!["additions"]![0]!["contents"]!.GetValue<string>()));
        Assert.Contains("USER ", fixedText, StringComparison.Ordinal);
        var branch = _github.Json(Assert.Single(_github.Requests("POST", RepoPath("root-repo") + "/git/refs")));
        Assert.Equal(("refs/heads/" + OnboardingPlan.Branch, Heads["root-repo"]), (branch["ref"]!.GetValue<string>(), branch["sha"]!.GetValue<string>()));

        // clean-repo and open-repo: nothing written. The installation's list was read once (one page).
        Assert.Equal(0, Writes("clean-repo"));
        Assert.Equal(0, Writes("open-repo"));
        Assert.Equal((9, 3), (Count("root-repo"), Writes("root-repo")));
        Assert.Single(_github.Requests("GET", GitHubFake.Api + "/installation/repositories"));

        // Tokens no wider than the work: metadata only to list the installation; each repository's onboarding its own
        // token (by the id GitHub listed) with contents: write, for that repository alone.
        Assert.Equal(
            new[]
            {
                """{"permissions":{"metadata":"read"}}""",
                """{"repository_ids":[186853100],"permissions":{"contents":"write","pull_requests":"write","metadata":"read"}}""",
                """{"repository_ids":[186853101],"permissions":{"contents":"write","pull_requests":"write","metadata":"read"}}""",
                """{"repository_ids":[186853102],"permissions":{"contents":"write","pull_requests":"write","metadata":"read"}}""",
            },
            _github.Server.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/access_tokens", StringComparison.Ordinal))
                .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!.ToJsonString()).Order(StringComparer.Ordinal));

        // installation_repositories.added: closed-repo, whose onboarding pull request for the same fixes was closed unmerged.
        var added = OnboardingRouterTests.Example("installation_repositories", "added");
        added["installation"]!["id"] = installation;
        added["repositories_added"] = new JsonArray(Repository(added["repositories_added"]![0]!, "closed-repo", 3));
        string declinedBody = pr["body"]!.GetValue<string>(); // the same Dockerfile, so the same fixes
        StubRepository("closed-repo", Root, new JsonArray(Pull(3, "closed", declinedBody)).ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("installation_repositories", added)).StatusCode);
        await WaitForAsync(() => _github.Requests("GET", RepoPath("closed-repo") + "/pulls").Count == 1);

        Assert.Equal((5, 0), (Count("closed-repo"), Writes("closed-repo")));
        Assert.Single(Commits());
        Assert.Single(_github.Requests("GET", GitHubFake.Api + "/installation/repositories")); // carried in the item, not listed again

        // A push to root-repo's default branch: the check run on the pushed commit (BranchCheckTests covers its findings).
        var push = AppHost.Payload("push");
        push["ref"] = "refs/heads/main";
        push["after"] = Pushed;
        push["installation"]!["id"] = installation;
        push["repository"]!["name"] = "root-repo";
        push["repository"]!["full_name"] = $"{Account}/root-repo";
        push["repository"]!["default_branch"] = "main";
        push["repository"]!["id"] = 186853101;
        _github.StubJson("GET", RepoPath("root-repo") + $"/git/trees/{Pushed}", Tree(Pushed, Root));
        _github.StubContent("Dockerfile", Pushed, Root);
        _github.Server.Given(Request.Create().WithPath(RepoPath("root-repo") + "/contents/.github/reviewbot.yml").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Not Found"}"""));
        _github.StubJson("POST", RepoPath("root-repo") + "/check-runs", """{"id":41,"name":"ReviewBot / non-root","status":"completed"}""", 201);

        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("push", push)).StatusCode);
        await WaitForAsync(() => _github.Requests("POST", RepoPath("root-repo") + "/check-runs").Count == 1);

        var check = _github.Json(Assert.Single(_github.Requests("POST", RepoPath("root-repo") + "/check-runs")));
        Assert.Equal(("ReviewBot / non-root", Pushed, "failure"), (check["name"]!.GetValue<string>(), check["head_sha"]!.GetValue<string>(), check["conclusion"]!.GetValue<string>()));
        Assert.Equal((13, 4), (Count("root-repo"), Writes("root-repo")));
        Assert.Contains(
            """{"repository_ids":[186853101],"permissions":{"contents":"read","checks":"write","metadata":"read"}}""",
            _github.Server.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/access_tokens", StringComparison.Ordinal)).Select(e => JsonNode.Parse(e.RequestMessage.Body!)!.ToJsonString()));

        // Per repository, all told: clean 5 (it looks for a stale pull request of ours), root 9 (our branch is read before it is created) + 4 for the push, open 5, closed 5; and nothing to any other repository.
        var perRepository = _github.Server.LogEntries.GroupBy(RepositoryOf).ToDictionary(g => g.Key, g => g.Count());
        foreach (var group in _github.Server.LogEntries.GroupBy(RepositoryOf))
        {
            _output.WriteLine($"{group.Key}: {group.Count()} ({string.Join(", ", group.Select(e => e.RequestMessage.Method + " " + e.RequestMessage.Path.Replace(RepoPath(group.Key), "", StringComparison.Ordinal)))})");
        }

        Assert.Equal(
            new Dictionary<string, int> { ["clean-repo"] = 5, ["root-repo"] = 13, ["open-repo"] = 5, ["closed-repo"] = 5, ["(installation)"] = 1, ["(app)"] = perRepository["(app)"] },
            perRepository);
    }

    [Fact]
    public async Task Installing_on_500_repositories_queues_one_item_inside_the_delivery()
    {
        var created = OnboardingRouterTests.Example("installation", "created");
        var template = created["repositories"]![0]!;
        created["repositories"] = new JsonArray([.. Enumerable.Range(0, 500).Select(i => Repository(template, $"repo-{i}", i))]);
        _github.StubJson("GET", GitHubFake.Api + "/installation/repositories", """{"total_count":0,"repositories":[]}""");
        var counted = new CountingQueue();
        using var host = new AppHost(_github, new Dictionary<string, string?> { ["Onboarding:Enabled"] = "true" },
            services => services.AddKeyedSingleton<IWorkQueue>(QueueServiceExtensions.StorageKey, (sp, _) => counted.Wrap(sp)));

        var response = await host.PostWebhookAsync("installation", created);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var item = Assert.IsType<InstallationPageWork>(Assert.Single(counted.Enqueued));
        Assert.Null(item.Repositories);
        Assert.Null(await host.Services.GetRequiredService<ReviewBot.App.State.IStateStore>().GetPullRequestAsync(item.Key, default)); // no head to record
    }

    /// <summary>The App's in-memory queue, recording what is enqueued.</summary>
    private sealed class CountingQueue
    {
        public System.Collections.Concurrent.ConcurrentQueue<WorkItem> Enqueued { get; } = new();

        public IWorkQueue Wrap(IServiceProvider services) => new Recording(this, ActivatorUtilities.CreateInstance<InMemoryWorkQueue>(services));

        private sealed class Recording(CountingQueue owner, IWorkQueue inner) : IWorkQueue
        {
            public Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken)
            {
                owner.Enqueued.Enqueue(item);
                return inner.EnqueueAsync(item, cancellationToken);
            }

            public Task ScheduleAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken) => inner.ScheduleAsync(item, delay, cancellationToken);

            public Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken) => inner.DequeueAsync(cancellationToken);

            public Task<int> GetDepthAsync(CancellationToken cancellationToken) => inner.GetDepthAsync(cancellationToken);
        }
    }

    private static string RepoPath(string name) => $"{GitHubFake.Api}/repos/{Account}/{name}";

    /// <summary>A repository entry of a payload, shaped as the example's, with our name and id.</summary>
    private static JsonNode Repository(JsonNode template, string name, int i)
    {
        var repository = template.DeepClone();
        repository["id"] = 186853100 + i;
        repository["name"] = name;
        repository["full_name"] = $"{Account}/{name}";
        return repository;
    }

    private static JsonObject Pull(int number, string state, string body) => new()
    {
        ["number"] = number,
        ["state"] = state,
        ["body"] = body,
        ["merged_at"] = null,
        ["head"] = new JsonObject { ["sha"] = OurCommit, ["ref"] = OnboardingPlan.Branch },
        ["user"] = new JsonObject { ["login"] = GitHubFake.BotLogin, ["type"] = "Bot" },
    };

    private static string Tree(string sha, string dockerfile) =>
        $$"""{"sha":"{{sha}}","truncated":false,"tree":[{"path":"Dockerfile","mode":"100644","type":"blob","sha":"0000000000000000000000000000000000000001","size":{{dockerfile.Length}}},{"path":"src","mode":"040000","type":"tree","sha":"0000000000000000000000000000000000000002"}]}""";

    /// <summary>The repository's facts, default branch, tree and Dockerfile (served by the fake's GraphQL blobs), and our pull requests.</summary>
    private void StubRepository(string name, string dockerfile, string pulls)
    {
        string head = Heads[name];
        _github.StubJson("GET", RepoPath(name), """{"default_branch":"main","archived":false,"fork":false}""");
        _github.StubJson("GET", RepoPath(name) + "/git/ref/heads/main", $$$"""{"ref":"refs/heads/main","object":{"sha":"{{{head}}}"}}""");
        _github.StubJson("GET", RepoPath(name) + $"/git/trees/{head}", Tree(head, dockerfile));
        _github.StubContent("Dockerfile", head, dockerfile);
        _github.StubJson("GET", RepoPath(name) + "/pulls", pulls);
    }

    private IEnumerable<ILogEntry> Commits() =>
        _github.Requests("POST", GitHubFake.GraphQLPath).Where(e => e.RequestMessage.Body!.Contains("createCommitOnBranch", StringComparison.Ordinal));

    /// <summary>Which repository a request was for: by its path, or for GraphQL by the repository it names.</summary>
    private static string RepositoryOf(ILogEntry entry)
    {
        var request = entry.RequestMessage;
        if (request.Path.StartsWith(GitHubFake.Api + "/app", StringComparison.Ordinal))
        {
            return "(app)"; // the installation token and the App's own login
        }

        if (request.Path == GitHubFake.Api + "/installation/repositories")
        {
            return "(installation)";
        }

        foreach (var name in Heads.Keys)
        {
            if (request.Path.StartsWith(RepoPath(name) + "/", StringComparison.Ordinal) || request.Path == RepoPath(name)
                || (request.Path == GitHubFake.GraphQLPath && (request.Body!.Contains($"\"name\":\"{name}\"", StringComparison.Ordinal) || request.Body.Contains($"{Account}/{name}\"", StringComparison.Ordinal))))
            {
                return name;
            }
        }

        return $"{request.Method} {request.Path}";
    }

    private int Count(string repository) => _github.Server.LogEntries.Count(e => RepositoryOf(e) == repository);

    /// <summary>Content-creating requests: POST and PATCH, GraphQL only for a mutation.</summary>
    private int Writes(string repository) => _github.Server.LogEntries.Count(e => RepositoryOf(e) == repository && e.RequestMessage.Method is "POST" or "PATCH"
        && (e.RequestMessage.Path != GitHubFake.GraphQLPath || e.RequestMessage.Body!.Contains("mutation", StringComparison.Ordinal)));

    /// <summary>Waits for the background worker to reach a state, then a moment longer so a request it should NOT make would show.</summary>
    private async Task WaitForAsync(Func<bool> reached)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!reached())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Not reached. Requests seen:\n" + string.Join("\n", _github.Server.LogEntries.Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Url} -> {e.ResponseMessage.StatusCode}")));
            }

            await Task.Delay(50);
        }

        await Task.Delay(500);
    }
}
