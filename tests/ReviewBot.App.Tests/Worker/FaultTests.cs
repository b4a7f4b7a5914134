using System.Net;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReviewBot.App.Tests.Worker;

/// <summary>GitHub failing in each way the issue names: retried, waited for, refreshed, or degraded, never lost.</summary>
public sealed class FaultTests : IDisposable
{
    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public FaultTests()
    {
        _app = new AppHost(_github);
        _github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);
    }

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    private string FilesPath => GitHubFake.ComparePath;

    /// <summary>The first call to the files list answers <paramref name="first"/>; later ones fall through to the normal stub.</summary>
    private void FailFilesOnce(IResponseBuilder first) =>
        _github.Server.Given(Request.Create().WithPath(FilesPath).UsingGet()).AtPriority(1)
            .InScenario("files").WillSetStateTo("failed once")
            .RespondWith(first);

    private async Task<System.Text.Json.Nodes.JsonNode> RunAsync()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
        return await _github.WaitForCompletedCheckAsync();
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(500)]
    public async Task A_5xx_is_retried_and_the_review_is_delivered(int status)
    {
        FailFilesOnce(Response.Create().WithStatusCode(status).WithBody("{\"message\":\"Server Error\"}"));

        var check = await RunAsync();

        Assert.Equal(2, _github.Requests("GET", FilesPath).Count);
        Assert.Single(_github.Reviews);
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_timeout_is_retried()
    {
        FailFilesOnce(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(3)).WithBody("{\"files\":[]}"));
        _app.Dispose();
        using var shortTimeout = new AppHost(_github, new Dictionary<string, string?> { ["GitHub:RequestTimeout"] = "00:00:01" });

        Assert.Equal(HttpStatusCode.Accepted, (await shortTimeout.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
        await _github.WaitForCompletedCheckAsync();

        Assert.True(_github.Requests("GET", FilesPath).Count >= 2);
        Assert.Single(_github.Reviews);
    }

    [Fact]
    public async Task A_429_waits_for_retry_after()
    {
        FailFilesOnce(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("{\"message\":\"Too Many Requests\"}"));

        await RunAsync();

        var calls = _github.Requests("GET", FilesPath);
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].RequestMessage.DateTime - calls[0].RequestMessage.DateTime >= TimeSpan.FromMilliseconds(950));
        Assert.Single(_github.Reviews);
    }

    [Fact]
    public async Task A_403_secondary_rate_limit_waits_for_retry_after()
    {
        FailFilesOnce(Response.Create().WithStatusCode(403).WithHeader("Retry-After", "1").WithHeader("Content-Type", "application/json")
            .WithBody("{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\"}"));

        await RunAsync();

        var calls = _github.Requests("GET", FilesPath);
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].RequestMessage.DateTime - calls[0].RequestMessage.DateTime >= TimeSpan.FromMilliseconds(950));
        Assert.Single(_github.Reviews);
    }

    [Fact]
    public async Task A_401_refreshes_the_installation_token_once()
    {
        // The first token is refused; a second one is fetched and works.
        _github.Server.Given(Request.Create().WithPath(FilesPath).UsingGet().WithHeader("Authorization", "Token ghs_token1")).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("{\"message\":\"Bad credentials\"}"));
        // The organisation config's token is another scope's, answered apart, so the scenario is the review token's alone.
        _github.Server.Given(Request.Create().WithPath($"{GitHubFake.Api}/app/installations/{GitHubFake.InstallationId}/access_tokens").UsingPost().WithBody(new WireMock.Matchers.WildcardMatcher("*.github*"))).AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody($"{{\"token\":\"ghs_org\",\"expires_at\":\"{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}\"}}"));
        _github.Server.Given(Request.Create().WithPath($"{GitHubFake.Api}/app/installations/{GitHubFake.InstallationId}/access_tokens").UsingPost()).AtPriority(1)
            .InScenario("token").WillSetStateTo("second")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody($"{{\"token\":\"ghs_token1\",\"expires_at\":\"{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}\"}}"));
        _github.Server.Given(Request.Create().WithPath($"{GitHubFake.Api}/app/installations/{GitHubFake.InstallationId}/access_tokens").UsingPost()).AtPriority(1)
            .InScenario("token").WhenStateIs("second")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody($"{{\"token\":\"ghs_token2\",\"expires_at\":\"{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}\"}}"));

        await RunAsync();

        // The review's token twice (the refused one, then its replacement); the organisation config's token is another scope's.
        Assert.Equal(2, _github.Requests("POST", $"{GitHubFake.Api}/app/installations/{GitHubFake.InstallationId}/access_tokens").Count(t => t.RequestMessage.Body!.Contains("\"pull_requests\":\"write\"", StringComparison.Ordinal)));
        var files = _github.Requests("GET", FilesPath);
        Assert.Equal(["Token ghs_token1", "Token ghs_token2"], files.Select(f => f.RequestMessage.Headers!["Authorization"].Single()));
        Assert.Single(_github.Reviews);
    }

    [Fact]
    public async Task A_422_on_the_review_is_retried_without_the_inline_comments_which_move_to_a_file_comment()
    {
        var reviews = GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}/reviews";
        _github.Server.Given(Request.Create().WithPath(reviews).UsingPost()).AtPriority(1)
            .InScenario("review").WillSetStateTo("refused")
            .RespondWith(Response.Create().WithStatusCode(422).WithHeader("Content-Type", "application/json")
                .WithBody("{\"message\":\"Unprocessable Entity\",\"errors\":[\"Line could not be resolved\"]}"));

        var check = await RunAsync();

        var sent = _github.Reviews;
        Assert.Equal(2, sent.Count);
        Assert.NotEmpty(sent[0]["comments"]!.AsArray());
        Assert.Empty(sent[1]["comments"]!.AsArray());
        Assert.Contains("did not accept", sent[1]["body"]!.GetValue<string>());
        var moved = Assert.Single(_github.FileComments);
        Assert.Equal("file", moved["subject_type"]!.GetValue<string>());
        foreach (var comment in sent[0]["comments"]!.AsArray())
        {
            var marker = comment!["body"]!.GetValue<string>().Split('\n')[^1];
            Assert.Contains(marker, moved["body"]!.GetValue<string>());
        }

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_422_on_a_review_of_thirty_long_comments_moves_them_into_file_comments_each_within_githubs_limit_with_our_markers_last()
    {
        // 32 COPYs of long source lists in a non-root image: 30 inline comments (the most a review carries) of
        // ~2,500 characters each, 75,000 in all, more than one comment body may hold.
        var sources = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"src/very/long/path/number_{i:D4}/file.txt"));
        var dockerfile = "FROM debian:bookworm-slim\nRUN useradd --uid 10001 app\nUSER app\n"
            + string.Concat(Enumerable.Range(0, 32).Select(i => $"COPY {sources} /app/d{i}/\n")) + "CMD [\"/app/run\"]\n";
        _github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(dockerfile)));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, dockerfile);
        _github.Server.Given(Request.Create().WithPath(GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}/reviews").UsingPost()).AtPriority(1)
            .InScenario("review").WillSetStateTo("refused")
            .RespondWith(Response.Create().WithStatusCode(422).WithHeader("Content-Type", "application/json")
                .WithBody("{\"message\":\"Unprocessable Entity\",\"errors\":[\"Line could not be resolved\"]}"));

        await RunAsync();

        var refused = _github.Reviews[0]["comments"]!.AsArray();
        Assert.True(refused.Sum(c => c!["body"]!.GetValue<string>().Length) > GitHubLimit, "the test needs more text than one comment holds");
        Assert.NotEmpty(_github.FileComments);
        foreach (var comment in _github.FileComments)
        {
            var body = comment["body"]!.GetValue<string>();
            Assert.True(body.Length <= GitHubLimit, $"a fallback comment of {body.Length} characters");
            var (_, fingerprints) = ReviewBot.GitHub.Review.Fingerprint.Split(body);
            Assert.NotEmpty(fingerprints);
            Assert.EndsWith(ReviewBot.GitHub.Review.Fingerprint.Marker(fingerprints[^1]) + "\n", body);
        }

        // What did not fit is said, not dropped silently.
        Assert.Contains(_github.FileComments, c => c["body"]!.GetValue<string>().Contains("more (a comment holds at most", StringComparison.Ordinal));
    }

    /// <summary>GitHub's limit on a review comment's body.</summary>
    private const int GitHubLimit = 65_536;

    private const string CleanDockerfile = "FROM debian:bookworm-slim\nRUN useradd --uid 10001 app\nUSER 10001\nCMD [\"/app/run\"]\n";

    /// <summary>The failed check says what happened in plain words and never carries exception or response text.</summary>
    private static void AssertFailedClosed(System.Text.Json.Nodes.JsonNode check, string conclusion = "failure")
    {
        Assert.Equal(conclusion, check["conclusion"]!.GetValue<string>());
        Assert.Equal("ReviewBot could not review this pull request", check["output"]!["title"]!.GetValue<string>());
        var summary = check["output"]!["summary"]!.GetValue<string>();
        Assert.DoesNotContain("Exception", summary);
        Assert.DoesNotContain("Server Error", summary);
        Assert.DoesNotContain("message", summary);
        Assert.Contains("logs", summary);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(500)]
    public async Task A_run_that_keeps_failing_ends_its_check_failure_with_a_generic_reason_never_neutral(int status)
    {
        _github.Server.Given(Request.Create().WithPath(FilesPath).UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody("{\"message\":\"Server Error: secret detail\"}"));

        var check = await RunAsync();

        AssertFailedClosed(check);
        Assert.DoesNotContain("secret detail", check["output"]!["summary"]!.GetValue<string>());
        Assert.Empty(_github.Reviews);
    }

    [Fact]
    public async Task Check_on_error_neutral_on_the_base_branch_is_the_only_way_to_a_neutral_failed_check()
    {
        _github.StubContent(".github/reviewbot.yml", GitHubFake.BaseSha, "check:\n  on_error: neutral\n");
        _github.Server.Given(Request.Create().WithPath(FilesPath).UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("{\"message\":\"Server Error\"}"));

        AssertFailedClosed(await RunAsync(), "neutral");
    }

    [Fact]
    public async Task A_review_body_github_keeps_refusing_fails_the_check()
    {
        _github.Server.Given(Request.Create().WithPath(GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}/reviews").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(422).WithHeader("Content-Type", "application/json").WithBody("{\"message\":\"Body is too long\"}"));

        AssertFailedClosed(await RunAsync());
    }

    [Fact]
    public async Task A_review_over_its_time_budget_fails_closed()
    {
        _app.Dispose();
        _github.Server.Given(Request.Create().WithPath(FilesPath).UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(5)).WithHeader("Content-Type", "application/json").WithBody("{\"files\":[]}"));
        using var budgeted = new AppHost(_github, new Dictionary<string, string?> { ["Worker:ReviewTimeBudget"] = "00:00:01", ["Worker:MaxAttempts"] = "1" });

        Assert.Equal(HttpStatusCode.Accepted, (await budgeted.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
        var check = await _github.WaitForCompletedCheckAsync();

        AssertFailedClosed(check);
        Assert.Contains("took longer", check["output"]!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rate_limit_held_past_the_budget_fails_closed()
    {
        _github.Server.Given(Request.Create().WithPath(FilesPath).UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "3600").WithBody("{\"message\":\"Too Many Requests\"}"));

        var check = await RunAsync();

        AssertFailedClosed(check);
        Assert.Contains("rate limit", check["output"]!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retry_that_succeeds_replaces_the_failed_check_on_the_same_head()
    {
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, CleanDockerfile);
        _github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(CleanDockerfile)));
        FailFilesOnce(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json").WithBody("{\"message\":\"Not Found\"}"));

        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
        var failed = await _github.WaitForCompletedCheckAsync(1);
        var passed = await _github.WaitForCompletedCheckAsync(2);

        AssertFailedClosed(failed);
        Assert.Contains("tries again by itself", failed["output"]!["summary"]!.GetValue<string>());
        Assert.Equal("success", passed["conclusion"]!.GetValue<string>());
        Assert.All(_github.Requests("POST", GitHubFake.RepoPath + "/check-runs").Select(_github.Json), c => Assert.Equal(GitHubFake.HeadSha, c["head_sha"]!.GetValue<string>()));
    }
    [Fact]
    public async Task The_re_run_button_on_a_failed_check_reviews_again_and_the_new_check_replaces_it()
    {
        _app.Dispose();
        using var once = new AppHost(_github, new Dictionary<string, string?> { ["Worker:MaxAttempts"] = "1" });
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, CleanDockerfile);
        _github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(CleanDockerfile)));
        FailFilesOnce(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json").WithBody("{\"message\":\"Not Found\"}"));
        Assert.Equal(HttpStatusCode.Accepted, (await once.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
        AssertFailedClosed(await _github.WaitForCompletedCheckAsync(1));
        Assert.Contains("Re-run this check", _github.CheckUpdates[0]["output"]!["summary"]!.GetValue<string>());

        // GitHub's real check_run payload for our pull request, as the re-run of our check sends it.
        var rerun = AppHost.Payload("check_run.completed");
        rerun["action"] = "rerequested";
        rerun["check_run"]!["name"] = "ReviewBot / non-root";
        rerun["installation"] = new System.Text.Json.Nodes.JsonObject { ["id"] = GitHubFake.InstallationId };
        Assert.Equal(HttpStatusCode.Accepted, (await once.PostWebhookAsync("check_run", rerun)).StatusCode);

        Assert.Equal("success", (await _github.WaitForCompletedCheckAsync(2))["conclusion"]!.GetValue<string>());
    }
}
