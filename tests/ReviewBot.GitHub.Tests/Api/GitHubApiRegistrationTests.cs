using System.Net;
using System.Text.Json;
using ReviewBot.GitHub.Api;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>The one registration: pooled handlers, GitHub's headers and base URL rule, pages followed only inside the API.</summary>
public sealed class GitHubApiRegistrationTests : IDisposable
{
    private const string Comments = RepoPath + "/pulls/2/comments";

    private readonly GitHubFake _github = new();

    public void Dispose() => _github.Dispose();

    [Fact]
    public async Task Clients_share_one_pooled_handler_instead_of_one_per_review()
    {
        _github.StubJson("GET", RepoPath + "/pulls/2/comments", "[]");

        for (int i = 0; i < 20; i++)
        {
            await _github.Client(new StaticTokenSource($"token{i}")).ListReviewCommentsAsync(Owner, Repo, Number, default);
        }

        Assert.Equal(20, _github.Server.LogEntries.Count());
        Assert.Equal(1, _github.PrimaryHandlers);
    }

    [Fact]
    public async Task Every_request_names_GitHubs_media_type_API_version_agent_and_token()
    {
        _github.StubJson("GET", RepoPath + "/pulls/2/comments", "[]");

        await _github.Client(new StaticTokenSource("ghs_abc")).ListReviewCommentsAsync(Owner, Repo, Number, default);

        var headers = Assert.Single(_github.Server.LogEntries).RequestMessage.Headers!;
        Assert.Equal("application/vnd.github+json", headers["Accept"].Single());
        Assert.Equal("2022-11-28", headers["X-GitHub-Api-Version"].Single());
        Assert.StartsWith("ReviewBot/", headers["User-Agent"].Single(), StringComparison.Ordinal);
        Assert.Equal("Token ghs_abc", headers["Authorization"].Single());
    }

    [Theory]
    [InlineData("https://github.com/", "https://api.github.com/")]
    [InlineData("https://api.github.com", "https://api.github.com/")]
    [InlineData("https://ghe.example.com/", "https://ghe.example.com/api/v3/")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v3/")]
    public void GitHub_com_is_api_github_com_and_any_other_host_gets_api_v3(string baseUrl, string root) =>
        Assert.Equal(new Uri(root), GitHubApiServiceCollectionExtensions.ApiRoot(new Uri(baseUrl)));

    [Fact]
    public async Task Pages_are_followed_by_the_Link_header_100_at_a_time()
    {
        var first = Enumerable.Range(0, 100).Select(i => new { id = i, body = $"c{i}", path = "Dockerfile" });
        var second = Enumerable.Range(100, 30).Select(i => new { id = i, body = $"c{i}", path = "Dockerfile" });
        _github.Server.Given(Request.Create().WithPath(Comments).WithParam("page", "2").UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(second)));
        _github.Server.Given(Request.Create().WithPath(Comments).UsingGet()).AtPriority(2)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithHeader("Link", $"<{_github.Server.Url}{Comments}?per_page=100&page=2>; rel=\"next\", <{_github.Server.Url}{Comments}?per_page=100&page=2>; rel=\"last\"")
                .WithBody(JsonSerializer.Serialize(first)));

        var comments = await _github.Client().ListReviewCommentsAsync(Owner, Repo, Number, default);

        Assert.Equal(130, comments.Count);
        Assert.Equal("c129", comments[^1].Body);
        Assert.All(_github.Requests("GET", Comments), e => Assert.Equal("100", e.RequestMessage.Query!["per_page"].Single()));
    }

    [Fact]
    public async Task A_next_page_link_to_another_host_is_refused_so_the_token_never_goes_there()
    {
        using var elsewhere = WireMockServer.Start();
        _github.Server.Given(Request.Create().WithPath(Comments).UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithHeader("Link", $"<{elsewhere.Url}{Comments}?page=2>; rel=\"next\"").WithBody("[]"));

        await Assert.ThrowsAsync<GitHubApiException>(() => _github.Client().ListReviewCommentsAsync(Owner, Repo, Number, default));

        Assert.Empty(elsewhere.LogEntries);
    }

    [Fact]
    public async Task An_answer_that_is_not_the_JSON_expected_is_a_GitHubApiException()
    {
        _github.StubJson("GET", RepoPath + "/pulls/2", "<html>maintenance</html>");

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => _github.Client().GetPullRequestAsync(Owner, Repo, Number, default));

        Assert.Equal(200, e.StatusCode);
    }

    [Fact]
    public async Task An_answer_over_the_size_cap_is_refused_and_not_retried()
    {
        int calls = 0;
        using var fake = new GitHubFake(primaryHandler: () => new StubHandler(_ =>
        {
            Interlocked.Increment(ref calls);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[ResponseBufferingHandler.MaxResponseBytes + 1]) };
        }));

        await Assert.ThrowsAsync<GitHubApiException>(() => fake.Client().ListReviewCommentsAsync(Owner, Repo, Number, default));

        Assert.Equal(1, calls);
    }
}
