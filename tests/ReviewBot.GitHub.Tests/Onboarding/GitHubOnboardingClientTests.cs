using System.Text.Json.Nodes;
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

    private readonly GitHubFake fake = new();

    public void Dispose() => fake.Dispose();

    [Fact]
    public async Task Three_repositories_one_pull_request_and_a_closed_one_is_not_recreated()
    {
        Repository("clean", Clean, pulls: "[]");
        Repository("root", Root, pulls: "[]");
        string openBody = OnboardingPlan.Marker + "\n<!-- reviewbot:onboarding-state base=" + Head + " commit=" + Commit + " findings=0123456789abcdef0123 -->\nbody";
        Repository("open", Root, pulls: new JsonArray(Pull(7, "open", openBody, Commit)).ToJsonString());
        fake.StubJson("POST", "/api/v3/repos/o/root/git/refs", $$$"""{"ref":"refs/heads/reviewbot/non-root","object":{"sha":"{{{Head}}}"}}""", 201);
        fake.Server.Given(Request.Create().WithPath("/api/graphql").UsingPost().WithBody(new WildcardMatcher("*createCommitOnBranch*")))
            .AtPriority(1).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("{\"data\":{\"createCommitOnBranch\":{\"commit\":{\"oid\":\"" + Commit + "\"}}}}"));
        fake.StubJson("POST", "/api/v3/repos/o/root/pulls", """{"number":12}""", 201);

        var github = new GitHubOnboardingClient(fake.Client());
        var results = new Dictionary<string, OnboardingResult>();
        foreach (var repo in new[] { "clean", "root", "open" })
        {
            results[repo] = await RepositoryOnboarder.OnboardAsync(github, "o", repo, _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default);
        }

        Assert.Equal(OnboardingOutcome.NothingToFix, results["clean"].Outcome);
        Assert.Equal((OnboardingOutcome.Opened, (int?)12), (results["root"].Outcome, results["root"].PullRequest));
        Assert.Equal(OnboardingOutcome.AlreadyOpen, results["open"].Outcome);

        var commit = GitHubFake.Json(Assert.Single(fake.Server.LogEntries, e => e.RequestMessage.Body?.Contains("createCommitOnBranch", StringComparison.Ordinal) == true))["variables"]!["input"]!;
        Assert.Equal(("o/root", "reviewbot/non-root", Head), (commit["branch"]!["repositoryNameWithOwner"]!.GetValue<string>(), commit["branch"]!["branchName"]!.GetValue<string>(), commit["expectedHeadOid"]!.GetValue<string>()));
        var added = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(commit["fileChanges"]!["additions"]![0]!["contents"]!.GetValue<string>()));
        Assert.Contains("USER ", added, StringComparison.Ordinal);
        var pr = GitHubFake.Json(Assert.Single(fake.Requests("POST", "/api/v3/repos/o/root/pulls")));
        Assert.Equal(("reviewbot/non-root", "main", OnboardingPlan.Title), (pr["head"]!.GetValue<string>(), pr["base"]!.GetValue<string>(), pr["title"]!.GetValue<string>()));
        Assert.Single(fake.Requests("POST", "/api/v3/repos/o/root/git/refs"));

        int writesBefore = Writes();
        var requestsPerRepo = fake.Server.LogEntries.GroupBy(e => e.RequestMessage.Path.Contains("/o/clean", StringComparison.Ordinal) || e.RequestMessage.Body?.Contains("\"clean\"", StringComparison.Ordinal) == true ? "clean"
            : e.RequestMessage.Path.Contains("/o/open", StringComparison.Ordinal) || e.RequestMessage.Body?.Contains("\"open\"", StringComparison.Ordinal) == true ? "open" : "root").ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal((4, 8, 5), (requestsPerRepo["clean"], requestsPerRepo["root"], requestsPerRepo["open"]));

        // The person closes it unmerged; the default branch moves; the same fixes are not offered again.
        var body = GitHubFake.Json(fake.Requests("POST", "/api/v3/repos/o/root/pulls")[0])["body"]!.GetValue<string>();
        fake.StubJson("GET", "/api/v3/repos/o/root/pulls", new JsonArray(Pull(12, "closed", body, Commit)).ToJsonString(), priority: 1);
        string moved = new('b', 40);
        fake.StubJson("GET", "/api/v3/repos/o/root/git/ref/heads/main", $$$"""{"ref":"refs/heads/main","object":{"sha":"{{{moved}}}"}}""", priority: 1);
        fake.StubJson("GET", $"/api/v3/repos/o/root/git/trees/{moved}", $$$"""{"sha":"{{{moved}}}","truncated":false,"tree":[{"path":"Dockerfile","type":"blob","size":{{{Root.Length}}}}]}""");

        var again = await RepositoryOnboarder.OnboardAsync(github, "o", "root", _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default);

        Assert.Equal(OnboardingOutcome.Declined, again.Outcome);
        Assert.Equal(writesBefore, Writes());
    }

    private int Writes() => fake.Server.LogEntries.Count(e => e.RequestMessage.Method is "POST" or "PATCH" && (e.RequestMessage.Path != "/api/graphql" || e.RequestMessage.Body!.Contains("mutation", StringComparison.Ordinal)));

    private static JsonObject Pull(int number, string state, string body, string headSha) => new()
    {
        ["number"] = number,
        ["state"] = state,
        ["body"] = body,
        ["merged_at"] = null,
        ["head"] = new JsonObject { ["sha"] = headSha, ["ref"] = "reviewbot/non-root" },
        ["user"] = new JsonObject { ["login"] = "reviewbot[bot]", ["type"] = "Bot" },
    };

    private void Repository(string name, string dockerfile, string pulls)
    {
        string path = $"/api/v3/repos/o/{name}";
        fake.StubJson("GET", path, """{"default_branch":"main","archived":false,"fork":false}""");
        fake.StubJson("GET", path + "/git/ref/heads/main", $$$"""{"ref":"refs/heads/main","object":{"sha":"{{{Head}}}"}}""");
        fake.StubJson("GET", path + $"/git/trees/{Head}", $$$"""{"sha":"{{{Head}}}","truncated":false,"tree":[{"path":"Dockerfile","type":"blob","size":{{{dockerfile.Length}}}},{"path":"src","type":"tree"}]}""");
        var data = new JsonObject { ["data"] = new JsonObject { ["repository"] = new JsonObject { ["f0"] = null, ["f1"] = new JsonObject { ["text"] = dockerfile, ["isBinary"] = false, ["isTruncated"] = false } } } };
        fake.Server.Given(Request.Create().WithPath("/api/graphql").UsingPost().WithBody(new WildcardMatcher($"*\"name\":\"{name}\"*")))
            .AtPriority(10).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(data.ToJsonString()));
        fake.StubJson("GET", path + "/pulls", pulls);
    }
}
