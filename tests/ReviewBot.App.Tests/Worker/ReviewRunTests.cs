using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.GitHub;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.PullRequests;

namespace ReviewBot.App.Tests.Worker;

/// <summary>The worker's run against a fake GitHub, asserting the exact requests.</summary>
public sealed class ReviewRunTests : IDisposable
{
    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public ReviewRunTests() => _app = new AppHost(_github);

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    private async Task<JsonNode> OpenAsync(string text, string? patch = null, string path = "Dockerfile", JsonNode? payload = null)
    {
        _github.StubFiles(Scenario.File(path, "added", patch ?? Scenario.AddedPatch(text)));
        _github.StubContent(path, GitHubFake.HeadSha, text);
        var response = await _app.PostWebhookAsync("pull_request", payload ?? AppHost.Payload("pull_request.opened"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await _github.WaitForCompletedCheckAsync();
    }

    [Fact]
    public async Task An_opened_pull_request_gets_one_review_whose_suggestion_is_the_engine_fix_and_a_failing_check()
    {
        var check = await OpenAsync(Scenario.RootDockerfile);

        // 1. The App JWT: RS256 signed with the App's key, iat 60 s back, exp within 10 minutes, iss = App ID. Two
        // tokens, each no wider than its work: the review's for the payload's repository (by id) with a review's
        // permissions, and one to read the organisation's .github config.
        var tokenCalls = _github.Requests("POST", $"{GitHubFake.Api}/app/installations/{GitHubFake.InstallationId}/access_tokens");
        long repositoryId = AppHost.Payload("pull_request.opened")["repository"]!["id"]!.GetValue<long>();
        Assert.Equal(
            [
                """{"repositories":[".github"],"permissions":{"contents":"read","metadata":"read"}}""",
                $$$"""{"repository_ids":[{{{repositoryId}}}],"permissions":{"contents":"read","pull_requests":"write","checks":"write","metadata":"read"}}""",
            ],
            tokenCalls.Select(c => JsonNode.Parse(c.RequestMessage.Body!)!.ToJsonString()).Order(StringComparer.Ordinal));
        var tokenCall = tokenCalls[0];
        var jwt = tokenCall.RequestMessage.Headers!["Authorization"].Single();
        Assert.StartsWith("Bearer ", jwt);
        var parts = jwt["Bearer ".Length..].Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(_app.Key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var header = JsonNode.Parse(FromBase64Url(parts[0]))!;
        var claims = JsonNode.Parse(FromBase64Url(parts[1]))!;
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        Assert.Equal(AppHost.AppId, claims["iss"]!.GetValue<string>());
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), iat = claims["iat"]!.GetValue<long>(), exp = claims["exp"]!.GetValue<long>();
        Assert.InRange(now - iat, 55, 90);
        Assert.InRange(exp - iat, 60, 600);

        // 2. Every installation call carries the installation token, never the JWT.
        var filesCall = Assert.Single(_github.Requests("GET", GitHubFake.ComparePath));
        Assert.Equal("Token ghs_token1", filesCall.RequestMessage.Headers!["Authorization"].Single());

        // 3. Content at the head SHA from the base repository (GraphQL, with the installation token); the config at the base commit.
        Assert.Equal([$"{GitHubFake.HeadSha}:Dockerfile"], _github.GraphQLTextReads);
        Assert.All(_github.Requests("POST", GitHubFake.GraphQLPath), q =>
        {
            Assert.Equal("Token ghs_token1", q.RequestMessage.Headers!["Authorization"].Single());
            Assert.Equal(GitHubFake.Owner, _github.Json(q)["variables"]!["owner"]!.GetValue<string>());
            Assert.Equal(GitHubFake.Repo, _github.Json(q)["variables"]!["name"]!.GetValue<string>());
        });
        var config = Assert.Single(_github.Requests("GET", GitHubFake.RepoPath + "/contents/.github/reviewbot.yml"));
        Assert.Equal(GitHubFake.BaseSha, config.RequestMessage.Query!["ref"].Single());

        // 4. One review on the head commit with line/side records inside the hunk.
        var review = Assert.Single(_github.Reviews);
        Assert.Equal(GitHubFake.HeadSha, review["commit_id"]!.GetValue<string>());
        Assert.Equal("COMMENT", review["event"]!.GetValue<string>());
        var comments = review["comments"]!.AsArray();
        Assert.NotEmpty(comments);
        Assert.All(comments, c =>
        {
            Assert.Equal("Dockerfile", c!["path"]!.GetValue<string>());
            Assert.Equal("RIGHT", c["side"]!.GetValue<string>());
            Assert.InRange(c["line"]!.GetValue<int>(), 1, 3);
            Assert.Null(c["position"]);
            if (c["start_line"] is { } start)
            {
                Assert.True(start.GetValue<int>() < c["line"]!.GetValue<int>());
                Assert.Equal("RIGHT", c["start_side"]!.GetValue<string>());
            }
        });

        // 5. The RB001 suggestion, applied, gives exactly the engine's fix.
        var engine = DockerfileAnalyzer.Analyze(Scenario.RootDockerfile);
        var rb001 = Assert.Single(engine.Findings, f => f.RuleId == "RB001");
        var expected = FixApplier.Apply(Scenario.RootDockerfile, rb001.Fix!.Edits);
        Assert.Contains("useradd", expected);
        Assert.Contains("\nUSER ", expected);
        Assert.Contains("--chown=", expected);
        var suggestion = Assert.Single(comments, c => c!["body"]!.GetValue<string>().Contains("RB001", StringComparison.Ordinal))!;
        Assert.Equal(expected, Scenario.ApplySuggestion(Scenario.RootDockerfile, suggestion));

        // 6. The check: created once on the head, already completed as failure with annotations.
        var created = _github.Json(Assert.Single(_github.Requests("POST", GitHubFake.RepoPath + "/check-runs")));
        Assert.Equal("ReviewBot / non-root", created["name"]!.GetValue<string>());
        Assert.Equal(GitHubFake.HeadSha, created["head_sha"]!.GetValue<string>());
        Assert.Equal("completed", created["status"]!.GetValue<string>());
        Assert.Equal(created, check, JsonNode.DeepEquals);
        Assert.Empty(_github.Requests("PATCH", GitHubFake.RepoPath + $"/check-runs/{GitHubFake.CheckRunId}"));
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        var annotations = check["output"]!["annotations"]!.AsArray();
        Assert.Contains(annotations, a => a!["annotation_level"]!.GetValue<string>() == "failure" && a["path"]!.GetValue<string>() == "Dockerfile");
    }

    [Fact]
    public async Task A_pull_request_without_dockerfiles_gets_a_success_check_and_no_review()
    {
        _github.StubFiles(Scenario.File("README.md", "modified", "@@ -1 +1 @@\n-a\n+b"), Scenario.File("Dockerfile", "removed", null));

        await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal("success", check["conclusion"]!.GetValue<string>());
        Assert.Equal("No Dockerfile changed", check["output"]!["title"]!.GetValue<string>());
        Assert.Empty(_github.Reviews);
        Assert.Empty(_github.Requests("POST", GitHubFake.GraphQLPath));
    }

    [Fact]
    public async Task A_draft_is_reviewed_by_default_and_skipped_when_the_base_config_says_so()
    {
        var draft = AppHost.Payload("pull_request.opened");
        draft["pull_request"]!["draft"] = true;
        _github.StubPullRequest(GitHubFake.HeadSha, draft: true);

        await OpenAsync(Scenario.RootDockerfile, payload: draft);
        Assert.Single(_github.Reviews);

        _github.Server.ResetLogEntries();
        _github.StubContent(".github/reviewbot.yml", GitHubFake.BaseSha, "review:\n  drafts: false\n");
        var again = AppHost.Payload("pull_request.synchronize");
        again["pull_request"]!["draft"] = true;
        again["pull_request"]!["head"]!["sha"] = "0123456789abcdef0123456789abcdef01234567"; // a push brings a new head
        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("pull_request", again)).StatusCode);
        await WaitForAsync(() => _github.Requests("GET", GitHubFake.RepoPath + "/contents/.github/reviewbot.yml").Count > 0);
        await Task.Delay(500);

        Assert.Empty(_github.Reviews);
        Assert.Empty(_github.Requests("POST", GitHubFake.RepoPath + "/check-runs"));
    }

    [Fact]
    public async Task A_fork_pull_request_is_read_from_the_base_repository_at_the_head_sha()
    {
        var fork = AppHost.Payload("pull_request.opened");
        fork["pull_request"]!["head"]!["repo"]!["full_name"] = "someone/Hello-World";
        fork["pull_request"]!["head"]!["repo"]!["name"] = "Hello-World";
        _github.StubPullRequest(GitHubFake.HeadSha, draft: false, headRepo: "someone/Hello-World");

        await OpenAsync(Scenario.RootDockerfile, payload: fork);

        Assert.Equal([$"{GitHubFake.HeadSha}:Dockerfile"], _github.GraphQLTextReads);
        Assert.All(_github.Requests("POST", GitHubFake.GraphQLPath), q => Assert.Equal(GitHubFake.Owner, _github.Json(q)["variables"]!["owner"]!.GetValue<string>()));
        Assert.DoesNotContain(_github.Server.LogEntries, e => e.RequestMessage.Path.Contains("/repos/someone/", StringComparison.Ordinal));
        Assert.Single(_github.Reviews);
    }

    [Fact]
    public async Task A_fix_outside_the_diff_goes_into_a_file_comment_with_the_diff_and_into_the_check()
    {
        // The PR only changed CMD; the fix must touch the COPY line and the line after FROM, outside the hunk.
        var patch = "@@ -3 +3 @@\n-CMD [\"/app/old\"]\n+CMD [\"/app/run\"]";

        var check = await OpenAsync(Scenario.RootDockerfile, patch);

        var file = Assert.Single(_github.FileComments, c => c["body"]!.GetValue<string>().Contains("RB001", StringComparison.Ordinal));
        Assert.Equal("file", file["subject_type"]!.GetValue<string>());
        Assert.Equal("Dockerfile", file["path"]!.GetValue<string>());
        Assert.Equal(GitHubFake.HeadSha, file["commit_id"]!.GetValue<string>());
        Assert.Contains("```diff\n--- a/Dockerfile\n+++ b/Dockerfile\n", file["body"]!.GetValue<string>());
        Assert.Contains("+USER ", file["body"]!.GetValue<string>());
        var inline = _github.Reviews.SelectMany(r => r["comments"]!.AsArray()).ToList();
        Assert.All(inline, c => Assert.Equal(3, c!["line"]!.GetValue<int>()));
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task More_than_30_comments_keeps_30_inline_and_summarizes_the_rest()
    {
        var text = "FROM debian:bookworm-slim\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"RUN sudo touch /step{i}\n")) + "CMD [\"/app/run\"]\n";

        await OpenAsync(text);

        var review = Assert.Single(_github.Reviews);
        Assert.Equal(30, review["comments"]!.AsArray().Count);
        Assert.Contains("at most 30 inline comments", review["body"]!.GetValue<string>());
        Assert.Contains("| `Dockerfile` |", review["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task More_than_50_annotations_are_sent_in_batches_of_50()
    {
        var text = "FROM debian:bookworm-slim\n" + string.Concat(Enumerable.Range(1, 60).Select(i => $"RUN sudo touch /step{i}\n")) + "CMD [\"/app/run\"]\n";
        int expected = DockerfileAnalyzer.Analyze(text).Findings.Length + DockerfileAnalyzer.Analyze(text).Diagnostics.Length;
        Assert.True(expected > 50);

        var last = await OpenAsync(text);

        var updates = _github.CheckUpdates;
        Assert.All(updates, u => Assert.InRange(u["output"]!["annotations"]!.AsArray().Count, 0, 50));
        Assert.Equal(expected, updates.Sum(u => u["output"]!["annotations"]!.AsArray().Count));
        // Created in progress with the first 50, then appended to; only the last update completes it.
        Assert.Equal((expected + 49) / 50, updates.Count);
        Assert.Equal("in_progress", updates[0]["status"]!.GetValue<string>());
        Assert.Null(updates[0]["conclusion"]);
        Assert.Equal(50, updates[0]["output"]!["annotations"]!.AsArray().Count);
        Assert.Equal("completed", updates[^1]["status"]!.GetValue<string>());
        Assert.All(updates.Skip(1).SkipLast(1), u => Assert.Null(u["status"]));
        Assert.Equal(last, updates[^1], JsonNode.DeepEquals);
    }

    [Fact]
    public async Task A_second_push_with_the_same_problem_posts_nothing_new_and_a_fixed_problem_is_answered()
    {
        await OpenAsync(Scenario.RootDockerfile);
        var first = Assert.Single(_github.Reviews);
        var posted = first["comments"]!.AsArray().Select((c, i) => new
        {
            id = 1000 + i,
            body = c!["body"]!.GetValue<string>(),
            path = c["path"]!.GetValue<string>(),
            line = c["line"]!.GetValue<int>(),
            user = new { login = GitHubFake.BotLogin, type = "Bot" },
        }).ToList();
        _github.StubJson("GET", GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}/comments", System.Text.Json.JsonSerializer.Serialize(posted), priority: _github.NextPriority());

        // Same problem, new head: the comments are on the PR already.
        const string Second = "eeeeeee57ca3a959ca5aad62de7213c562f8c822";
        _github.StubPullRequest(Second, draft: false);
        _github.StubContent("Dockerfile", Second, Scenario.RootDockerfile);
        _github.StubCompare(GitHubFake.BaseSha, Second, Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        var push = AppHost.Payload("pull_request.synchronize");
        push["pull_request"]!["head"]!["sha"] = Second;
        await _app.PostWebhookAsync("pull_request", push);
        await _github.WaitForCompletedCheckAsync(2);
        Assert.Single(_github.Reviews);

        // Fixed: the engine's own fix applied; every earlier comment gets one "Fixed in" reply.
        const string Third = "fffffff57ca3a959ca5aad62de7213c562f8c823";
        var fixedText = FixApplier.Apply(Scenario.RootDockerfile, FixApplier.Combine(DockerfileAnalyzer.Analyze(Scenario.RootDockerfile).Findings.Where(f => f.Fix is not null).Select(f => f.Fix!)));
        _github.StubPullRequest(Third, draft: false);
        _github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(fixedText)));
        _github.StubContent("Dockerfile", Third, fixedText);
        push["pull_request"]!["head"]!["sha"] = Third;
        await _app.PostWebhookAsync("pull_request", push);
        var check = await _github.WaitForCompletedCheckAsync(3);

        var replies = _github.Server.LogEntries.Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path.EndsWith("/replies", StringComparison.Ordinal)).ToList();
        Assert.Equal(posted.Count, replies.Count);
        Assert.All(replies, r => Assert.Equal($"Fixed in {Third}.", _github.Json(r)["body"]!.GetValue<string>()));
        Assert.Equal("success", check["conclusion"]!.GetValue<string>());
        Assert.Single(_github.Reviews);
    }

    [Fact]
    public async Task Only_comments_by_the_bot_login_github_names_for_the_app_count_as_ours()
    {
        await OpenAsync(Scenario.RootDockerfile);
        var first = Assert.Single(_github.Reviews);
        int inline = first["comments"]!.AsArray().Count;
        string Listed(string login) => System.Text.Json.JsonSerializer.Serialize(first["comments"]!.AsArray().Select((c, i) => new
        {
            id = 1000 + i,
            body = c!["body"]!.GetValue<string>(),
            path = c["path"]!.GetValue<string>(),
            line = c["line"]!.GetValue<int>(),
            user = new { login, type = "Bot" },
        }));

        // A replica with no memory of the pull request lists its comments. Another App's bot carrying our
        // markers does not silence the findings: they are posted again.
        _github.StubJson("GET", GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}/comments", Listed("other-app[bot]"), priority: _github.NextPriority());
        using (var fresh = new AppHost(_github))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await fresh.PostWebhookAsync("check_suite", AppHost.Payload("check_suite.rerequested"))).StatusCode);
            await _github.WaitForCompletedCheckAsync(2);
        }

        Assert.Equal(2, _github.Reviews.Count);
        Assert.Equal(inline, _github.Reviews[1]["comments"]!.AsArray().Count);

        // The same comments by the login GET /app names for us ("{slug}[bot]"): nothing new is posted.
        _github.StubJson("GET", GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}/comments", Listed(GitHubFake.BotLogin), priority: _github.NextPriority());
        using (var fresh = new AppHost(_github))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await fresh.PostWebhookAsync("check_suite", AppHost.Payload("check_suite.rerequested"))).StatusCode);
            await _github.WaitForCompletedCheckAsync(3);
        }

        Assert.Equal(2, _github.Reviews.Count);
        Assert.Equal(2, _github.Requests("GET", GitHubFake.Api + "/app").Count); // once per process that listed comments
    }

    [Fact]
    public async Task A_renamed_repository_is_the_same_repository_and_gets_no_second_review()
    {
        await OpenAsync(Scenario.RootDockerfile);
        int calls = _github.ApiCalls.Count;

        // The same push announced again after the repository was renamed (and moved to another owner): its id stays.
        var renamed = AppHost.Payload("pull_request.synchronize");
        renamed["repository"]!["name"] = "renamed-repo";
        renamed["repository"]!["full_name"] = "new-owner/renamed-repo";
        renamed["repository"]!["owner"]!["login"] = "new-owner";
        renamed["repository"]!["id"] = AppHost.Payload("pull_request.opened")["repository"]!["id"]!.DeepClone();
        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("pull_request", renamed)).StatusCode);
        await Task.Delay(1500);

        Assert.Single(_github.Reviews);
        Assert.Equal(calls, _github.ApiCalls.Count);
    }

    [Fact]
    public async Task A_reviewed_pull_request_costs_7_plus_its_dockerfiles_github_calls_and_a_redelivery_none()
    {
        // The target was 4 + (number of Dockerfiles) calls per reviewed pull request besides the token; the
        // fifth asks which open pull requests share the head, whose check is theirs too (the commit's verdict), and the
        // sixth lists the head's tree (symbolic links and the Dockerfiles compose files name), and the seventh reads the
        // organisation's config (its .github repository), which the repository's merges over.
        const int Dockerfiles = 1;
        const string Delivery = "5e4d3c2b-1a09-11e3-81ab-4c9367dc0958";
        var opened = AppHost.Payload("pull_request.opened");
        _github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);

        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("pull_request", opened, deliveryId: Delivery)).StatusCode);
        await _github.WaitForCompletedCheckAsync();

        string[] reviewed =
        [
            $"GET {GitHubFake.RepoPath}/contents/.github/reviewbot.yml",
            // The organisation's config, which the repository's merges over (issue 19).
            $"GET {GitHubFake.Api}/repos/{GitHubFake.Owner}/.github/contents/.github/reviewbot.yml",
            $"GET {GitHubFake.ComparePath}",
            $"GET {GitHubFake.RepoPath}/git/trees/{GitHubFake.HeadSha}",
            $"POST {GitHubFake.GraphQLPath}",
            $"POST {GitHubFake.RepoPath}/pulls/{GitHubFake.Number}/reviews",
            $"GET {GitHubFake.RepoPath}/commits/{GitHubFake.HeadSha}/pulls",
            $"POST {GitHubFake.RepoPath}/check-runs",
        ];
        Assert.Equal(reviewed, _github.ApiCalls);
        Assert.InRange(_github.ApiCalls.Count, 1, 7 + Dockerfiles);
        Assert.Single(_github.Reviews);

        // A redelivery of the same webhook: no GitHub call at all, not even for a token.
        _github.Server.ResetLogEntries();
        Assert.Equal(HttpStatusCode.OK, (await _app.PostWebhookAsync("pull_request", opened, deliveryId: Delivery)).StatusCode);
        await Task.Delay(1000);
        Assert.Empty(_github.Server.LogEntries);

        // A push that changes nothing the review sees: the remembered fingerprints stand in for listing
        // our comments, nothing new is posted, and the check is still reported on the new head.
        const string Second = "ddddddd57ca3a959ca5aad62de7213c562f8c824";
        _github.StubContent("Dockerfile", Second, Scenario.RootDockerfile);
        _github.StubCompare(GitHubFake.BaseSha, Second, Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        var push = AppHost.Payload("pull_request.synchronize");
        push["pull_request"]!["head"]!["sha"] = Second;
        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("pull_request", push)).StatusCode);
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal(
            [
                $"GET {GitHubFake.RepoPath}/contents/.github/reviewbot.yml",
                $"GET {GitHubFake.Api}/repos/{GitHubFake.Owner}/.github/contents/.github/reviewbot.yml",
                $"GET {GitHubFake.RepoPath}/compare/{GitHubFake.BaseSha}...{Second}",
                $"GET {GitHubFake.RepoPath}/git/trees/{Second}",
                $"POST {GitHubFake.GraphQLPath}",
                $"GET {GitHubFake.RepoPath}/commits/{Second}/pulls",
                $"POST {GitHubFake.RepoPath}/check-runs",
            ],
            _github.ApiCalls);
        Assert.InRange(_github.ApiCalls.Count, 1, 6 + Dockerfiles);
        Assert.Empty(_github.Reviews);
        Assert.Equal(Second, check["head_sha"]!.GetValue<string>());
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());

        // GitHub also sends check_suite.requested for that push: the head is reviewed already, so it costs nothing.
        _github.Server.ResetLogEntries();
        var suite = AppHost.Payload("check_suite.requested");
        suite["check_suite"]!["head_sha"] = Second;
        suite["check_suite"]!["pull_requests"] = new System.Text.Json.Nodes.JsonArray(
            new System.Text.Json.Nodes.JsonObject { ["number"] = GitHubFake.Number, ["head"] = new System.Text.Json.Nodes.JsonObject { ["sha"] = Second } });
        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("check_suite", suite)).StatusCode);
        await Task.Delay(1000);
        Assert.Empty(_github.ApiCalls);
    }

    private const string CleanDockerfile = "FROM debian:bookworm-slim\nRUN useradd --uid 10001 app\nUSER 10001\nCMD [\"/app/run\"]\n";

    [Fact]
    public async Task More_dockerfiles_than_the_cap_are_named_as_not_checked_and_the_check_does_not_pass()
    {
        int count = PullRequestReviewer.MaxDockerfiles + 2;
        var paths = Enumerable.Range(1, count).Select(i => $"svc{i:D2}/Dockerfile").ToList();
        _github.StubFiles([.. paths.Select(p => Scenario.File(p, "added", Scenario.AddedPatch(CleanDockerfile)))]);
        foreach (var path in paths)
        {
            _github.StubContent(path, GitHubFake.HeadSha, CleanDockerfile);
        }

        await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.StartsWith("Not every Dockerfile was checked", check["output"]!["title"]!.GetValue<string>());
        var summary = check["output"]!["summary"]!.GetValue<string>();
        Assert.Contains($"`{paths[^1]}`", summary);
        Assert.Contains($"`{paths[^2]}`", summary);
        Assert.DoesNotContain($"`{paths[0]}`", summary);
        Assert.Equal(PullRequestReviewer.MaxDockerfiles, _github.GraphQLTextReads.Count);
    }

    [Fact]
    public async Task A_comparison_github_cut_at_300_files_does_not_pass()
    {
        var files = Enumerable.Range(1, GitHubLimits.ComparedFiles - 1).Select(i => Scenario.File($"docs/page{i}.md", "added", "@@ -0,0 +1 @@\n+a"))
            .Append(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(CleanDockerfile)));
        _github.StubFiles([.. files]);
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, CleanDockerfile);

        await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("at most 300 changed files", check["output"]!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dockerfile_that_makes_the_engine_throw_is_reported_the_others_are_reviewed_and_the_check_fails()
    {
        const string Poison = "FROM alpine\n# makes the engine throw in this test\n";
        _app.Dispose();
        using var throwing = new AppHost(_github, services: s => s.AddSingleton(new PullRequestReviewer((text, options) =>
            text == Poison ? throw new InvalidOperationException("engine bug") : DockerfileAnalyzer.Analyze(text, options))));
        _github.StubFiles(Scenario.File("a/Dockerfile", "added", Scenario.AddedPatch(Poison)), Scenario.File("b/Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        _github.StubContent("a/Dockerfile", GitHubFake.HeadSha, Poison);
        _github.StubContent("b/Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);

        await throwing.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        var summary = check["output"]!["summary"]!.GetValue<string>();
        Assert.Contains("`a/Dockerfile` could not be analyzed", summary);
        Assert.DoesNotContain("engine bug", summary);
        var review = Assert.Single(_github.Reviews);
        Assert.All(review["comments"]!.AsArray(), c => Assert.Equal("b/Dockerfile", c!["path"]!.GetValue<string>()));
        Assert.NotEmpty(review["comments"]!.AsArray());
    }

    [Fact]
    public async Task A_dockerfile_over_the_size_cap_is_refused_from_its_length_reported_and_the_rest_reviewed()
    {
        var huge = "FROM debian:bookworm-slim\n" + new string('#', (int)PullRequestReviewer.MaxFileBytes) + "\n";
        _github.StubFiles(Scenario.File("big/Dockerfile", "added", null), Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        _github.StubContent("big/Dockerfile", GitHubFake.HeadSha, huge);
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);

        await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("`big/Dockerfile` larger than 4 MiB, so not checked", check["output"]!["summary"]!.GetValue<string>());
        Assert.Empty(_github.Requests("GET", GitHubFake.RepoPath + "/contents/big/Dockerfile")); // refused from its GraphQL byteSize
        Assert.All(_github.Reviews.SelectMany(r => r["comments"]!.AsArray()), c => Assert.Equal("Dockerfile", c!["path"]!.GetValue<string>()));
        Assert.DoesNotContain(_github.FileComments, c => c["path"]!.GetValue<string>() == "big/Dockerfile");
    }

    [Fact]
    public async Task Dockerfiles_past_the_reviews_16_MiB_budget_are_named_as_not_read_and_the_check_fails()
    {
        // Five files of 3.9 MB, each under the 4 MiB cap: together past the review's budget, so the fifth is not read.
        var big = "FROM debian:bookworm-slim\nUSER 10001\n" + new string('#', 3_900_000) + "\n";
        var names = Enumerable.Range(1, 5).Select(i => $"d{i}/Dockerfile").ToList();
        _github.StubFiles([.. names.Select(n => Scenario.File(n, "added", null))]);
        foreach (var name in names)
        {
            _github.StubContent(name, GitHubFake.HeadSha, big);
        }

        await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        var summary = check["output"]!["summary"]!.GetValue<string>();
        Assert.Contains("`d5/Dockerfile` over the review's budget of 16 MiB of Dockerfile text (not read), so not checked", summary);
        Assert.DoesNotContain("`d4/Dockerfile` over", summary);
        // Kept before reading, from the head tree's sizes: the fifth file's text was never downloaded.
        Assert.Empty(_github.Requests("GET", GitHubFake.RepoPath + "/contents/d5/Dockerfile"));
        Assert.NotEmpty(_github.Requests("GET", GitHubFake.RepoPath + "/contents/d4/Dockerfile"));
    }

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
