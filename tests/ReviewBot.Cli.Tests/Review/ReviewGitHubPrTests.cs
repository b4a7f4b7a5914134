using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using ReviewBot.Cli.Tests.Commands;

using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.Cli.Tests.Review;

/// <summary><c>reviewbot review --github-pr</c> against WireMock.Net playing GitHub's API (our client, like GitHub Enterprise Server, puts the REST API under /api/v3/ on any host but github.com).</summary>
public sealed class ReviewGitHubPrTests : IDisposable
{
    private const string Token = "ghs_secret_token_value_1234";

    private readonly TempGitRepository _repo = new();
    private readonly GitHubFake _github = new();
    private readonly string _baseSha;
    private readonly string _headSha;
    private readonly string _eventPath;

    public ReviewGitHubPrTests()
    {
        _repo.Write("Dockerfile", ReviewCommandTests.BaseDockerfile);
        _baseSha = _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Write("Dockerfile", ReviewCommandTests.HeadDockerfile);
        _repo.Write("svc/Dockerfile", "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . /app\nRUN make\nCMD [\"/app/run\"]\n");
        _headSha = _repo.Commit("expose 80, add svc");
        // Actions checks out the merge commit, not the head: the range must come from the event's SHAs.
        _repo.Git("checkout", "-q", "main");

        var payload = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "pull_request.synchronize.json")))!;
        payload["pull_request"]!["head"]!["sha"] = _headSha;
        payload["pull_request"]!["base"]!["sha"] = _baseSha;
        _eventPath = Path.Combine(_repo.Root, ".git", "event.json");
        File.WriteAllText(_eventPath, payload.ToJsonString());
    }

    public void Dispose()
    {
        _github.Dispose();
        _repo.Dispose();
    }

    [Fact]
    public async Task Posts_one_review_on_the_head_with_line_side_and_start_line_and_completes_the_check_run()
    {
        var run = await RunAsync("--base", _baseSha, "--head", _headSha);

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var review = Json(Assert.Single(_github.Requests("POST", RepoPath + $"/pulls/{Number}/reviews")));
        Assert.Equal(_headSha, review["commit_id"]!.GetValue<string>());
        Assert.Equal("COMMENT", review["event"]!.GetValue<string>());
        var comments = review["comments"]!.AsArray().Select(c => c!).ToList();
        Assert.Equal(2, comments.Count);
        var single = comments.Single(c => c["path"]!.GetValue<string>() == "Dockerfile");
        Assert.Equal((8, 9), (single["start_line"]!.GetValue<int>(), single["line"]!.GetValue<int>()));
        Assert.Equal("RIGHT", single["side"]!.GetValue<string>());
        Assert.Contains("```suggestion\nEXPOSE 8080\nCMD [\"/app/run\", \"--port\", \"8080\"]\n```", single["body"]!.GetValue<string>(), StringComparison.Ordinal);
        var multi = comments.Single(c => c["path"]!.GetValue<string>() == "svc/Dockerfile");
        Assert.Equal((3, 4, "RIGHT", "RIGHT"), (multi["start_line"]!.GetValue<int>(), multi["line"]!.GetValue<int>(), multi["start_side"]!.GetValue<string>(), multi["side"]!.GetValue<string>()));

        var fileComment = Json(Assert.Single(_github.Requests("POST", RepoPath + $"/pulls/{Number}/comments")));
        Assert.Equal(("Dockerfile", "file", _headSha), (fileComment["path"]!.GetValue<string>(), fileComment["subject_type"]!.GetValue<string>(), fileComment["commit_id"]!.GetValue<string>()));

        // The check run is created once, already completed with its conclusion and annotations.
        var created = Json(Assert.Single(_github.Requests("POST", RepoPath + "/check-runs")));
        Assert.Equal(("ReviewBot / non-root", _headSha), (created["name"]!.GetValue<string>(), created["head_sha"]!.GetValue<string>()));
        Assert.Equal(("completed", "failure"), (created["status"]!.GetValue<string>(), created["conclusion"]!.GetValue<string>()));
        Assert.NotEmpty(created["output"]!["annotations"]!.AsArray());
        Assert.Empty(_github.Requests("PATCH", RepoPath + $"/check-runs/{CheckRunId}"));

        Assert.All(_github.Server.LogEntries, e => Assert.Equal($"Token {Token}", e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.DoesNotContain(Token, run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, run.Error, StringComparison.Ordinal);
        Assert.Contains("posted review 80", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_run_posts_no_duplicate_comments()
    {
        var first = await RunAsync();
        Assert.Equal(ExitCodes.Findings, first.ExitCode);

        // GitHub now lists what the first run posted: the review's inline comments and the file comment.
        var review = Json(Assert.Single(_github.Requests("POST", RepoPath + $"/pulls/{Number}/reviews")));
        var onThePr = review["comments"]!.AsArray().Select(c => c!["body"]!.GetValue<string>())
            .Concat(_github.Requests("POST", RepoPath + $"/pulls/{Number}/comments").Select(e => Json(e)["body"]!.GetValue<string>()))
            .Select((body, i) => new { id = 1000 + i, body, path = "Dockerfile", user = new { login = "github-actions[bot]", type = "Bot" } })
            .ToList();
        Assert.Equal(3, onThePr.Count);
        _github.Server.Given(Request.Create().WithPath(RepoPath + $"/pulls/{Number}/comments").UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(onThePr)));

        var second = await RunAsync();

        Assert.Equal(ExitCodes.Findings, second.ExitCode);
        Assert.Single(_github.Requests("POST", RepoPath + $"/pulls/{Number}/reviews"));
        Assert.Single(_github.Requests("POST", RepoPath + $"/pulls/{Number}/comments"));
        Assert.DoesNotContain(_github.Server.LogEntries, e => e.RequestMessage.Path.EndsWith("/replies", StringComparison.Ordinal));
        Assert.Contains("nothing new to post", second.Error, StringComparison.Ordinal);
        // The gate is still reported on every run.
        Assert.Equal(2, _github.Requests("POST", RepoPath + "/check-runs").Count);
        Assert.Equal("failure", Json(_github.Requests("POST", RepoPath + "/check-runs")[1])["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_person_pasting_our_fingerprint_does_not_silence_the_finding()
    {
        await RunAsync();
        var review = Json(Assert.Single(_github.Requests("POST", RepoPath + $"/pulls/{Number}/reviews")));
        var copied = review["comments"]!.AsArray().Select((c, i) => new { id = 1000 + i, body = c!["body"]!.GetValue<string>(), path = c["path"]!.GetValue<string>(), user = new { login = "mallory", type = "User" } }).ToList();
        _github.Server.Given(Request.Create().WithPath(RepoPath + $"/pulls/{Number}/comments").UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(copied)));

        await RunAsync();

        var reviews = _github.Requests("POST", RepoPath + $"/pulls/{Number}/reviews").Select(Json).ToList();
        Assert.Equal(2, reviews.Count);
        Assert.Equal(review["comments"]!.AsArray().Count, reviews[1]["comments"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_push_that_fixes_a_problem_answers_its_comment_fixed_and_posts_nothing_new()
    {
        await RunAsync();
        var review = Json(Assert.Single(_github.Requests("POST", RepoPath + $"/pulls/{Number}/reviews")));
        var bot = new { login = "github-actions[bot]", type = "Bot" };
        var onThePr = review["comments"]!.AsArray().Select((c, i) => new { id = 1000 + i, body = c!["body"]!.GetValue<string>(), path = c["path"]!.GetValue<string>(), user = bot })
            .Concat(_github.Requests("POST", RepoPath + $"/pulls/{Number}/comments").Select((e, i) => new { id = 2000 + i, body = Json(e)["body"]!.GetValue<string>(), path = "Dockerfile", user = bot }))
            .ToList();
        _github.Server.Given(Request.Create().WithPath(RepoPath + $"/pulls/{Number}/comments").UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(onThePr)));
        _github.Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher($"^{RepoPath}/pulls/{Number}/comments/\\d+/replies$")).UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"id":3000}"""));

        // The next push takes the suggestion for EXPOSE; RB001 stays.
        _repo.Git("checkout", "-q", "feature");
        _repo.Write("Dockerfile", ReviewCommandTests.HeadDockerfile.Replace("EXPOSE 80", "EXPOSE 8080", StringComparison.Ordinal).Replace("\"80\"]", "\"8080\"]", StringComparison.Ordinal));
        var fixedSha = _repo.Commit("take the EXPOSE suggestion");
        var payload = JsonNode.Parse(File.ReadAllText(_eventPath))!;
        payload["pull_request"]!["head"]!["sha"] = fixedSha;
        File.WriteAllText(_eventPath, payload.ToJsonString());

        var second = await RunAsync();

        Assert.Equal(ExitCodes.Findings, second.ExitCode);
        Assert.Single(_github.Requests("POST", RepoPath + $"/pulls/{Number}/reviews"));
        Assert.Single(_github.Requests("POST", RepoPath + $"/pulls/{Number}/comments"));
        var rb004 = onThePr.Single(c => c.body.Contains("RB004", StringComparison.Ordinal));
        var reply = Assert.Single(_github.Server.LogEntries, e => e.RequestMessage.Path.EndsWith("/replies", StringComparison.Ordinal));
        Assert.Equal(RepoPath + $"/pulls/{Number}/comments/{rb004.id}/replies", reply.RequestMessage.Path);
        Assert.Equal($"Fixed in {fixedSha}.", Json(reply)["body"]!.GetValue<string>());
        Assert.Equal(fixedSha, Json(_github.Requests("POST", RepoPath + "/check-runs")[1])["head_sha"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_checks_write_the_review_is_still_posted_and_the_exit_code_is_the_gate()
    {
        _github.Server.Given(Request.Create().WithPath(RepoPath + "/check-runs").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json")
                .WithBody("""{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/checks/runs#create-a-check-run"}"""));

        var run = await RunAsync();

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Single(_github.Requests("POST", RepoPath + $"/pulls/{Number}/reviews"));
        Assert.Empty(_github.Requests("PATCH", RepoPath + $"/check-runs/{CheckRunId}"));
        Assert.Contains("403", run.Error, StringComparison.Ordinal);
        Assert.Contains("checks: write", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_review_fails_the_check_with_a_generic_reason_and_exits_2_and_the_log_and_summary_still_show_the_review()
    {
        _github.Server.Given(Request.Create().WithPath(RepoPath + $"/pulls/{Number}/reviews").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Resource not accessible by integration"}"""));
        var summary = Path.Combine(_repo.Root, ".git", "step-summary.md");

        var run = await RunAsync(new Dictionary<string, string?> { ["GITHUB_STEP_SUMMARY"] = summary }, "--format", "markdown");

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        // A fork's read-only token refuses the post: its author still reads the review in the log and the job summary.
        Assert.Contains("## Check run `ReviewBot / non-root`: failure", run.Out, StringComparison.Ordinal);
        Assert.Contains("RB001", run.Out, StringComparison.Ordinal);
        Assert.Contains("## Check run `ReviewBot / non-root`: failure", File.ReadAllText(summary), StringComparison.Ordinal);
        Assert.Contains("the review was not posted: GitHub answered 403", run.Error, StringComparison.Ordinal);
        Assert.Contains("pull-requests: write", run.Error, StringComparison.Ordinal);
        var closed = Json(Assert.Single(_github.Requests("POST", RepoPath + "/check-runs")));
        Assert.Empty(_github.Requests("PATCH", RepoPath + $"/check-runs/{CheckRunId}"));
        Assert.Equal(("completed", "failure"), (closed["status"]!.GetValue<string>(), closed["conclusion"]!.GetValue<string>()));
        Assert.Equal("ReviewBot could not review this pull request", closed["output"]!["title"]!.GetValue<string>());
        Assert.DoesNotContain("Resource not accessible", closed["output"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Re-run this check", closed["output"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_actions_config_input_is_read_at_the_base_so_the_pull_request_cannot_weaken_its_own_gate()
    {
        // The Action checks out the pull request: its working tree holds whatever config the pull request wrote.
        Directory.CreateDirectory(Path.Combine(_repo.Root, ".github"));
        File.WriteAllText(Path.Combine(_repo.Root, ".github", "reviewbot.yml"), "rules:\n  disable: [RB001, RB002, RB003, RB004, RB005, RB006]\n");

        var run = await RunAsync("--config", Path.Combine(_repo.Root, ".github", "reviewbot.yml"));

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal("failure", Json(Assert.Single(_github.Requests("POST", RepoPath + "/check-runs")))["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_head_other_than_the_pull_requests_exits_2_without_calling_GitHub()
    {
        var run = await RunAsync("--head", _baseSha);

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.Contains("pull request #2's head is", run.Error, StringComparison.Ordinal);
        Assert.Empty(_github.Server.LogEntries);
    }

    [Theory]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("GITHUB_REPOSITORY")]
    [InlineData("GITHUB_EVENT_PATH")]
    public async Task Missing_environment_exits_2_and_names_what_is_missing(string missing)
    {
        var run = await RunAsync(new Dictionary<string, string?> { [missing] = null });

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.Contains($"{missing} is not set", run.Error, StringComparison.Ordinal);
        Assert.Empty(_github.Server.LogEntries);
    }

    [Fact]
    public async Task In_Actions_the_job_summary_gets_the_markdown_review_and_the_log_gets_it_inside_a_stop_commands_block()
    {
        var summary = Path.Combine(_repo.Root, ".git", "step-summary.md");
        File.WriteAllText(summary, "earlier step\n");

        var run = await RunAsync(new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary }, "--format", "markdown");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var lines = run.Out.Split('\n');
        Assert.StartsWith("::stop-commands::", lines[0], StringComparison.Ordinal);
        var token = lines[0]["::stop-commands::".Length..];
        Assert.Equal($"::{token}::", lines[^2]);
        var markdown = string.Join('\n', lines[1..^2]) + "\n";
        Assert.Contains("## Check run `ReviewBot / non-root`: failure", markdown, StringComparison.Ordinal);
        // Appended as it is, without the block's markers (reviewbot writes it; action.yml no longer pipes stdout there).
        Assert.Equal("earlier step\n" + markdown, File.ReadAllText(summary));
    }

    [Fact]
    public async Task An_event_without_a_pull_request_exits_2()
    {
        File.WriteAllText(_eventPath, """{"ref":"refs/heads/main","after":"abc"}""");

        var run = await RunAsync();

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.Contains("has no pull_request", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clean_pull_request_whose_head_another_shares_fails_with_the_others_verdict()
    {
        // This pull request only touches a README on top of the feature branch, so alone it passes; #7 has the same
        // head into main, whose comparison adds a root Dockerfile. The check (and the step) are the commit's: failure.
        _repo.Git("checkout", "-q", "feature");
        _repo.Write("README.md", "docs\n");
        string head = _repo.Commit("docs");
        _repo.Git("checkout", "-q", "main");
        var payload = JsonNode.Parse(File.ReadAllText(_eventPath))!;
        payload["pull_request"]!["head"]!["sha"] = head;
        payload["pull_request"]!["base"]!["sha"] = _headSha;
        File.WriteAllText(_eventPath, payload.ToJsonString());
        _github.StubCommitPulls(head, PullRequestJson(Number, head, "feature", _headSha), PullRequestJson(7, head, "main", _baseSha));
        _github.StubCompare(_baseSha, head, new { filename = "svc/Dockerfile", status = "added", patch = "@@ -0,0 +1,2 @@\n+FROM debian:bookworm-slim\n+CMD [\"/app/run\"]" });
        _github.StubContent("svc/Dockerfile", head, "FROM debian:bookworm-slim\nCMD [\"/app/run\"]\n");

        var run = await RunAsync();

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var created = Json(Assert.Single(_github.Requests("POST", RepoPath + "/check-runs")));
        Assert.Equal(("failure", head), (created["conclusion"]!.GetValue<string>(), created["head_sha"]!.GetValue<string>()));
        var summary = created["output"]!["summary"]!.GetValue<string>();
        Assert.Contains($"- #{Number} (this review): **success**", summary, StringComparison.Ordinal);
        Assert.Contains("- #7: **failure**", summary, StringComparison.Ordinal);
        Assert.Equal(_baseSha, Assert.Single(_github.Requests("GET", RepoPath + "/contents/.github/reviewbot.yml")).RequestMessage.Query!["ref"].Single());
    }

    private Task<CliRun> RunAsync(params string[] extra) => RunAsync(new Dictionary<string, string?>(), extra);

    private async Task<CliRun> RunAsync(Dictionary<string, string?> overrides, params string[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GITHUB_TOKEN"] = Token,
            ["GITHUB_REPOSITORY"] = Owner + "/" + Repo,
            ["GITHUB_EVENT_PATH"] = _eventPath,
            ["GITHUB_API_URL"] = _github.Url,
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, () => new MemoryStream(), _repo.Root, UseColor: false)
        {
            GetEnvironmentVariable = name => environment.GetValueOrDefault(name),
        };
        string[] format = extra.Contains("--format") ? [] : ["--format", "json"];
        int code = await CliApp.RunAsync(["review", "--github-pr", .. format, .. extra], console);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
