using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.App.Azure;
using ReviewBot.Registry;

namespace ReviewBot.App.Tests.Azure;

/// <summary>
/// Two replicas on one state store (Azurite) read a base image from its registry (Debian's docker-registry) once:
/// the first review's answer is in the store's images table, and the second review, on the other replica, works from it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SharedImageCacheTests(AzuriteFixture azurite, RealRegistry registry) : IClassFixture<RealRegistry>, IDisposable
{
    private readonly GitHubFake _github = new();
    private readonly string _tablePrefix = AzuriteFixture.UniqueName("images");

    public void Dispose() => _github.Dispose();

    private Dictionary<string, string?> Settings() => new()
    {
        ["State:Provider"] = AzureTableStateOptions.ProviderName,
        ["State:ConnectionString"] = azurite.ConnectionString,
        ["State:TablePrefix"] = _tablePrefix,
        ["Images:Resolve"] = "true",
        ["Images:Registries:0"] = registry.Open,
        ["Images:InsecureRegistries:0"] = registry.Open,
    };

    /// <summary>A replica whose registry requests go to <paramref name="log"/>.</summary>
    private AppHost Replica(RequestLog log) =>
        new(_github, Settings(), services => services.AddHttpClient(RegistryServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(log.Handler));

    [Fact]
    public async Task Two_replicas_read_an_image_from_its_registry_once()
    {
        await registry.PushImageAsync("shared/golden", "1", new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["User"] = "app" },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
        });
        string text = $"FROM {registry.Open}/shared/golden:1\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n";
        _github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(text)));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, text);
        var (one, two) = (new RequestLog(), new RequestLog());

        await using (var first = Replica(one))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await first.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
            Assert.Equal("success", (await _github.WaitForCompletedCheckAsync())["conclusion"]!.GetValue<string>());
        }

        // Another process: its memory knows nothing. A re-request always runs a review.
        await using (var second = Replica(two))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await second.PostWebhookAsync("check_suite", AppHost.Payload("check_suite.rerequested"))).StatusCode);
            Assert.Equal("success", (await _github.WaitForCompletedCheckAsync(count: 2))["conclusion"]!.GetValue<string>());
        }

        Assert.Equal(1, one.Count("/manifests/"));
        Assert.Equal(1, one.Count("/blobs/"));
        Assert.Empty(two.Requests);
    }
}
