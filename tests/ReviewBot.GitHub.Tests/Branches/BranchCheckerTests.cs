using System.Text.Json;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Branches;
using ReviewBot.GitHub.PullRequests;
using ReviewBot.GitHub.Tests.Api;
using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.GitHub.Tests.Branches;

/// <summary>The default branch's check speaks of a commit and its Dockerfiles, never of a pull request or a review.</summary>
public sealed class BranchCheckerTests : IDisposable
{
    private readonly GitHubFake _github = new();

    public BranchCheckerTests()
    {
        _github.StubJson("GET", RepoPath + "/contents/.github/reviewbot.yml", """{"message":"Not Found"}""", 404);
        _github.StubJson("POST", RepoPath + "/check-runs", """{"id":4}""", 201);
        _github.StubJson("PATCH", RepoPath + "/check-runs/4", """{"id":4}""");
    }

    public void Dispose() => _github.Dispose();

    [Fact]
    public async Task A_commit_without_Dockerfiles_is_said_to_have_none()
    {
        Tree([("README.md", "hi")]);

        await Check();

        var (title, summary) = PostedCheck();
        Assert.Equal("No Dockerfile", title);
        Assert.Contains("This commit has no Dockerfile", summary, StringComparison.Ordinal);
        NeverSpeaksOfAPullRequest(title + summary);
    }

    [Fact]
    public async Task Dockerfiles_over_the_cap_are_counted_per_commit()
    {
        Tree([.. Enumerable.Range(0, PullRequestReviewer.MaxDockerfiles + 1).Select(i => ($"s{i:00}/Dockerfile", "FROM alpine\nUSER 10001\n"))]);

        await Check();

        var (title, summary) = PostedCheck();
        Assert.Contains($"This commit has {PullRequestReviewer.MaxDockerfiles + 1} Dockerfiles; ReviewBot checks at most {PullRequestReviewer.MaxDockerfiles} per commit", summary, StringComparison.Ordinal);
        NeverSpeaksOfAPullRequest(title + summary);
    }

    [Fact]
    public async Task A_check_that_cannot_finish_fails_saying_it_could_not_check_this_commit()
    {
        _github.StubJson("GET", RepoPath + $"/git/trees/{HeadSha}", """{"message":"Not Found"}""", 404);

        await Assert.ThrowsAsync<GitHubApiException>(Check);

        var (title, summary) = PostedCheck();
        Assert.Equal(PullRequestReviewer.FailedCommitTitle, title);
        Assert.Contains("in this commit", summary, StringComparison.Ordinal);
        NeverSpeaksOfAPullRequest(title + summary);
    }

    private static void NeverSpeaksOfAPullRequest(string text)
    {
        Assert.DoesNotContain("pull request", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" review", text, StringComparison.Ordinal);
        Assert.DoesNotContain("base branch", text, StringComparison.Ordinal);
        Assert.DoesNotContain("changed", text, StringComparison.OrdinalIgnoreCase);
    }

    private Task Check() => new BranchChecker(new PullRequestReviewer()).CheckAsync(
        _github.Client(), new BranchTarget(Owner, Repo, "main", HeadSha), new ReviewSettings { BotLogin = _ => Task.FromResult("reviewbot[bot]") }, ReviewHooks.None, default);

    private void Tree(IReadOnlyList<(string Path, string Text)> files)
    {
        var tree = files.Select(f => new { path = f.Path, mode = "100644", type = "blob", size = f.Text.Length });
        _github.StubJson("GET", RepoPath + $"/git/trees/{HeadSha}", JsonSerializer.Serialize(new { sha = HeadSha, truncated = false, tree }));
        new GraphQLFiles(files.ToDictionary(f => f.Path, f => f.Text)).Register(_github);
    }

    private (string Title, string Summary) PostedCheck()
    {
        var output = GitHubFake.Json(Assert.Single(_github.Requests("POST", RepoPath + "/check-runs")))["output"]!;
        return (output["title"]!.GetValue<string>(), output["summary"]!.GetValue<string>());
    }
}
