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

        await App().ForInstallation(1).ListReviewCommentsAsync(GitHubFake.Owner, GitHubFake.Repo, GitHubFake.Number, default);

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
    }
}
