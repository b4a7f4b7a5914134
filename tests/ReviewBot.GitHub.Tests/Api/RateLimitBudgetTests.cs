using System.Globalization;
using System.Security.Cryptography;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Auth;
using ReviewBot.GitHub.Branches;
using ReviewBot.GitHub.PullRequests;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>
/// Issue 11: "reads watch x-ratelimit-remaining". Background work stops before it drains an installation's budget;
/// pull request reviews never ask and may use the reserve.
/// </summary>
public sealed class RateLimitBudgetTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    private readonly GitHubFake _github = new();
    private readonly RSA _key = RSA.Create(2048);

    public void Dispose()
    {
        _github.Dispose();
        _key.Dispose();
    }

    [Theory]
    [InlineData(500, false)] // exactly the reserve (10 % of 5,000) is left: go on
    [InlineData(499, true)]
    public void Background_work_waits_until_the_reset_once_remaining_is_below_the_reserve(int remaining, bool waits)
    {
        var budget = new RateLimitBudget(new FixedTime(Now));

        budget.Observe(Answer(remaining, resetIn: TimeSpan.FromMinutes(20)));

        Assert.Equal(waits ? TimeSpan.FromMinutes(20) : null, budget.BackgroundWait());
    }

    [Fact]
    public void The_reserve_is_a_share_of_the_limit_GitHub_reports()
    {
        var budget = new RateLimitBudget(new FixedTime(Now));

        budget.Observe(Answer(1_000, resetIn: TimeSpan.FromMinutes(5), limit: 15_000));

        Assert.Equal(TimeSpan.FromMinutes(5), budget.BackgroundWait());
    }

    [Fact]
    public void Answers_arriving_out_of_order_keep_the_lowest_remaining_of_a_window_and_a_later_reset_starts_a_new_one()
    {
        var budget = new RateLimitBudget(new FixedTime(Now));

        budget.Observe(Answer(100, resetIn: TimeSpan.FromMinutes(5)));
        budget.Observe(Answer(4_000, resetIn: TimeSpan.FromMinutes(5))); // an older answer of the same window
        Assert.Equal(100, budget.Last(RateLimitBudget.Core)!.Value.Remaining);

        budget.Observe(Answer(4_999, resetIn: TimeSpan.FromMinutes(65))); // GitHub renewed the budget
        Assert.Null(budget.BackgroundWait());

        budget.Observe(Answer(10, resetIn: TimeSpan.FromMinutes(5))); // a straggler from the old window
        Assert.Null(budget.BackgroundWait());
    }

    [Fact]
    public void A_window_that_has_ended_holds_nothing_back()
    {
        var budget = new RateLimitBudget(new FixedTime(Now));

        budget.Observe(Answer(0, resetIn: TimeSpan.FromSeconds(-1)));

        Assert.Null(budget.BackgroundWait());
    }

    [Fact]
    public void REST_and_GraphQL_are_separate_budgets_and_either_below_its_reserve_stops_background_work()
    {
        var budget = new RateLimitBudget(new FixedTime(Now));

        budget.Observe(Answer(4_000, resetIn: TimeSpan.FromMinutes(10)));
        budget.Observe(Answer(20, resetIn: TimeSpan.FromMinutes(30), resource: "graphql"));
        budget.Observe(Answer(0, resetIn: TimeSpan.FromMinutes(50), resource: "search")); // not a budget background work spends

        Assert.Equal((4_000, 20), (budget.Last("core")!.Value.Remaining, budget.Last("graphql")!.Value.Remaining));
        Assert.Equal(TimeSpan.FromMinutes(30), budget.BackgroundWait());
    }

    [Fact]
    public async Task Every_client_of_one_installation_shares_its_budget_and_another_installation_has_its_own()
    {
        var app = App();
        StubToken(1);
        StubToken(2);
        _github.Server.Given(Request.Create().WithPath(RepoPath + "/pulls/2").UsingGet())
            .RespondWith(WithBudget(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"number":2,"state":"open","draft":false,"head":{"sha":"a"},"base":{"ref":"main"}}"""), remaining: 12));

        await app.ForInstallation(1, TokenScope.Review(1, Repo)).GetPullRequestAsync(Owner, Repo, Number, default);

        Assert.NotNull(app.ForInstallation(1, TokenScope.Review(1, Repo)).RateLimits.BackgroundWait());
        Assert.Null(app.ForInstallation(2, TokenScope.Review(2, Repo)).RateLimits.BackgroundWait());
    }

    [Fact]
    public async Task A_pull_request_review_is_never_held_back_by_the_reserve()
    {
        _github.Server.Given(Request.Create().WithPath(RepoPath + "/contents/.github/reviewbot.yml").UsingGet())
            .RespondWith(WithBudget(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Not Found"}"""), remaining: 3));
        _github.StubFiles(new { filename = "Dockerfile", status = "added", patch = "@@ -0,0 +1,1 @@\n+FROM alpine" });
        new GraphQLFiles(new Dictionary<string, string> { ["Dockerfile"] = "FROM alpine\n" }).Register(_github);
        _github.StubJson("GET", RepoPath + "/pulls/2/comments", "[]");
        _github.StubJson("POST", RepoPath + "/pulls/2/reviews", """{"id":80}""");
        _github.StubJson("POST", RepoPath + "/check-runs", """{"id":4}""", 201);
        var client = _github.Client();
        var target = new PullRequestTarget(Owner, Repo, Number, HeadSha, "main", BaseSha, false);

        var outcome = await new PullRequestReviewer().ReviewAsync(client, target, new GitHubPullRequestSource(client, target), ReviewHooks.None,
            new ReviewSettings { NewPullRequest = true, BotLogin = _ => Task.FromResult("reviewbot[bot]") }, default);

        Assert.NotNull(client.RateLimits.BackgroundWait()); // below the reserve all along
        Assert.Equal(ReviewStatus.Reviewed, outcome.Status);
        Assert.Single(_github.Requests("POST", RepoPath + "/check-runs"));
    }

    [Fact]
    public async Task The_default_branch_check_stops_before_reading_anything_and_says_when_to_come_back()
    {
        _github.Server.Given(Request.Create().WithPath(RepoPath + "/pulls/2").UsingGet())
            .RespondWith(WithBudget(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"number":2,"state":"open","draft":false,"head":{"sha":"a"},"base":{"ref":"main"}}"""), remaining: 40));
        var client = _github.Client();
        await client.GetPullRequestAsync(Owner, Repo, Number, default);
        int before = _github.Server.LogEntries.Count();

        var refused = await Assert.ThrowsAsync<WorkDeferredException>(() => new BranchChecker(new PullRequestReviewer())
            .CheckAsync(client, new BranchTarget(Owner, Repo, "main", HeadSha), new ReviewSettings { BotLogin = _ => Task.FromResult("reviewbot[bot]") }, ReviewHooks.None, default));

        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
        Assert.Equal(before, _github.Server.LogEntries.Count()); // no read, and no failed check written
    }

    /// <summary>An answer carrying GitHub's rate-limit headers: <paramref name="remaining"/> of 5,000, renewed in 30 minutes.</summary>
    internal static IResponseBuilder WithBudget(IResponseBuilder response, int remaining, string resource = "core") => response
        .WithHeader("x-ratelimit-limit", "5000")
        .WithHeader("x-ratelimit-remaining", remaining.ToString(CultureInfo.InvariantCulture))
        .WithHeader("x-ratelimit-reset", DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
        .WithHeader("x-ratelimit-resource", resource);

    [Fact]
    public void Budgets_of_installations_whose_windows_ended_are_dropped_once_there_are_many()
    {
        var time = new MovingTime(Now);
        var budgets = new InstallationBudgets(time);
        for (long id = 1; id <= InstallationBudgets.TrimAbove; id++)
        {
            // Half are still in their window when the next installation arrives, half have ended.
            budgets.For(id).Observe(Answer(4_000, resetIn: TimeSpan.FromMinutes(id % 2 == 0 ? 50 : 10)));
        }

        var busy = budgets.For(2);
        Assert.Equal(InstallationBudgets.TrimAbove, budgets.Count);
        time.Now = Now + TimeSpan.FromMinutes(20);

        budgets.For(100_000);

        Assert.Equal(InstallationBudgets.TrimAbove / 2 + 1, budgets.Count);
        Assert.Same(busy, budgets.For(2));
        Assert.Equal(4_000, budgets.For(2).Last(RateLimitBudget.Core)?.Remaining);
    }

    private GitHubAppClient App() => _github.Clients.ForApp("12345", new PemRs256Signer(_key.ExportRSAPrivateKeyPem()));

    private void StubToken(long installation) =>
        _github.StubJson("POST", $"/api/v3/app/installations/{installation}/access_tokens", $$"""{"token":"ghs_{{installation}}","expires_at":"{{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}"}""", 201);

    private static HttpResponseMessage Answer(int remaining, TimeSpan resetIn, int limit = 5_000, string resource = "core")
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        response.Headers.Add("x-ratelimit-limit", limit.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("x-ratelimit-remaining", remaining.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("x-ratelimit-reset", (Now + resetIn).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("x-ratelimit-resource", resource);
        return response;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class MovingTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
