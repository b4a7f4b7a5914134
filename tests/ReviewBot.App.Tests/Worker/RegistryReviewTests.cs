using System.Net;
using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReviewBot.App.Tests.Worker;

/// <summary>The App reads base images nothing else knows from their registries (Images:*), and a registry never fails a check by itself.</summary>
public sealed class RegistryReviewTests(RealRegistry registry) : IClassFixture<RealRegistry>, IDisposable
{
    private readonly GitHubFake _github = new();

    public void Dispose() => _github.Dispose();

    private static JsonObject Config(string user) => new()
    {
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["config"] = new JsonObject { ["User"] = user },
        ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
    };

    private Task<JsonNode> ReviewAsync(Dictionary<string, string?> settings, string text) => ReviewAsync(_github, settings, text);

    private static async Task<JsonNode> ReviewAsync(GitHubFake github, Dictionary<string, string?> settings, string text)
    {
        using var app = new AppHost(github, settings);
        github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(text)));
        github.StubContent("Dockerfile", GitHubFake.HeadSha, text);
        var response = await app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await github.WaitForCompletedCheckAsync();
    }

    [Fact]
    public async Task A_golden_image_read_from_its_registry_passes_the_check()
    {
        await registry.PushImageAsync("golden/python", "3.12", Config("app"));
        string text = $"FROM {registry.Open}/golden/python:3.12\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n";

        var check = await ReviewAsync(new() { ["Images:Resolve"] = "true", ["Images:Registries:0"] = registry.Open, ["Images:InsecureRegistries:0"] = registry.Open }, text);

        Assert.Equal("success", check["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_registry_the_App_may_not_reach_is_not_asked_and_the_verdict_falls_back_with_a_note()
    {
        string text = "FROM 169.254.169.254/latest/meta-data:1\nCMD x\n";

        var check = await ReviewAsync(new() { ["Images:Resolve"] = "true" }, text);

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        var summary = check["output"]!["summary"]!.GetValue<string>() + check["output"]!["text"]?.GetValue<string>();
        Assert.Contains("169.254.169.254/latest/meta-data:1", summary);
        Assert.Contains("could not be read from its registry", summary);
    }

    [Fact]
    public async Task The_organisations_github_repository_declares_its_golden_images_for_every_repository()
    {
        const string Text = "FROM registry.acme.io/golden/python:3.12\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n";
        Assert.Equal("failure", (await ReviewAsync([], Text))["conclusion"]!.GetValue<string>());
        using var organisation = new GitHubFake();
        organisation.Server.Given(Request.Create().WithPath($"{GitHubFake.Api}/repos/{GitHubFake.Owner}/.github/contents/.github/reviewbot.yml").WithParam("ref", "HEAD").UsingGet())
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.github.raw")
                .WithBody("images:\n  - { match: 'registry.acme.io/golden/*', user: app, distro: debian }\n"));

        var check = await ReviewAsync(organisation, [], Text);

        Assert.Equal("success", check["conclusion"]!.GetValue<string>());
    }

    /// <summary>The token-flow registry standing in for ghcr.io; its token endpoint plays ghcr.io's.</summary>
    private Dictionary<string, string?> GitHubRegistrySettings() => new()
    {
        ["Images:Resolve"] = "true",
        ["Images:Registries:0"] = registry.Token,
        ["Images:InsecureRegistries:0"] = registry.Token,
        ["Images:InsecureRegistries:1"] = registry.Realm,
        ["Images:GitHubContainerRegistry"] = registry.Token,
    };

    private static string InstallationBasic(string token) => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"x-access-token:{token}"));

    /// <summary>The Authorization header of every token request for <paramref name="repository"/> (null: none).</summary>
    private List<string?> TokenAuthorizations(string repository) =>
        [.. registry.TokenServer.LogEntries
            .Where(e => e.RequestMessage.Path == "/token" && e.RequestMessage.RawQuery?.Contains(Uri.EscapeDataString($"repository:{repository}:pull"), StringComparison.Ordinal) == true)
            .Select(e => e.RequestMessage.Headers?.TryGetValue("Authorization", out var values) == true ? values.First() : null)];

    [Theory]
    [InlineData("read")]
    [InlineData(null)]
    public async Task The_installations_private_image_on_GitHubs_registry_is_read_with_its_token_when_the_App_may_read_packages(string? packages)
    {
        // The installation is on Codertocat's account; registries name repositories in lower case.
        string repository = $"codertocat/golden-{packages ?? "none"}";
        await registry.PushImageAsync(repository, "1", Config("app"));
        registry.ServeToken(repository, basicAuth: "x-access-token:ghs_token1"); // private: only the installation's token gets in
        if (packages is not null)
        {
            _github.StubToken("ghs_token1", priority: 40, ("packages", packages));
        }

        var check = await ReviewAsync(GitHubRegistrySettings(), $"FROM {registry.Token}/{repository}:1\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n");

        Assert.Equal(packages is null ? "failure" : "success", check["conclusion"]!.GetValue<string>());
        var sent = TokenAuthorizations(repository);
        Assert.NotEmpty(sent);
        Assert.All(sent, a => Assert.Equal(packages is null ? null : InstallationBasic("ghs_token1"), a));
    }

    [Fact]
    public async Task Another_owners_image_on_GitHubs_registry_never_gets_the_installations_token()
    {
        await registry.PushImageAsync("other-org/golden", "1", Config("app"));
        registry.ServeToken("other-org/golden", basicAuth: "x-access-token:ghs_token1");
        _github.StubToken("ghs_token1", priority: 40, ("packages", "read"));

        var check = await ReviewAsync(GitHubRegistrySettings(), $"FROM {registry.Token}/other-org/golden:1\nCMD x\n");

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        var sent = TokenAuthorizations("other-org/golden");
        Assert.NotEmpty(sent);
        Assert.All(sent, Assert.Null);
    }
}
