using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Auth;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>GET /installation/repositories, which onboarding's fan-out pages through: the installation's token, 100 a page, fitting GitHub's REST description.</summary>
public sealed class InstallationRepositoriesTests : IDisposable
{
    private readonly GitHubFake _github = new();

    public void Dispose() => _github.Dispose();

    [OpenApiFact]
    public async Task Pages_of_the_installations_repositories_are_read_with_its_token_until_total_count()
    {
        _github.StubJson("POST", "/api/v3/app/installations/7/access_tokens", """{"token":"ghs_inst7","expires_at":"2099-01-01T00:00:00Z"}""", 201);
        for (int page = 1; page <= 3; page++)
        {
            var repositories = new JsonArray([.. Enumerable.Range((page - 1) * 100, page == 3 ? 50 : 100).Select(i => (JsonNode)new JsonObject { ["id"] = i, ["name"] = $"r{i}", ["full_name"] = $"acme/r{i}" })]);
            _github.Server.Given(Request.Create().WithPath("/api/v3/installation/repositories").WithParam("page", page.ToString()).UsingGet())
                .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                    .WithBody(new JsonObject { ["total_count"] = 250, ["repository_selection"] = "all", ["repositories"] = repositories }.ToJsonString()));
        }

        var client = _github.Clients.ForApp("12345", new PemRs256Signer(RSA.Create(2048).ExportRSAPrivateKeyPem())).ForInstallation(7, TokenScope.Installation);
        var pages = new List<InstallationRepositoryPage>();
        for (int page = 1; pages.Count == 0 || pages[^1].More; page++)
        {
            pages.Add(await client.ListRepositoriesPageAsync(page, default));
        }

        Assert.Equal([100, 100, 50], pages.Select(p => p.FullNames.Count));
        Assert.Equal([true, true, false], pages.Select(p => p.More));
        Assert.Equal("acme/r249", pages[2].FullNames[^1]);
        var reads = _github.Requests("GET", "/api/v3/installation/repositories");
        Assert.All(reads, r => Assert.Equal("token ghs_inst7", r.RequestMessage.Headers!["Authorization"].Single(), ignoreCase: true));
        var problems = _github.Server.LogEntries.SelectMany(OpenApiSpec.Load().Check).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task An_empty_page_ends_the_list_whatever_total_count_says()
    {
        _github.StubJson("POST", "/api/v3/app/installations/7/access_tokens", """{"token":"ghs_inst7","expires_at":"2099-01-01T00:00:00Z"}""", 201);
        _github.StubJson("GET", "/api/v3/installation/repositories", """{"total_count":1000,"repositories":[]}""");

        var page = await _github.Clients.ForApp("12345", new PemRs256Signer(RSA.Create(2048).ExportRSAPrivateKeyPem())).ForInstallation(7, TokenScope.Installation).ListRepositoriesPageAsync(4, default);

        Assert.Equal((0, false), (page.FullNames.Count, page.More));
    }
}
