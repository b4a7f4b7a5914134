using System.Net;
using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReviewBot.App.Tests;

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
}
