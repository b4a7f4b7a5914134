using System.Security.Cryptography;
using ReviewBot.GitHub.Auth;
using ReviewBot.GitHub.Tests.Api;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReviewBot.GitHub.Tests.Auth;

/// <summary>The App's own calls: GET /app and installation tokens, with the App JWT.</summary>
public sealed class GitHubAppClientTests : IDisposable
{
    private const string TokenPath = "/api/v3/app/installations/1/access_tokens";

    private readonly GitHubFake _github = new();
    private readonly RSA _key = RSA.Create(2048);

    public GitHubAppClientTests()
    {
        _github.StubJson("GET", "/api/v3/app", """{"id":12345,"slug":"reviewbot-test","name":"ReviewBot test"}""");
        _github.StubJson("POST", TokenPath, $$"""{"token":"ghs_installation","expires_at":"{{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}"}""", 201);
        _github.StubJson("GET", GitHubFake.RepoPath + "/pulls/2/comments", "[]");
    }

    public void Dispose()
    {
        _github.Dispose();
        _key.Dispose();
    }

    private GitHub.Api.GitHubAppClient App() => _github.Clients.ForApp("12345", new PemRs256Signer(_key.ExportRSAPrivateKeyPem()));

    [Fact]
    public async Task The_bot_login_is_the_apps_slug_asked_once_with_the_JWT()
    {
        var app = App();

        Assert.Equal("reviewbot-test[bot]", await app.GetBotLoginAsync(default));
        Assert.Equal("reviewbot-test[bot]", await app.GetBotLoginAsync(default));

        var call = Assert.Single(_github.Requests("GET", "/api/v3/app"));
        var authorization = call.RequestMessage.Headers!["Authorization"].Single();
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        Assert.Equal(3, authorization["Bearer ".Length..].Split('.').Length);
    }

    [Fact]
    public async Task A_failed_bot_login_is_asked_again_next_time()
    {
        _github.Once("GET", "/api/v3/app", Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Not Found"}"""));
        var app = App();

        await Assert.ThrowsAsync<GitHub.Api.GitHubApiException>(() => app.GetBotLoginAsync(default));

        Assert.Equal("reviewbot-test[bot]", await app.GetBotLoginAsync(default));
    }

    [Fact]
    public async Task An_installation_client_works_on_a_token_fetched_with_the_JWT_which_is_retried_on_a_502()
    {
        // Asking twice for a token only makes a second token: the request is safe to repeat.
        _github.Once("POST", TokenPath, Response.Create().WithStatusCode(502).WithBody("""{"message":"Server Error"}"""));

        await App().ForInstallation(1, TokenScope.Review(1, GitHubFake.Repo)).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);

        Assert.Equal(2, _github.Requests("POST", TokenPath).Count);
        Assert.All(_github.Requests("POST", TokenPath), e => Assert.StartsWith("Bearer ", e.RequestMessage.Headers!["Authorization"].Single(), StringComparison.Ordinal));
        Assert.Equal("Token ghs_installation", Assert.Single(_github.Requests("GET", GitHubFake.RepoPath + "/pulls/2/comments")).RequestMessage.Headers!["Authorization"].Single());
    }

    [Theory]
    [InlineData("""{"packages":"read","contents":"read"}""", true)]
    [InlineData("""{"packages":"write"}""", true)]
    [InlineData("""{"contents":"read","pull_requests":"write"}""", false)]
    [InlineData("""{"contents":"read","future":{"shape":1}}""", false)]
    public async Task The_installation_token_is_handed_to_a_registry_only_when_GitHub_granted_packages_read(string permissions, bool handed)
    {
        _github.StubJson("POST", TokenPath, $$"""{"token":"ghs_packages","expires_at":"{{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}","permissions":{{permissions}}}""", 201);
        var access = App().PackagesAccess(1, GitHubFake.Owner);

        var token = await access.Token(default);

        Assert.Equal(handed ? "ghs_packages" : null, token);
        Assert.Equal(GitHubFake.Owner, access.Owner);
        // A token of its own that can read packages and nothing else: never a review's token handed to a registry.
        Assert.Equal("""{"permissions":{"metadata":"read","packages":"read"}}""", System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(_github.Requests("POST", TokenPath)).RequestMessage.Body!)!.ToJsonString());
    }

    [Fact]
    public async Task Each_token_names_one_repository_and_the_jobs_permissions_and_is_cached_per_repository_and_permissions()
    {
        var app = App();

        // A review, a second client of the same review (cached), a branch check and onboarding of the same repository,
        // a review of another repository, the organisation's config, and an older item known by name only.
        await app.ForInstallation(1, TokenScope.Review(42, "a")).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);
        await app.ForInstallation(1, TokenScope.Review(42, "a")).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);
        await app.ForInstallation(1, TokenScope.BranchCheck(42, "a")).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);
        await app.ForInstallation(1, TokenScope.Onboarding(42, "a")).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);
        await app.ForInstallation(1, TokenScope.Review(43, "b")).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);
        await app.ForInstallation(1, TokenScope.ReadContents(".github")).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);
        await app.ForInstallation(1, TokenScope.Review(null, "renamed")).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);

        var bodies = _github.Requests("POST", TokenPath).Select(e => System.Text.Json.Nodes.JsonNode.Parse(e.RequestMessage.Body!)!.ToJsonString()).ToList();
        Assert.Equal(
            [
                """{"repository_ids":[42],"permissions":{"contents":"read","pull_requests":"write","checks":"write","metadata":"read"}}""",
                """{"repository_ids":[42],"permissions":{"contents":"read","checks":"write","metadata":"read"}}""",
                """{"repository_ids":[42],"permissions":{"contents":"write","pull_requests":"write","metadata":"read"}}""",
                """{"repository_ids":[43],"permissions":{"contents":"read","pull_requests":"write","checks":"write","metadata":"read"}}""",
                """{"repositories":[".github"],"permissions":{"contents":"read","metadata":"read"}}""",
                """{"repositories":["renamed"],"permissions":{"contents":"read","pull_requests":"write","checks":"write","metadata":"read"}}""",
            ],
            bodies);
    }

    [Fact]
    public async Task A_refused_token_is_fetched_again_for_its_own_scope_only()
    {
        var app = App();
        var review = app.ForInstallation(1, TokenScope.Review(42, "a"));
        await review.ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);
        await app.ForInstallation(1, TokenScope.BranchCheck(42, "a")).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);
        _github.Once("GET", GitHubFake.RepoPath + "/pulls/2/comments", Response.Create().WithStatusCode(401).WithBody("""{"message":"Bad credentials"}"""));

        await review.ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);
        await app.ForInstallation(1, TokenScope.BranchCheck(42, "a")).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);

        // Two first fetches, and the review's again after its 401; the branch check's token stays cached.
        Assert.Equal(3, _github.Requests("POST", TokenPath).Count);
    }
}
