using System.Text.Json.Nodes;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Onboarding;
using ReviewBot.GitHub.Tests.Api;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReviewBot.GitHub.Tests.Onboarding;

/// <summary>
/// Onboarding over HTTP against a WireMock GitHub with three repositories: one clean, one that runs as root, one whose
/// onboarding pull request is already open; then the root one's pull request closed unmerged.
/// </summary>
public sealed class GitHubOnboardingClientTests : IDisposable
{
    private const string Root = "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/app.py\"]\n";
    private const string Clean = "FROM python:3.12-slim\nRUN useradd -r app\nUSER app\n";
    private static readonly string Head = new('a', 40);
    private static readonly string Commit = new('c', 40);

    private readonly GitHubFake _fake = new();

    public void Dispose() => _fake.Dispose();

    [Fact]
    public async Task Three_repositories_one_pull_request_and_a_closed_one_is_not_recreated()
    {
        Repository("clean", Clean, pulls: "[]");
        Repository("root", Root, pulls: "[]");
        string openBody = OnboardingPlan.Marker + "\n<!-- reviewbot:onboarding-state base=" + Head + " commit=" + Commit + " findings=0123456789abcdef0123 -->\nbody";
        Repository("open", Root, pulls: new JsonArray(Pull(7, "open", openBody, Commit)).ToJsonString());
        _fake.StubJson("POST", "/api/v3/repos/o/root/git/refs", $$$"""{"ref":"refs/heads/reviewbot/non-root","object":{"sha":"{{{Head}}}"}}""", 201);
        _fake.Server.Given(Request.Create().WithPath("/api/graphql").UsingPost().WithBody(new WildcardMatcher("*createCommitOnBranch*")))
            .AtPriority(1).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("{\"data\":{\"createCommitOnBranch\":{\"commit\":{\"oid\":\"" + Commit + "\"}}}}"));
        _fake.StubJson("POST", "/api/v3/repos/o/root/pulls", """{"number":12}""", 201);

        var github = new GitHubOnboardingClient(_fake.Client(), BotLogin);
        var results = new Dictionary<string, OnboardingResult>();
        foreach (var repo in new[] { "clean", "root", "open" })
        {
            results[repo] = await RepositoryOnboarder.OnboardAsync(github, "o", repo, _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default);
        }

        Assert.Equal(OnboardingOutcome.NothingToFix, results["clean"].Outcome);
        Assert.Equal((OnboardingOutcome.Opened, (int?)12), (results["root"].Outcome, results["root"].PullRequest));
        Assert.Equal(OnboardingOutcome.AlreadyOpen, results["open"].Outcome);

        var commit = GitHubFake.Json(Assert.Single(_fake.Server.LogEntries, e => e.RequestMessage.Body?.Contains("createCommitOnBranch", StringComparison.Ordinal) == true))["variables"]!["input"]!;
        Assert.Equal(("o/root", "reviewbot/non-root", Head), (commit["branch"]!["repositoryNameWithOwner"]!.GetValue<string>(), commit["branch"]!["branchName"]!.GetValue<string>(), commit["expectedHeadOid"]!.GetValue<string>()));
        var added = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(commit["fileChanges"]!["additions"]![0]!["contents"]!.GetValue<string>()));
        Assert.Contains("USER ", added, StringComparison.Ordinal);
        var pr = GitHubFake.Json(Assert.Single(_fake.Requests("POST", "/api/v3/repos/o/root/pulls")));
        Assert.Equal(("reviewbot/non-root", "main", OnboardingPlan.Title), (pr["head"]!.GetValue<string>(), pr["base"]!.GetValue<string>(), pr["title"]!.GetValue<string>()));
        Assert.Single(_fake.Requests("POST", "/api/v3/repos/o/root/git/refs"));

        int writesBefore = Writes();
        var requestsPerRepo = _fake.Server.LogEntries.GroupBy(e => e.RequestMessage.Path.Contains("/o/clean", StringComparison.Ordinal) || e.RequestMessage.Body?.Contains("\"clean\"", StringComparison.Ordinal) == true ? "clean"
            : e.RequestMessage.Path.Contains("/o/open", StringComparison.Ordinal) || e.RequestMessage.Body?.Contains("\"open\"", StringComparison.Ordinal) == true ? "open" : "root").ToDictionary(g => g.Key, g => g.Count());
        // A clean repository also lists our pull requests: one of them may be open and stale (then it is closed).
        Assert.Equal((5, 9, 5), (requestsPerRepo["clean"], requestsPerRepo["root"], requestsPerRepo["open"]));

        // The person closes it unmerged; the default branch moves; the same fixes are not offered again.
        var body = GitHubFake.Json(_fake.Requests("POST", "/api/v3/repos/o/root/pulls")[0])["body"]!.GetValue<string>();
        _fake.StubJson("GET", "/api/v3/repos/o/root/pulls", new JsonArray(Pull(12, "closed", body, Commit)).ToJsonString(), priority: 1);
        string moved = new('b', 40);
        _fake.StubJson("GET", "/api/v3/repos/o/root/git/ref/heads/main", $$$"""{"ref":"refs/heads/main","object":{"sha":"{{{moved}}}"}}""", priority: 1);
        _fake.StubJson("GET", $"/api/v3/repos/o/root/git/trees/{moved}", $$$"""{"sha":"{{{moved}}}","truncated":false,"tree":[{"path":"Dockerfile","mode":"100644","type":"blob","size":{{{Root.Length}}}}]}""");

        var again = await RepositoryOnboarder.OnboardAsync(github, "o", "root", _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default);

        Assert.Equal(OnboardingOutcome.Declined, again.Outcome);
        Assert.Equal(writesBefore, Writes());
    }

    [Fact]
    public async Task Once_the_installations_budget_is_down_to_the_reviews_reserve_the_next_repository_waits_for_the_reset_without_a_call()
    {
        Repository("first", Clean, pulls: "[]");
        Repository("second", Clean, pulls: "[]");
        _fake.Server.Given(Request.Create().WithPath("/api/v3/repos/o/first/git/trees/" + Head).UsingGet()).AtPriority(1)
            .RespondWith(RateLimitBudgetTests.WithBudget(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody($$$"""{"sha":"{{{Head}}}","truncated":false,"tree":[{"path":"Dockerfile","mode":"100644","type":"blob","size":{{{Clean.Length}}}}]}"""), remaining: 499));
        var github = new GitHubOnboardingClient(_fake.Client(), BotLogin);

        var first = await RepositoryOnboarder.OnboardAsync(github, "o", "first", _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default);
        int calls = _fake.Server.LogEntries.Count();
        var second = await Assert.ThrowsAsync<WorkDeferredException>(() => RepositoryOnboarder.OnboardAsync(github, "o", "second", _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default));

        Assert.Equal(OnboardingOutcome.NothingToFix, first.Outcome);
        Assert.InRange(second.RetryAfter, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
        Assert.Equal(calls, _fake.Server.LogEntries.Count());
    }

    [Theory]
    [InlineData("octocat", "User", "open")] // would read as our open pull request: onboarding stopped
    [InlineData("copycat[bot]", "Bot", "closed")] // would read as ours, declined for the same fixes: never offered
    public async Task A_pull_request_by_anyone_but_our_App_with_our_marker_neither_stops_nor_steers_onboarding(string login, string type, string state)
    {
        var plan = OnboardingPlanner.Plan([new OnboardingFile("Dockerfile", Root)], ReviewBot.Configuration.RepositoryConfig.Default);
        string copied = OnboardingPlan.Marker + "\n<!-- reviewbot:onboarding-state base=" + Head + " commit=" + Commit + " findings=" + RepositoryOnboarder.FindingsId(plan) + " -->\nbody";
        Repository("root", Root, pulls: new JsonArray(Pull(3, state, copied, Commit, login, type)).ToJsonString());
        _fake.StubJson("POST", "/api/v3/repos/o/root/git/refs", $$$"""{"ref":"refs/heads/reviewbot/non-root","object":{"sha":"{{{Head}}}"}}""", 201);
        _fake.Server.Given(Request.Create().WithPath("/api/graphql").UsingPost().WithBody(new WildcardMatcher("*createCommitOnBranch*")))
            .AtPriority(1).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("{\"data\":{\"createCommitOnBranch\":{\"commit\":{\"oid\":\"" + Commit + "\"}}}}"));
        _fake.StubJson("POST", "/api/v3/repos/o/root/pulls", """{"number":12}""", 201);

        var result = await RepositoryOnboarder.OnboardAsync(new GitHubOnboardingClient(_fake.Client(), BotLogin), "o", "root", _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default);

        Assert.Equal((OnboardingOutcome.Opened, (int?)12), (result.Outcome, result.PullRequest));
        Assert.Empty(_fake.Requests("PATCH", "/api/v3/repos/o/root/pulls/3"));
    }

    [Theory]
    [InlineData("reviewbot[bot]", false)] // ours, from a close that failed after it: not said twice
    [InlineData("mallory", true)] // anyone may copy the marker into a comment: only ours counts
    public async Task A_stale_pull_request_closed_again_after_a_failure_is_explained_once(string commenter, bool comments)
    {
        Repository("stale", Clean, pulls: new JsonArray(Pull(7, "open", OnboardingPlan.Marker + "\n<!-- reviewbot:onboarding-state base=" + Head + " commit=" + Commit + " findings=0123456789abcdef0123 -->\nbody", Commit)).ToJsonString());
        var earlier = new JsonObject { ["body"] = "Closing: …\n\n" + GitHubOnboardingClient.ClosingMarker, ["user"] = new JsonObject { ["login"] = commenter, ["type"] = "Bot" } };
        _fake.StubJson("GET", "/api/v3/repos/o/stale/issues/7/comments", new JsonArray(earlier).ToJsonString());
        _fake.StubJson("POST", "/api/v3/repos/o/stale/issues/7/comments", """{"id":70}""", 201);
        _fake.StubJson("PATCH", "/api/v3/repos/o/stale/pulls/7", """{"number":7}""");
        _fake.StubJson("DELETE", "/api/v3/repos/o/stale/git/refs/heads/reviewbot/non-root", "", 204);

        var result = await RepositoryOnboarder.OnboardAsync(new GitHubOnboardingClient(_fake.Client(), BotLogin), "o", "stale", _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default);

        Assert.Equal(OnboardingOutcome.Closed, result.Outcome);
        var posted = _fake.Requests("POST", "/api/v3/repos/o/stale/issues/7/comments");
        Assert.Equal(comments ? 1 : 0, posted.Count());
        Assert.All(posted, p => Assert.EndsWith(GitHubOnboardingClient.ClosingMarker, (string)GitHubFake.Json(p)["body"]!, StringComparison.Ordinal));
        Assert.Single(_fake.Requests("PATCH", "/api/v3/repos/o/stale/pulls/7"));
        Assert.Single(_fake.Requests("DELETE", "/api/v3/repos/o/stale/git/refs/heads/reviewbot/non-root"));
    }

    [Fact]
    public async Task Our_branch_is_created_without_overwriting_and_moved_only_compare_and_swap()
    {
        string refs = "/api/v3/repos/o/r/git/refs";
        string from = new('c', 40);
        _fake.StubJson("POST", refs, """{"message":"Reference already exists"}""", 422);
        _fake.Server.Given(Request.Create().WithPath("/api/graphql").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"data":{"updateRefs":{"clientMutationId":null}}}"""));
        var github = new GitHubOnboardingClient(_fake.Client(), BotLogin);

        // A branch that exists is never taken over: the create fails, and nothing else is tried.
        await Assert.ThrowsAsync<GitHubApiException>(() => github.CreateBranchAsync("o", "r", Head, default));
        await github.MoveBranchAsync("o", "r", "R_kgDO", from, Head, default);

        Assert.Equal(["POST " + refs, "POST /api/graphql"], _fake.Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Path}"));
        var move = GitHubFake.Json(_fake.Requests("POST", "/api/graphql")[0]);
        Assert.Contains("updateRefs", move["query"]!.GetValue<string>(), StringComparison.Ordinal);
        var update = move["variables"]!["input"]!["refUpdates"]![0]!;
        Assert.Equal(("R_kgDO", "refs/heads/reviewbot/non-root", from, Head), (move["variables"]!["input"]!["repositoryId"]!.GetValue<string>(), update["name"]!.GetValue<string>(), update["beforeOid"]!.GetValue<string>(), update["afterOid"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("reviewbot[bot]", true, "parent", true)]
    [InlineData("octocat", true, "parent", false)] // a person's commit
    [InlineData("reviewbot[bot]", false, "parent", false)] // not signed by GitHub
    [InlineData("reviewbot[bot]", true, "other", false)] // on another commit
    public async Task A_commit_is_ours_only_when_our_App_made_it_verified_on_the_expected_parent(string author, bool verified, string parent, bool ours)
    {
        string sha = new('d', 40);
        string parentSha = parent == "parent" ? Head : new string('e', 40);
        _fake.StubJson("GET", $"/api/v3/repos/o/r/commits/{sha}", new JsonObject
        {
            ["sha"] = sha,
            ["parents"] = new JsonArray(new JsonObject { ["sha"] = parentSha }),
            ["author"] = new JsonObject { ["login"] = author, ["type"] = "Bot" },
            ["commit"] = new JsonObject { ["message"] = OnboardingPlan.CommitMessage, ["verification"] = new JsonObject { ["verified"] = verified } },
        }.ToJsonString());

        Assert.Equal(ours, await new GitHubOnboardingClient(_fake.Client(), BotLogin).IsOurCommitAsync("o", "r", sha, Head, default));
    }

    [Fact]
    public async Task A_Dockerfile_past_GraphQLs_text_limit_is_read_whole_through_REST_and_fixed_like_any_other()
    {
        // GitHub's GraphQL cuts a blob's text at 512,000 bytes (isTruncated); the branch check reads such a file
        // through REST's raw contents, and onboarding reads through the same reader: the file is fixed, not skipped.
        string big = Root + "# " + new string('x', 600_000) + "\n";
        string repo = GitHubFake.RepoPath;
        _fake.StubContent("Dockerfile", Head, big);
        _fake.StubJson("GET", repo, """{"default_branch":"main","archived":false,"fork":false,"node_id":"R_1"}""");
        _fake.StubJson("GET", repo + "/git/ref/heads/main", $$$"""{"ref":"refs/heads/main","object":{"sha":"{{{Head}}}"}}""");
        _fake.StubJson("GET", repo + "/pulls", "[]");
        _fake.StubJson("GET", repo + "/git/ref/heads/reviewbot/non-root", """{"message":"Not Found"}""", 404);
        _fake.StubJson("POST", repo + "/git/refs", $$$"""{"ref":"refs/heads/reviewbot/non-root","object":{"sha":"{{{Head}}}"}}""", 201);
        _fake.Server.Given(Request.Create().WithPath("/api/graphql").UsingPost().WithBody(new WildcardMatcher("*createCommitOnBranch*")))
            .AtPriority(1).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("{\"data\":{\"createCommitOnBranch\":{\"commit\":{\"oid\":\"" + Commit + "\"}}}}"));
        _fake.StubJson("POST", repo + "/pulls", """{"number":12}""", 201);

        var result = await RepositoryOnboarder.OnboardAsync(new GitHubOnboardingClient(_fake.Client(), BotLogin), GitHubFake.Owner, GitHubFake.Repo, _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default);

        Assert.Equal((OnboardingOutcome.Opened, (int?)12), (result.Outcome, result.PullRequest));
        Assert.Single(_fake.Requests("GET", repo + "/contents/Dockerfile"));
        var commit = GitHubFake.Json(Assert.Single(_fake.Server.LogEntries, e => e.RequestMessage.Body?.Contains("createCommitOnBranch", StringComparison.Ordinal) == true))["variables"]!["input"]!;
        var added = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(commit["fileChanges"]!["additions"]![0]!["contents"]!.GetValue<string>()));
        Assert.Contains(new string('x', 600_000), added, StringComparison.Ordinal);
        Assert.Contains("USER ", added, StringComparison.Ordinal);
    }

    private int Writes() => _fake.Server.LogEntries.Count(e => e.RequestMessage.Method is "POST" or "PATCH" && (e.RequestMessage.Path != "/api/graphql" || e.RequestMessage.Body!.Contains("mutation", StringComparison.Ordinal)));

    /// <summary>Our App's login as GET /app makes it; GitHub's logins are case-insensitive.</summary>
    private static Task<string> BotLogin(CancellationToken cancellationToken) => Task.FromResult("ReviewBot[bot]");

    private static JsonObject Pull(int number, string state, string body, string headSha, string login = "reviewbot[bot]", string type = "Bot") => new()
    {
        ["number"] = number,
        ["state"] = state,
        ["body"] = body,
        ["merged_at"] = null,
        ["head"] = new JsonObject { ["sha"] = headSha, ["ref"] = "reviewbot/non-root" },
        ["user"] = new JsonObject { ["login"] = login, ["type"] = type },
    };

    private void Repository(string name, string dockerfile, string pulls)
    {
        string path = $"/api/v3/repos/o/{name}";
        _fake.StubJson("GET", path, """{"default_branch":"main","archived":false,"fork":false}""");
        _fake.StubJson("GET", path + "/git/ref/heads/main", $$$"""{"ref":"refs/heads/main","object":{"sha":"{{{Head}}}"}}""");
        _fake.StubJson("GET", path + $"/git/trees/{Head}", $$$"""{"sha":"{{{Head}}}","truncated":false,"tree":[{"path":"Dockerfile","mode":"100644","type":"blob","size":{{{dockerfile.Length}}}},{"path":"src","mode":"040000","type":"tree"}]}""");
        var data = new JsonObject { ["data"] = new JsonObject { ["repository"] = new JsonObject { ["f0"] = null, ["f1"] = new JsonObject { ["__typename"] = "Blob", ["byteSize"] = dockerfile.Length, ["text"] = dockerfile, ["isBinary"] = false, ["isTruncated"] = false } } } };
        _fake.Server.Given(Request.Create().WithPath("/api/graphql").UsingPost().WithBody(new WildcardMatcher($"*\"name\":\"{name}\"*")))
            .AtPriority(10).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(data.ToJsonString()));
        _fake.StubJson("GET", path + "/pulls", pulls);
    }
}
