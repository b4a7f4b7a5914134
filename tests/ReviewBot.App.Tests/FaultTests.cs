using System.Net;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReviewBot.App.Tests;

/// <summary>GitHub failing in each way the issue names: retried, waited for, refreshed, or degraded, never lost.</summary>
public sealed class FaultTests : IDisposable
{
    private readonly GitHubFake github = new();
    private readonly AppHost app;

    public FaultTests()
    {
        app = new AppHost(github);
        github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        github.StubContent("Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);
    }

    public void Dispose()
    {
        app.Dispose();
        github.Dispose();
    }

    private string FilesPath => GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}/files";

    /// <summary>The first call to the files list answers <paramref name="first"/>; later ones fall through to the normal stub.</summary>
    private void FailFilesOnce(IResponseBuilder first) =>
        github.Server.Given(Request.Create().WithPath(FilesPath).UsingGet()).AtPriority(1)
            .InScenario("files").WillSetStateTo("failed once")
            .RespondWith(first);

    private async Task<System.Text.Json.Nodes.JsonNode> RunAsync()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
        return await github.WaitForCompletedCheckAsync();
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(500)]
    public async Task A_5xx_is_retried_and_the_review_is_delivered(int status)
    {
        FailFilesOnce(Response.Create().WithStatusCode(status).WithBody("{\"message\":\"Server Error\"}"));

        var check = await RunAsync();

        Assert.Equal(2, github.Requests("GET", FilesPath).Count);
        Assert.Single(github.Reviews);
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_timeout_is_retried()
    {
        FailFilesOnce(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(3)).WithBody("[]"));
        app.Dispose();
        using var shortTimeout = new AppHost(github, new Dictionary<string, string?> { ["GitHub:RequestTimeout"] = "00:00:01" });

        Assert.Equal(HttpStatusCode.Accepted, (await shortTimeout.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
        await github.WaitForCompletedCheckAsync();

        Assert.True(github.Requests("GET", FilesPath).Count >= 2);
        Assert.Single(github.Reviews);
    }

    [Fact]
    public async Task A_429_waits_for_retry_after()
    {
        FailFilesOnce(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("{\"message\":\"Too Many Requests\"}"));

        await RunAsync();

        var calls = github.Requests("GET", FilesPath);
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].RequestMessage.DateTime - calls[0].RequestMessage.DateTime >= TimeSpan.FromMilliseconds(950));
        Assert.Single(github.Reviews);
    }

    [Fact]
    public async Task A_403_secondary_rate_limit_waits_for_retry_after()
    {
        FailFilesOnce(Response.Create().WithStatusCode(403).WithHeader("Retry-After", "1").WithHeader("Content-Type", "application/json")
            .WithBody("{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\"}"));

        await RunAsync();

        var calls = github.Requests("GET", FilesPath);
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].RequestMessage.DateTime - calls[0].RequestMessage.DateTime >= TimeSpan.FromMilliseconds(950));
        Assert.Single(github.Reviews);
    }

    [Fact]
    public async Task A_401_refreshes_the_installation_token_once()
    {
        // The first token is refused; a second one is fetched and works.
        github.Server.Given(Request.Create().WithPath(FilesPath).UsingGet().WithHeader("Authorization", "Token ghs_token1")).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("{\"message\":\"Bad credentials\"}"));
        github.Server.Given(Request.Create().WithPath($"{GitHubFake.Api}/app/installations/{GitHubFake.InstallationId}/access_tokens").UsingPost()).AtPriority(1)
            .InScenario("token").WillSetStateTo("second")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody($"{{\"token\":\"ghs_token1\",\"expires_at\":\"{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}\"}}"));
        github.Server.Given(Request.Create().WithPath($"{GitHubFake.Api}/app/installations/{GitHubFake.InstallationId}/access_tokens").UsingPost()).AtPriority(1)
            .InScenario("token").WhenStateIs("second")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody($"{{\"token\":\"ghs_token2\",\"expires_at\":\"{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}\"}}"));

        await RunAsync();

        Assert.Equal(2, github.Requests("POST", $"{GitHubFake.Api}/app/installations/{GitHubFake.InstallationId}/access_tokens").Count);
        var files = github.Requests("GET", FilesPath);
        Assert.Equal(["Token ghs_token1", "Token ghs_token2"], files.Select(f => f.RequestMessage.Headers!["Authorization"].Single()));
        Assert.Single(github.Reviews);
    }

    [Fact]
    public async Task A_422_on_the_review_is_retried_without_the_inline_comments_which_move_to_a_file_comment()
    {
        var reviews = GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}/reviews";
        github.Server.Given(Request.Create().WithPath(reviews).UsingPost()).AtPriority(1)
            .InScenario("review").WillSetStateTo("refused")
            .RespondWith(Response.Create().WithStatusCode(422).WithHeader("Content-Type", "application/json")
                .WithBody("{\"message\":\"Unprocessable Entity\",\"errors\":[\"Line could not be resolved\"]}"));

        var check = await RunAsync();

        var sent = github.Reviews;
        Assert.Equal(2, sent.Count);
        Assert.NotEmpty(sent[0]["comments"]!.AsArray());
        Assert.Empty(sent[1]["comments"]!.AsArray());
        Assert.Contains("did not accept", sent[1]["body"]!.GetValue<string>());
        var moved = Assert.Single(github.FileComments);
        Assert.Equal("file", moved["subject_type"]!.GetValue<string>());
        foreach (var comment in sent[0]["comments"]!.AsArray())
        {
            var marker = comment!["body"]!.GetValue<string>().Split('\n')[^1];
            Assert.Contains(marker, moved["body"]!.GetValue<string>());
        }

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_run_that_keeps_failing_leaves_the_check_neutral_with_the_reason_never_in_progress()
    {
        github.Server.Given(Request.Create().WithPath(FilesPath).UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json").WithBody("{\"message\":\"Not Found\"}"));

        var check = await RunAsync();

        Assert.Equal("neutral", check["conclusion"]!.GetValue<string>());
        Assert.Contains("404", check["output"]!["summary"]!.GetValue<string>());
        Assert.Empty(github.Reviews);
    }
}
