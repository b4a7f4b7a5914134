using System.Text.Json;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.PullRequests;
using ReviewBot.GitHub.Tests.Api;
using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.GitHub.Tests.PullRequests;

/// <summary>Issue 11 item 6: reading a big pull request costs a fixed number of calls, not one per Dockerfile.</summary>
public sealed class CallCountTests : IDisposable
{
    /// <summary>
    /// Issue 11: a pull request that touches 50 Dockerfiles costs a fixed number of calls before posting (it cost 52);
    /// issue 22's <c>check.fail_on: new</c> (the default) adds the base versions' two GraphQL calls.
    /// </summary>
    private const int MaxCallsBeforePosting = 8;

    private readonly GitHubFake _github = new();

    public void Dispose() => _github.Dispose();

    [Fact]
    public async Task A_base_image_bump_across_50_Dockerfiles_costs_at_most_8_calls_before_posting()
    {
        var dockerfiles = Enumerable.Range(0, PullRequestReviewer.MaxDockerfiles).ToDictionary(i => $"services/s{i}/Dockerfile", i => "FROM node:22\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n");
        var listed = dockerfiles.Select(f => new { filename = f.Key, status = "modified", patch = "@@ -1,4 +1,4 @@\n-FROM node:20\n+FROM node:22\n WORKDIR /app\n COPY . .\n CMD [\"node\", \"server.js\"]" })
            .Concat(Enumerable.Range(0, 30).Select(i => new { filename = $"services/s{i}/package.json", status = "modified", patch = "@@ -1 +1 @@\n-{}\n+{ }" }));
        _github.StubJson("GET", RepoPath + "/contents/.github/reviewbot.yml", """{"message":"Not Found"}""", 404);
        _github.StubFiles([.. listed]);
        new GraphQLFiles(dockerfiles).Register(_github);
        _github.StubJson("POST", RepoPath + "/pulls/2/reviews", """{"id":80}""");
        _github.StubJson("POST", RepoPath + "/check-runs", """{"id":4}""", 201);
        _github.StubJson("PATCH", RepoPath + "/check-runs/4", """{"id":4}""");
        var client = _github.Client();
        var target = new PullRequestTarget(Owner, Repo, Number, HeadSha, "main", BaseSha, false);
        var settings = new ReviewSettings { NewPullRequest = true, BotLogin = _ => Task.FromResult("reviewbot[bot]") };

        var outcome = await new PullRequestReviewer().ReviewAsync(client, target, new GitHubPullRequestSource(client, target), ReviewHooks.None, settings, default);

        Assert.Equal(PullRequestReviewer.MaxDockerfiles, outcome.Input!.Files.Count);
        Assert.True(outcome.Input.Complete);
        var requests = _github.Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Path}").ToList();
        int beforePosting = requests.FindIndex(r => r.StartsWith("POST", StringComparison.Ordinal) && !r.EndsWith(GraphQLFiles.Path, StringComparison.Ordinal));
        Assert.True(beforePosting <= MaxCallsBeforePosting, string.Join("\n", requests));

        // Measured, for the report: config, the organisation's config (.github repository), the files' one page, the
        // head's tree (links and build files), two GraphQL calls for the head's texts and two for the base's.
        Assert.Equal(8, beforePosting);
    }
}
