using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Registry.Tests;

/// <summary>Reading what base images run as from a real registry (Debian's docker-registry on loopback).</summary>
public sealed class ImageResolverTests(RealRegistry registry, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RealRegistry>
{
    private static JsonObject Config(string? user, string os = "linux", string arch = "amd64", string? baseName = null, params string[] env)
    {
        var config = new JsonObject { ["Env"] = new JsonArray([.. env.Select(e => (JsonNode)e!)]) };
        if (user is not null)
        {
            config["User"] = user;
        }

        if (baseName is not null)
        {
            config["Labels"] = new JsonObject { [RegistryImageConfig.BaseNameLabel] = baseName };
        }

        return new JsonObject
        {
            ["architecture"] = arch,
            ["os"] = os,
            ["config"] = config,
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
        };
    }

    private RegistryOptions Options(Func<RegistryOptions, RegistryOptions>? change = null)
    {
        var options = new RegistryOptions
        {
            Registries = [registry.Open, registry.Token],
            // The token endpoint is on loopback too, so it is listed; the policy checks every connection, the realm's included.
            InsecureRegistries = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, registry.Open, registry.Token, registry.Realm),
        };
        return change?.Invoke(options) ?? options;
    }

    private static ImageResolver Resolver(RegistryOptions options, RequestLog? log = null) => Provider(options, log).GetRequiredService<ImageResolver>();

    /// <summary>The registration the App and the CLI use; <paramref name="log"/> sees every request the client sends.</summary>
    private static ServiceProvider Provider(RegistryOptions options, RequestLog? log = null)
    {
        var services = new ServiceCollection();
        services.AddRegistryClient(_ => options);
        if (log is not null)
        {
            services.AddHttpClient(RegistryServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(log.Handler);
        }

        return services.BuildServiceProvider();
    }

    private static async Task<(ImageResolution Resolution, AnalysisResult Result)> ReviewAsync(RegistryOptions options, string dockerfile)
    {
        var resolution = await Resolver(options).ResolveAsync([dockerfile], ImageFacts.None, CancellationToken.None);
        return (resolution, DockerfileAnalyzer.Analyze(dockerfile, new AnalyzerOptions { Images = resolution.Facts }));
    }

    [Fact]
    public async Task A_config_with_a_user_runs_as_that_user()
    {
        await registry.PushImageAsync("golden/python", "3.12", Config("app", baseName: "docker.io/library/debian:bookworm"));
        string dockerfile = $"FROM {registry.Open}/golden/python:3.12\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n";
        Assert.Contains(DockerfileAnalyzer.Analyze(dockerfile).Findings, f => f.RuleId == "RB001");

        var (resolution, result) = await ReviewAsync(Options(), dockerfile);

        Assert.Empty(resolution.Notices);
        Assert.Equal(1, resolution.Resolved);
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001");
    }

    [Fact]
    public async Task A_config_with_an_empty_user_runs_as_root_and_its_base_gives_the_distro()
    {
        await registry.PushImageAsync("golden/root", "1", Config(null, baseName: "docker.io/library/alpine:3.20"));
        string dockerfile = $"FROM {registry.Open}/golden/root:1\nCMD x\n";

        var (resolution, result) = await ReviewAsync(Options(), dockerfile);

        Assert.Empty(resolution.Notices);
        var finding = Assert.Single(result.Findings, f => f.RuleId == "RB001");
        Assert.Contains("runs as root by default", finding.Message);
        Assert.Contains("addgroup", finding.Fix!.Edits.Select(e => e.NewText).First(t => t.Contains("RUN", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_index_gives_the_platforms_image()
    {
        var amd = await registry.PushImageAsync("multi/app", null, Config("amd"));
        var arm = await registry.PushImageAsync("multi/app", null, Config("", arch: "arm64"));
        await registry.PushIndexAsync("multi/app", "1", (amd, "linux/amd64"), (arm, "linux/arm64"));
        string image = $"{registry.Open}/multi/app:1";

        var (_, byDefault) = await ReviewAsync(Options(), $"FROM {image}\nCMD x\n");
        var (_, arm64) = await ReviewAsync(Options(), $"FROM --platform=linux/arm64 {image}\nCMD x\n");
        var (_, configured) = await ReviewAsync(Options(o => o with { DefaultPlatform = "linux/arm64" }), $"FROM {image}\nCMD x\n");
        var (missing, _) = await ReviewAsync(Options(), $"FROM --platform=linux/s390x {image}\nCMD x\n");

        Assert.DoesNotContain(byDefault.Findings, f => f.RuleId == "RB001");
        Assert.Contains(arm64.Findings, f => f.RuleId == "RB001");
        Assert.Contains(configured.Findings, f => f.RuleId == "RB001");
        Assert.Contains("linux/s390x", Assert.Single(missing.Notices));
    }

    [Fact]
    public async Task A_digest_pin_is_read_by_digest()
    {
        var digest = await registry.PushImageAsync("pinned/app", "moving", Config("svc"));
        await registry.PushImageAsync("pinned/app", "moving", Config("")); // the tag moves on; the digest does not

        var (resolution, result) = await ReviewAsync(Options(), $"FROM {registry.Open}/pinned/app@{digest}\nCMD x\n");
        var (_, byTag) = await ReviewAsync(Options(), $"FROM {registry.Open}/pinned/app:moving\nCMD x\n");

        Assert.Empty(resolution.Notices);
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001");
        Assert.Contains(byTag.Findings, f => f.RuleId == "RB001");
    }

    [Fact]
    public async Task The_token_flow_is_followed_anonymously()
    {
        await registry.PushImageAsync("private/app", "1", Config("1000:1000"));
        registry.ServeToken("private/app");
        using var direct = await registry.Http.GetAsync(new Uri($"http://{registry.Token}/v2/private/app/manifests/1"));
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode); // the registry really wants a token

        var (resolution, result) = await ReviewAsync(Options(), $"FROM {registry.Token}/private/app:1\nCMD x\n");

        Assert.True(resolution.Notices.IsEmpty, string.Join("\n", resolution.Notices));
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001");
        Assert.Contains(registry.TokenServer.LogEntries, e => e.RequestMessage.Path == "/token");
    }

    [Fact]
    public async Task An_unreachable_registry_falls_back_within_its_budget_with_a_notice()
    {
        // A port that accepts and never answers: the worst case, bounded by the per-image budget.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        string host = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var options = Options(o => o with
        {
            Registries = [host],
            InsecureRegistries = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, host),
            PerImageTimeout = TimeSpan.FromSeconds(1),
        });
        string dockerfile = $"FROM {host}/golden/python:3.12\nCMD x\n";

        var watch = Stopwatch.StartNew();
        var (resolution, result) = await ReviewAsync(options, dockerfile);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Contains($"{host}/golden/python:3.12", Assert.Single(resolution.Notices));
        var finding = Assert.Single(result.Findings, f => f.RuleId == "RB001");
        Assert.Contains("ReviewBot has no data", finding.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_loopback_registry_not_listed_is_never_reached(bool anyHost)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();
        // anyHost: the CLI (any registry, but no private address unless listed); else the App's allow-list.
        var options = new RegistryOptions { Registries = anyHost ? null : RegistryOptions.PublicRegistries.ToImmutableHashSet() };

        var (resolution, _) = await ReviewAsync(options, $"FROM 127.0.0.1:{port}/x:1\nFROM 169.254.169.254/latest/meta-data:1\nCMD x\n");

        Assert.Equal(2, resolution.Notices.Length);
        Assert.All(resolution.Notices, n => Assert.Contains(anyHost ? "private, loopback or link-local" : "not a registry ReviewBot may read", n));
        await Task.Delay(200);
        Assert.False(accepted.IsCompleted, "a connection reached the loopback port");
    }

    [Fact]
    public async Task A_second_review_reads_from_the_cache()
    {
        await registry.PushImageAsync("cached/app", "1", Config("app"));
        var services = new ServiceCollection();
        services.AddRegistryClient(_ => Options());
        using var provider = services.BuildServiceProvider();
        string dockerfile = $"FROM {registry.Open}/cached/app:1\nCMD x\n";

        await registry.PushImageAsync("cached/warmup", "1", Config("app"));
        var first = await provider.GetRequiredService<ImageResolver>().ResolveAsync([$"FROM {registry.Open}/cached/warmup:1\n"], ImageFacts.None, CancellationToken.None);
        var cold = await provider.GetRequiredService<ImageResolver>().ResolveAsync([dockerfile], ImageFacts.None, CancellationToken.None);
        await registry.PushImageAsync("cached/app", "1", Config("")); // within the tag's time, the cached answer stands
        var warm = await provider.GetRequiredService<ImageResolver>().ResolveAsync([dockerfile], ImageFacts.None, CancellationToken.None);

        Assert.Equal(cold.Facts.Resolved.Values.Single(), warm.Facts.Resolved.Values.Single());
        output.WriteLine($"resolving one image: first in the process {first.Elapsed.TotalMilliseconds:0.0} ms, cold {cold.Elapsed.TotalMilliseconds:0.0} ms, cached {warm.Elapsed.TotalMilliseconds:0.0} ms");
    }

    [Fact]
    public async Task A_tag_read_again_costs_its_manifest_and_the_digests_config_comes_from_the_cache()
    {
        await registry.PushImageAsync("cached/digest", "1", Config("app"));
        var log = new RequestLog();
        using var provider = Provider(Options(o => o with { TagTtl = TimeSpan.Zero }), log); // the tag's answer is stale at once
        string dockerfile = $"FROM {registry.Open}/cached/digest:1\nCMD x\n";

        var first = await provider.GetRequiredService<ImageResolver>().ResolveAsync([dockerfile], ImageFacts.None, CancellationToken.None);
        var second = await provider.GetRequiredService<ImageResolver>().ResolveAsync([dockerfile], ImageFacts.None, CancellationToken.None);

        Assert.Equal(1, second.Resolved);
        Assert.Equal(first.Facts.Resolved.Values.Single(), second.Facts.Resolved.Values.Single());
        Assert.Equal(2, log.Count("/manifests/")); // the tag is asked again: it may have moved
        Assert.Equal(1, log.Count("/blobs/"));     // its digest has not, so its config is not read again
        output.WriteLine($"resolving one image, memory cache: cold {first.Elapsed.TotalMilliseconds:0.0} ms, tag re-read with the digest's config cached {second.Elapsed.TotalMilliseconds:0.0} ms");
    }

    [Fact]
    public async Task A_digest_pin_read_once_is_never_read_again()
    {
        var digest = await registry.PushImageAsync("cached/pinned", null, Config("app"));
        var log = new RequestLog();
        using var provider = Provider(Options(o => o with { TagTtl = TimeSpan.Zero }), log);
        string dockerfile = $"FROM {registry.Open}/cached/pinned@{digest}\nCMD x\n";

        await provider.GetRequiredService<ImageResolver>().ResolveAsync([dockerfile], ImageFacts.None, CancellationToken.None);
        var again = await provider.GetRequiredService<ImageResolver>().ResolveAsync([dockerfile], ImageFacts.None, CancellationToken.None);

        Assert.Equal(1, again.Resolved);
        Assert.Equal(1, log.Count("/manifests/"));
    }

    /// <summary>The token registry stands in for ghcr.io: it is the GitHub container registry these options name.</summary>
    private RegistryOptions GitHubRegistry() => Options(o => o with { GitHubContainerRegistry = registry.Token });

    private const string InstallationToken = "ghs_installation_token_for_tests";

    private static string BasicAuthorization => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{GitHubPackagesAccess.UserName}:{InstallationToken}"));

    /// <summary>The Authorization headers the token endpoint received for <paramref name="repository"/>.</summary>
    private List<string?> TokenRequests(string repository) =>
        [.. registry.TokenServer.LogEntries
            .Where(e => e.RequestMessage.Path == "/token" && e.RequestMessage.RawQuery?.Contains(Uri.EscapeDataString($"repository:{repository}:pull"), StringComparison.Ordinal) == true)
            .Select(e => e.RequestMessage.Headers?.TryGetValue("Authorization", out var values) == true ? values.First() : null)];

    [Fact]
    public async Task The_installations_own_private_image_on_GitHubs_registry_is_read_with_the_installation_token()
    {
        await registry.PushImageAsync("acme-corp/golden", "1", Config("app"));
        registry.ServeToken("acme-corp/golden", basicAuth: $"{GitHubPackagesAccess.UserName}:{InstallationToken}");
        using var provider = Provider(GitHubRegistry());
        int asked = 0;
        var packages = new GitHubPackagesAccess("Acme-Corp", _ => { asked++; return Task.FromResult<string?>(InstallationToken); });
        string dockerfile = $"FROM {registry.Token}/acme-corp/golden:1\nCMD x\n";

        var resolution = await provider.GetRequiredService<ImageResolver>().ResolveAsync([dockerfile], ImageFacts.None, CancellationToken.None, packages);
        var anonymous = await provider.GetRequiredService<ImageResolver>().ResolveAsync([dockerfile], ImageFacts.None, CancellationToken.None);

        Assert.True(resolution.Notices.IsEmpty, string.Join("\n", resolution.Notices));
        Assert.Equal(1, resolution.Resolved);
        Assert.Equal(1, asked);
        Assert.Contains(BasicAuthorization, TokenRequests("acme-corp/golden"));
        // What the token read is the installation's: a review without it neither gets it from the cache nor from the registry.
        Assert.Equal(0, anonymous.Resolved);
        Assert.Contains("token endpoint answered 404 (anonymous)", Assert.Single(anonymous.Notices));
    }

    [Fact]
    public async Task Another_owners_image_and_another_hosts_image_never_get_the_installation_token()
    {
        await registry.PushImageAsync("other-org/golden", "1", Config("app"));
        await registry.PushImageAsync("acme-corp/elsewhere", "1", Config("app"));
        registry.ServeToken("other-org/golden");
        registry.ServeToken("acme-corp/elsewhere");
        int asked = 0;
        var packages = new GitHubPackagesAccess("acme-corp", _ => { asked++; return Task.FromResult<string?>(InstallationToken); });

        // Another owner on GitHub's registry; then the owner's own namespace on a host that is not GitHub's registry.
        var other = await Resolver(GitHubRegistry()).ResolveAsync([$"FROM {registry.Token}/other-org/golden:1\n"], ImageFacts.None, CancellationToken.None, packages);
        var elsewhere = await Resolver(Options()).ResolveAsync([$"FROM {registry.Token}/acme-corp/elsewhere:1\n"], ImageFacts.None, CancellationToken.None, packages);

        Assert.Equal(1, other.Resolved);
        Assert.Equal(1, elsewhere.Resolved);
        Assert.Equal(0, asked);
        Assert.All(TokenRequests("other-org/golden").Concat(TokenRequests("acme-corp/elsewhere")), Assert.Null);
        Assert.NotEmpty(TokenRequests("other-org/golden"));
    }

    [Fact]
    public async Task A_token_without_packages_read_leaves_the_image_read_anonymously()
    {
        await registry.PushImageAsync("acme-corp/public", "1", Config("app"));
        registry.ServeToken("acme-corp/public");
        var packages = new GitHubPackagesAccess("acme-corp", _ => Task.FromResult<string?>(null));

        var resolution = await Resolver(GitHubRegistry()).ResolveAsync([$"FROM {registry.Token}/acme-corp/public:1\n"], ImageFacts.None, CancellationToken.None, packages);

        Assert.Equal(1, resolution.Resolved);
        Assert.All(TokenRequests("acme-corp/public"), Assert.Null);
    }

    [Fact]
    public async Task Images_the_table_or_the_config_knows_cost_no_request()
    {
        var resolver = Resolver(new RegistryOptions { Registries = [] });
        var declared = new ImageFacts { Declarations = [new ImageDeclaration("registry.acme.io/golden/*", "app")] };

        var resolution = await resolver.ResolveAsync(["FROM debian:bookworm\nFROM registry.acme.io/golden/python:3.12\nFROM scratch\n"], declared, CancellationToken.None);

        Assert.Equal(0, resolution.Requested);
        Assert.Empty(resolution.Notices);
    }

    [Fact]
    public async Task At_most_N_images_are_read_per_review()
    {
        var resolver = Resolver(Options(o => o with { MaxImagesPerReview = 1 }));
        var resolution = await resolver.ResolveAsync([$"FROM {registry.Open}/a/b:1\nFROM {registry.Open}/c/d:1\n"], ImageFacts.None, CancellationToken.None);

        Assert.Equal(1, resolution.Requested);
        Assert.Contains(resolution.Notices, n => n.Contains("only the first 1", StringComparison.Ordinal));
    }
}
