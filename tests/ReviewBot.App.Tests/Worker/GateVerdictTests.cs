using System.Net;
using System.Text.Json.Nodes;
using ReviewBot.GitHub.PullRequests;

namespace ReviewBot.App.Tests.Worker;

/// <summary>
/// Issue 17 ("the gate, round 2"), items 1, 2 and 6: the check on a commit is the worst verdict of the open pull
/// requests whose head it is; a review judges exactly the base and head commits it names (file list, texts, patches,
/// config); the config is read at the base commit, never by a branch name.
/// </summary>
public sealed class GateVerdictTests : IDisposable
{
    /// <summary>A Dockerfile that runs as a non-root user: a review of it alone passes.</summary>
    private const string CleanDockerfile = "FROM debian:bookworm-slim\nRUN useradd -u 10001 app\nUSER 10001\nCMD [\"/app/run\"]\n";

    /// <summary>A commit on another branch that already has the root Dockerfile (pull request B's base).</summary>
    private const string OtherBaseSha = "1111111111111111111111111111111111111111";

    /// <summary>The config that would switch the gate off, if it were read.</summary>
    private const string WeakeningConfig = "paths:\n  exclude: [\"**\"]\n";

    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public GateVerdictTests() => _app = new AppHost(_github);

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    private async Task<JsonNode> OpenAsync(JsonNode? payload = null)
    {
        var response = await _app.PostWebhookAsync("pull_request", payload ?? AppHost.Payload("pull_request.opened"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await _github.WaitForCompletedCheckAsync();
    }

    [Fact]
    public async Task The_check_on_a_head_two_pull_requests_share_is_the_worst_of_their_verdicts_and_names_both()
    {
        // The webhook's pull request (#2) is B: into a branch that has the root Dockerfile already, so its diff has none.
        // #7 is A: the same head into master's commit, where the Dockerfile is new.
        const int A = 7;
        _github.StubCompare(GitHubFake.BaseSha, GitHubFake.HeadSha, Scenario.File("README.md", "modified", "@@ -1 +1 @@\n-a\n+b"));
        _github.StubCompare(OtherBaseSha, GitHubFake.HeadSha, Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);
        _github.StubCommitPulls(
            GitHubFake.HeadSha,
            GitHubFake.PullRequestJson(GitHubFake.Number, GitHubFake.HeadSha, "release", GitHubFake.BaseSha),
            GitHubFake.PullRequestJson(A, GitHubFake.HeadSha, "main", OtherBaseSha),
            GitHubFake.PullRequestJson(9, GitHubFake.HeadSha, "main", OtherBaseSha, state: "closed"),
            GitHubFake.PullRequestJson(11, "2222222222222222222222222222222222222222", "main", OtherBaseSha));

        var check = await OpenAsync();

        Assert.Equal(GitHubFake.HeadSha, check["head_sha"]!.GetValue<string>());
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.StartsWith($"#{A}: ", check["output"]!["title"]!.GetValue<string>());
        var summary = check["output"]!["summary"]!.GetValue<string>();
        Assert.Contains($"- #{GitHubFake.Number} (this review): **success**", summary);
        Assert.Contains($"- #{A}: **failure**", summary);
        Assert.DoesNotContain("#9", summary); // closed
        Assert.DoesNotContain("#11", summary); // another head

        // #7 was judged at its own base: its comparison and its config, and nothing was posted on it.
        Assert.Single(_github.Requests("GET", $"{GitHubFake.RepoPath}/compare/{OtherBaseSha}...{GitHubFake.HeadSha}"));
        Assert.Contains(_github.Requests("GET", GitHubFake.RepoPath + "/contents/.github/reviewbot.yml"), r => r.RequestMessage.Query!["ref"].Single() == OtherBaseSha);
        Assert.DoesNotContain(_github.Server.LogEntries, e => e.RequestMessage.Path.Contains($"/pulls/{A}", StringComparison.Ordinal));
        Assert.Empty(_github.Reviews); // #2 itself has no Dockerfile to comment on
    }

    [Fact]
    public async Task More_pull_requests_at_one_head_than_are_judged_keep_the_check_from_passing()
    {
        _github.StubFiles(Scenario.File("README.md", "modified", "@@ -1 +1 @@\n-a\n+b"));
        var others = Enumerable.Range(100, PullRequestReviewer.MaxOtherPullRequests + 1).Select(n => GitHubFake.PullRequestJson(n, GitHubFake.HeadSha, "main", OtherBaseSha));
        _github.StubCommitPulls(GitHubFake.HeadSha, [GitHubFake.PullRequestJson(GitHubFake.Number, GitHubFake.HeadSha, GitHubFake.BaseRef, GitHubFake.BaseSha), .. others]);

        var check = await OpenAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("1 more that ReviewBot does not judge", check["output"]!["summary"]!.GetValue<string>());
        Assert.Equal(PullRequestReviewer.MaxOtherPullRequests, _github.Requests("GET", $"{GitHubFake.RepoPath}/compare/{OtherBaseSha}...{GitHubFake.HeadSha}").Count);
    }

    [Fact]
    public async Task A_head_already_on_the_default_branch_has_its_open_pull_requests_listed_instead()
    {
        // GitHub lists only the merged pull request of a commit on the default branch: the open ones are listed instead.
        _github.StubFiles(Scenario.File("README.md", "modified", "@@ -1 +1 @@\n-a\n+b"));
        _github.StubCompare(OtherBaseSha, GitHubFake.HeadSha, Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);
        _github.StubCommitPulls(GitHubFake.HeadSha, GitHubFake.PullRequestJson(1, GitHubFake.HeadSha, "main", OtherBaseSha, state: "closed"));
        _github.StubJson("GET", GitHubFake.RepoPath + "/pulls", new JsonArray(
            GitHubFake.PullRequestJson(GitHubFake.Number, GitHubFake.HeadSha, GitHubFake.BaseRef, GitHubFake.BaseSha),
            GitHubFake.PullRequestJson(5, GitHubFake.HeadSha, "old", OtherBaseSha)).ToJsonString());

        var check = await OpenAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("- #5: **failure**", check["output"]!["summary"]!.GetValue<string>());
        Assert.Equal("open", Assert.Single(_github.Requests("GET", GitHubFake.RepoPath + "/pulls")).RequestMessage.Query!["state"].Single());
    }

    [Theory]
    [InlineData("pull_request")]
    [InlineData("check_suite")]
    public async Task The_config_is_read_at_the_base_commit_never_by_the_branch_name(string eventName)
    {
        // A tag named like the base branch comes first when a name is resolved: its config must not be the one read.
        _github.StubContent(".github/reviewbot.yml", GitHubFake.BaseRef, WeakeningConfig);
        _github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);
        var payload = AppHost.Payload(eventName == "pull_request" ? "pull_request.opened" : "check_suite.requested");
        if (eventName == "check_suite")
        {
            payload["check_suite"]!["head_sha"] = GitHubFake.HeadSha;
            payload["check_suite"]!["pull_requests"] = new JsonArray(new JsonObject { ["number"] = GitHubFake.Number, ["head"] = new JsonObject { ["sha"] = GitHubFake.HeadSha } });
        }

        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync(eventName, payload)).StatusCode);
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        var config = Assert.Single(_github.Requests("GET", GitHubFake.RepoPath + "/contents/.github/reviewbot.yml"));
        Assert.Equal(GitHubFake.BaseSha, config.RequestMessage.Query!["ref"].Single());
    }

    [Fact]
    public async Task The_files_are_the_comparison_of_the_named_base_and_head_not_the_pull_requests_current_list()
    {
        // Meanwhile the pull request moved to another head whose list has no Dockerfile; the review is of the head it names.
        _github.StubJson("GET", GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}/files", "[]");
        _github.StubCompare(GitHubFake.BaseSha, GitHubFake.HeadSha, Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);

        var check = await OpenAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Empty(_github.Requests("GET", GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}/files"));
        var compare = Assert.Single(_github.Requests("GET", GitHubFake.ComparePath));
        Assert.Equal("1", compare.RequestMessage.Query!["per_page"].Single());
        var inline = Assert.Single(_github.Reviews)["comments"]!.AsArray();
        Assert.NotEmpty(inline); // placed on the comparison's own patch
    }
}
