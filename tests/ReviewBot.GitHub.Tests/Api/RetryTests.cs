using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.GitHub.Api;
using WireMock.ResponseBuilders;
using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>The pipeline's GitHub rules: reads retried, rate limits waited for as GitHub says, a refused token refreshed once.</summary>
public sealed class RetryTests : IDisposable
{
    private const string PullPath = RepoPath + "/pulls/2";
    private const string PullJson = """{"number":2,"state":"open","draft":false,"head":{"sha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","repo":{"full_name":"Codertocat/Hello-World"}},"base":{"ref":"master"}}""";

    private readonly GitHubFake _github = new();

    public RetryTests() => _github.StubJson("GET", PullPath, PullJson);

    public void Dispose() => _github.Dispose();

    private static IResponseBuilder Status(int status) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Server Error"}""");

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(408)]
    public async Task A_GET_is_retried_after_a_transient_failure(int status)
    {
        _github.Once("GET", PullPath, Status(status));

        var pr = await _github.Client().GetPullRequestAsync(Owner, Repo, Number, default);

        Assert.Equal((2, "master", HeadSha), (pr.Number, pr.BaseRef, pr.HeadSha));
        Assert.Equal(2, _github.Requests("GET", PullPath).Count);
    }

    [Fact]
    public async Task A_GET_that_keeps_failing_gives_up_after_the_policys_attempts_with_GitHubApiException()
    {
        _github.StubJson("GET", PullPath, """{"message":"Service Unavailable"}""", 503, priority: 1);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => _github.Client().GetPullRequestAsync(Owner, Repo, Number, default));

        Assert.Equal(503, e.StatusCode);
        Assert.True(e.Uncertain);
        Assert.Equal(Policy.MaxAttempts, _github.Requests("GET", PullPath).Count);
    }

    [Fact]
    public async Task A_GET_whose_answer_does_not_come_in_time_is_retried()
    {
        var handler = StubHandler.HangingOnce(PullPath, _ => PullJson);
        using var fake = new GitHubFake(ShortTimeoutPolicy, () => handler);

        var pr = await fake.Client().GetPullRequestAsync(Owner, Repo, Number, default);

        Assert.Equal(2, pr.Number);
        Assert.Equal([$"GET {PullPath}", $"GET {PullPath}"], handler.Calls);
        Assert.Contains(ShortTimeoutPolicy.AttemptTimeout, fake.Time.DueTimes);
    }

    [Fact]
    public async Task A_429_waits_as_long_as_Retry_After_says()
    {
        _github.Once("GET", PullPath, Status(429).WithHeader("Retry-After", "7"));

        await _github.Client().GetPullRequestAsync(Owner, Repo, Number, default);

        Assert.Equal(2, _github.Requests("GET", PullPath).Count);
        Assert.Contains(TimeSpan.FromSeconds(7), _github.Time.DueTimes);
    }

    [Fact]
    public async Task A_used_up_quota_waits_until_x_ratelimit_reset()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(90).ToUnixTimeSeconds();
        _github.Once("GET", PullPath, Status(403).WithHeader("x-ratelimit-remaining", "0").WithHeader("x-ratelimit-reset", reset.ToString(CultureInfo.InvariantCulture)));

        await _github.Client().GetPullRequestAsync(Owner, Repo, Number, default);

        Assert.Equal(2, _github.Requests("GET", PullPath).Count);
        Assert.Contains(_github.Time.DueTimes, wait => wait > TimeSpan.FromSeconds(85) && wait <= TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task A_secondary_rate_limit_without_a_header_waits_a_minute()
    {
        _github.Once("GET", PullPath, Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json")
            .WithBody("""{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"""));

        await _github.Client().GetPullRequestAsync(Owner, Repo, Number, default);

        Assert.Equal(2, _github.Requests("GET", PullPath).Count);
        Assert.Contains(GitHubLimits.SecondaryRateLimitWait, _github.Time.DueTimes);
    }

    [Fact]
    public async Task A_403_that_is_no_rate_limit_is_not_retried()
    {
        _github.Once("GET", PullPath, Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Resource not accessible by integration"}"""));

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => _github.Client().GetPullRequestAsync(Owner, Repo, Number, default));

        Assert.Equal((403, "Resource not accessible by integration"), (e.StatusCode, e.Message));
        Assert.Single(_github.Requests("GET", PullPath));
    }

    [Fact]
    public async Task A_wait_longer_than_the_policy_allows_throws_GitHubRateLimitedException_at_once()
    {
        _github.Once("GET", PullPath, Status(429).WithHeader("Retry-After", "3600"));

        var e = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => _github.Client().GetPullRequestAsync(Owner, Repo, Number, default));

        Assert.Equal(TimeSpan.FromHours(1), e.RetryAfter);
        Assert.Single(_github.Requests("GET", PullPath));
    }

    [Fact]
    public async Task A_rate_limited_POST_is_sent_again_after_the_wait_without_a_read_back()
    {
        // GitHub did not carry out a rate-limited request, so sending it again cannot create a second review.
        var reviews = RepoPath + "/pulls/2/reviews";
        _github.StubJson("POST", reviews, """{"id":80}""");
        _github.Once("POST", reviews, Status(429).WithHeader("Retry-After", "2"));

        var posted = await _github.Client().PostReviewAsync(Owner, Repo, Number, HeadSha, TestPlans.WithInlineComment(), default);

        Assert.Equal(80, posted.ReviewId);
        Assert.Equal(2, _github.Requests("POST", reviews).Count);
        Assert.Empty(_github.Requests("GET", RepoPath + "/pulls/2/comments"));
        Assert.Contains(TimeSpan.FromSeconds(2), _github.Time.DueTimes);
    }

    [Fact]
    public async Task A_401_gets_a_new_token_once()
    {
        var tokens = new CountingTokenSource();
        _github.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(PullPath).UsingGet().WithHeader("Authorization", "Token token1")).AtPriority(1)
            .RespondWith(Status(401));

        await _github.Client(tokens).GetPullRequestAsync(Owner, Repo, Number, default);

        Assert.Equal(["Token token1", "Token token2"], _github.Requests("GET", PullPath).Select(e => e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.Equal(1, tokens.Invalidations);
    }

    [Fact]
    public async Task A_second_401_is_an_error_not_a_loop()
    {
        var tokens = new CountingTokenSource();
        _github.StubJson("GET", PullPath, """{"message":"Bad credentials"}""", 401, priority: 1);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => _github.Client(tokens).GetPullRequestAsync(Owner, Repo, Number, default));

        Assert.Equal(401, e.StatusCode);
        Assert.Equal(2, _github.Requests("GET", PullPath).Count);
    }

    [Fact]
    public async Task No_answer_at_all_is_a_GitHubApiException_with_status_0()
    {
        var port = _github.Server.Ports[0];
        _github.Dispose(); // nothing listens there any more
        using var services = new ServiceCollection()
            .AddGitHubApi(_ => new GitHubApiOptions { BaseUrl = new Uri($"http://127.0.0.1:{port}/"), Retry = Policy with { MaxAttempts = 1 } })
            .BuildServiceProvider();
        var client = services.GetRequiredService<GitHubClients>().ForToken(new StaticTokenSource("t"));

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => client.GetPullRequestAsync(Owner, Repo, Number, default));

        Assert.Equal(0, e.StatusCode);
        Assert.True(e.Uncertain);
    }

    private sealed class CountingTokenSource : ITokenSource
    {
        private int _generation = 1;

        public int Invalidations { get; private set; }

        public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult($"token{_generation}");

        public void Invalidate()
        {
            Invalidations++;
            _generation++;
        }
    }
}
