using System.Text.Json;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Review;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>
/// Post once: a create call that failed uncertainly (a 5xx, no answer) may have been carried out, so it is read back
/// before it is sent again, never retried blindly.
/// </summary>
public sealed class ReadBackTests : IDisposable
{
    private const string Reviews = RepoPath + "/pulls/2/reviews";
    private const string Comments = RepoPath + "/pulls/2/comments";
    private const string CheckRuns = RepoPath + "/check-runs";
    private const string HeadCheckRuns = RepoPath + "/commits/" + HeadSha + "/check-runs";

    private readonly GitHubFake _github = new();

    public ReadBackTests()
    {
        _github.StubJson("POST", Reviews, """{"id":80}""");
        _github.StubJson("POST", Comments, """{"id":90}""", 201);
        _github.StubJson("GET", Comments, "[]");
        _github.StubJson("GET", Reviews, "[]");
        _github.StubJson("POST", CheckRuns, """{"id":4}""", 201);
        _github.StubJson("PATCH", CheckRuns + "/4", """{"id":4}""");
        _github.StubJson("GET", HeadCheckRuns, """{"total_count":0,"check_runs":[]}""");
    }

    public void Dispose() => _github.Dispose();

    /// <summary>GitHub created it, then failed to say so.</summary>
    private static IResponseBuilder BadGateway() =>
        Response.Create().WithStatusCode(502).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Server Error"}""");

    private void ListComments(params object[] comments) =>
        _github.StubJson("GET", Comments, JsonSerializer.Serialize(comments), priority: 10);

    private static object Bot(long id, string body, long? reviewId = null, long? inReplyTo = null, string path = "Dockerfile") =>
        new { id, body, path, in_reply_to_id = inReplyTo, pull_request_review_id = reviewId, user = new { login = "reviewbot[bot]", type = "Bot" } };

    [Fact]
    public async Task A_review_created_behind_a_502_is_found_by_its_fingerprint_and_not_posted_again()
    {
        _github.Once("POST", Reviews, BadGateway());
        ListComments(Bot(1000, "Runs as root.\n" + Fingerprint.Marker(TestPlans.InlineFingerprint), reviewId: 77));

        var posted = await _github.Client().PostReviewAsync(Owner, Repo, Number, HeadSha, TestPlans.WithInlineComment(), default);

        Assert.Equal(77, posted.ReviewId);
        Assert.Single(_github.Requests("POST", Reviews));
        Assert.Single(_github.Requests("GET", Comments));
    }

    [Fact]
    public async Task A_review_not_created_behind_a_502_is_posted_again_after_the_read_back()
    {
        _github.Once("POST", Reviews, BadGateway());

        var posted = await _github.Client().PostReviewAsync(Owner, Repo, Number, HeadSha, TestPlans.WithInlineComment(), default);

        Assert.Equal(80, posted.ReviewId);
        var calls = _github.Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Path}").ToList();
        Assert.Equal([$"POST {Reviews}", $"GET {Comments}", $"POST {Reviews}"], calls);
    }

    [Fact]
    public async Task A_persons_copy_of_our_marker_is_not_taken_for_the_created_review()
    {
        _github.Once("POST", Reviews, BadGateway());
        ListComments(new { id = 1000, body = Fingerprint.Marker(TestPlans.InlineFingerprint), path = "Dockerfile", pull_request_review_id = 5, user = new { login = "mallory", type = "User" } });

        var posted = await _github.Client().PostReviewAsync(Owner, Repo, Number, HeadSha, TestPlans.WithInlineComment(), default);

        Assert.Equal(80, posted.ReviewId);
        Assert.Equal(2, _github.Requests("POST", Reviews).Count);
    }

    [Fact]
    public async Task A_review_without_inline_comments_is_found_in_the_reviews_by_its_body_and_commit()
    {
        var plan = TestPlans.WithFileCommentOnly();
        _github.Once("POST", Reviews, BadGateway());
        _github.StubJson("GET", Reviews, JsonSerializer.Serialize(new[]
        {
            new { id = 70L, body = plan.Body, commit_id = "0000000000000000000000000000000000000000", user = new { login = "reviewbot[bot]", type = "Bot" } },
            new { id = 81L, body = plan.Body, commit_id = HeadSha, user = new { login = "reviewbot[bot]", type = "Bot" } },
        }), priority: 10);

        var posted = await _github.Client().PostReviewAsync(Owner, Repo, Number, HeadSha, plan, default);

        Assert.Equal(81, posted.ReviewId);
        Assert.Single(_github.Requests("POST", Reviews));
        Assert.Single(_github.Requests("POST", Comments)); // the file comment still goes out, once
    }

    [Fact]
    public async Task A_file_comment_whose_answer_never_came_is_found_and_not_posted_again()
    {
        var listed = JsonSerializer.Serialize(new[] { Bot(90, "**line 1**: runs as root\n" + Fingerprint.Marker(TestPlans.FileFingerprint)) });
        var handler = StubHandler.HangingOnce(Comments, request => request.Method == HttpMethod.Get ? listed : """{"id":90}""");
        using var fake = new GitHubFake(GitHubFake.ShortTimeoutPolicy, () => handler);

        var posted = await fake.Client().PostReviewAsync(Owner, Repo, Number, HeadSha, TestPlans.WithFileCommentOnly(), default);

        Assert.Equal([$"POST {Reviews}", $"POST {Comments}", $"GET {Comments}"], handler.Calls);
        Assert.Equal([TestPlans.FileFingerprint], posted.Fingerprints);
    }

    [Fact]
    public async Task A_reply_created_behind_a_502_is_not_posted_again()
    {
        var replies = Comments + "/1000/replies";
        _github.StubJson("POST", replies, """{"id":3000}""", 201);
        _github.Once("POST", replies, BadGateway());
        ListComments(Bot(1000, "x"), Bot(3000, $"{PreviousComments.FixedPrefix}{HeadSha}.", inReplyTo: 1000));

        await _github.Client().ReplyAsync(Owner, Repo, Number, 1000, $"{PreviousComments.FixedPrefix}{HeadSha}.", default);

        Assert.Single(_github.Requests("POST", replies));
    }

    [Fact]
    public async Task A_check_run_created_behind_a_502_is_found_on_the_head_by_its_external_id()
    {
        _github.Once("POST", CheckRuns, BadGateway());
        // GitHub lists the run it created, with the external_id that was sent (plus another run of ours from earlier).
        _github.Server.Given(Request.Create().WithPath(HeadCheckRuns).UsingGet()).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(_ =>
            {
                var sent = GitHubFake.Json(_github.Requests("POST", CheckRuns)[0])["external_id"]!.GetValue<string>();
                return JsonSerializer.Serialize(new
                {
                    total_count = 2,
                    check_runs = new[]
                    {
                        new { id = 3L, name = CheckRunPlan.Name, status = "completed", conclusion = (string?)"failure", external_id = (string?)"earlier-run" },
                        new { id = 9L, name = CheckRunPlan.Name, status = "completed", conclusion = (string?)"failure", external_id = (string?)sent },
                    },
                });
            }));

        var id = await _github.Client().CreateCheckRunAsync(Owner, Repo, HeadSha, TestPlans.Check(), CheckRerun.OfPullRequest(Number), default);

        Assert.Equal(9, id);
        Assert.Single(_github.Requests("POST", CheckRuns));
        var listed = Assert.Single(_github.Requests("GET", HeadCheckRuns));
        Assert.Equal(CheckRunPlan.Name, listed.RequestMessage.Query!["check_name"].Single());
        Assert.Equal("all", listed.RequestMessage.Query!["filter"].Single());
    }

    [Fact]
    public async Task A_check_run_not_created_behind_a_502_is_created_again_with_the_same_external_id()
    {
        _github.Once("POST", CheckRuns, BadGateway());

        var id = await _github.Client().CreateCheckRunAsync(Owner, Repo, HeadSha, TestPlans.Check(), CheckRerun.OfPullRequest(Number), default);

        Assert.Equal(4, id);
        var posts = _github.Requests("POST", CheckRuns).Select(GitHubFake.Json).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0]["external_id"]!.GetValue<string>(), posts[1]["external_id"]!.GetValue<string>());
        Assert.Single(_github.Requests("GET", HeadCheckRuns));
    }

    [Fact]
    public async Task A_4xx_on_a_create_is_neither_retried_nor_read_back()
    {
        _github.StubJson("POST", Reviews, """{"message":"Resource not accessible by integration"}""", 403, priority: 1);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => _github.Client().PostReviewAsync(Owner, Repo, Number, HeadSha, TestPlans.WithInlineComment(), default));

        Assert.Equal(403, e.StatusCode);
        Assert.Single(_github.Requests("POST", Reviews));
        Assert.Empty(_github.Requests("GET", Comments));
    }

    [Fact]
    public async Task A_422_on_the_review_moves_the_inline_comments_to_file_comments()
    {
        _github.Once("POST", Reviews, Response.Create().WithStatusCode(422).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Unprocessable Entity","errors":["Line could not be resolved"]}"""));

        var posted = await _github.Client().PostReviewAsync(Owner, Repo, Number, HeadSha, TestPlans.WithInlineComment(), default);

        Assert.True(posted.MovedInlineComments);
        var sent = _github.Requests("POST", Reviews).Select(GitHubFake.Json).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Empty(sent[1]["comments"]!.AsArray());
        Assert.Contains(Fingerprint.Marker(TestPlans.InlineFingerprint), GitHubFake.Json(Assert.Single(_github.Requests("POST", Comments)))["body"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(60, 1)] // GitHub kept the second batch: sending it again would show every annotation twice
    [InlineData(50, 2)] // it did not: sent again
    public async Task Annotations_behind_a_502_are_counted_before_they_are_sent_again(int countAfterFailure, int patches)
    {
        _github.Once("PATCH", CheckRuns + "/4", BadGateway());
        _github.StubJson("GET", CheckRuns + "/4", $$$"""{"id":4,"status":"in_progress","output":{"annotations_count":{{{countAfterFailure}}}}}""");

        await _github.Client().AddRemainingAnnotationsAsync(Owner, Repo, 4, TestPlans.Check(annotations: 60), default);

        Assert.Equal(patches, _github.Requests("PATCH", CheckRuns + "/4").Count);
        Assert.Single(_github.Requests("GET", CheckRuns + "/4"));
    }
}
