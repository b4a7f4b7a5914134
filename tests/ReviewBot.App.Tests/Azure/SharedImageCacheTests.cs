using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Azure.Data.Tables;
using ReviewBot.Analysis.Images;
using ReviewBot.App.Azure;
using ReviewBot.Registry;

namespace ReviewBot.App.Tests.Azure;

/// <summary>
/// Two replicas on one state store (Azurite) read a base image from its registry (Debian's docker-registry) once:
/// the first review's answer is in the store's images table, and the second review, on the other replica, works from it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SharedImageCacheTests(AzuriteFixture azurite, RealRegistry registry, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RealRegistry>, IDisposable
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

    /// <summary>One replica's resolver on the shared table, with its own memory, HTTP pipeline and request log.</summary>
    private ImageResolver ReplicaResolver(RequestLog log, TimeSpan later = default)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IImageConfigCache>(new AzureTableImageConfigCache(
            new TableServiceClient(azurite.ConnectionString), new AzureTableStateOptions { ConnectionString = "unused", TablePrefix = _tablePrefix }, new Later(later)));
        services.AddRegistryClient(_ => new RegistryOptions
        {
            Registries = [registry.Open],
            InsecureRegistries = System.Collections.Immutable.ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, registry.Open),
        });
        services.AddHttpClient(RegistryServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(log.Handler);
        return services.BuildServiceProvider().GetRequiredService<ImageResolver>();
    }

    [Fact]
    public async Task The_table_keeps_a_digests_config_for_good_and_a_tags_digest_for_its_time()
    {
        await registry.PushImageAsync("shared/table", "1", new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["User"] = "app", ["Env"] = new JsonArray("APP_UID=1654", "PATH=/usr/bin") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
        });
        string[] dockerfile = [$"FROM {registry.Open}/shared/table:1\nCMD x\n"];
        var (one, two, three) = (new RequestLog(), new RequestLog(), new RequestLog());

        var cold = await ReplicaResolver(one).ResolveAsync(dockerfile, ImageFacts.None, CancellationToken.None);
        var stored = await ReplicaResolver(two).ResolveAsync(dockerfile, ImageFacts.None, CancellationToken.None);
        var stale = await ReplicaResolver(three, later: RegistryOptions.DefaultTagTtl + TimeSpan.FromMinutes(1)).ResolveAsync(dockerfile, ImageFacts.None, CancellationToken.None);

        var config = cold.Facts.Resolved.Values.Single();
        Assert.All([stored, stale], r =>
        {
            // The whole config from the table, its environment included (ImmutableArray compares by reference).
            var read = r.Facts.Resolved.Values.Single();
            Assert.Equal(config with { Env = [] }, read with { Env = [] });
            Assert.Equal("APP_UID=1654|PATH=/usr/bin", string.Join('|', read.Env));
        });
        Assert.Equal(2, one.Count("/manifests/") + one.Count("/blobs/"));
        Assert.Empty(two.Requests);
        Assert.Equal(1, three.Count("/manifests/")); // the tag's digest is past its time: asked again
        Assert.Equal(0, three.Count("/blobs/"));     // the digest did not move: its config is the table's
        output.WriteLine($"resolving one image with the Azure table (Azurite) as the cache: cold {cold.Elapsed.TotalMilliseconds:0.0} ms, from the table on another replica {stored.Elapsed.TotalMilliseconds:0.0} ms, tag re-read with the digest's config from the table {stale.Elapsed.TotalMilliseconds:0.0} ms");
    }

    /// <summary>The clock of a replica running <paramref name="later"/> after now.</summary>
    private sealed class Later(TimeSpan later) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + later;
    }
}
