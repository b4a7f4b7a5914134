using System.Text.Json.Nodes;

namespace ReviewBot.Cli.Tests.Commands;

/// <summary><c>--resolve-images</c>: offline unless asked; asked, base images ReviewBot does not know are read from their registries.</summary>
public sealed class ResolveImagesTests(RealRegistry registry) : IClassFixture<RealRegistry>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reviewbot-resolve-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static JsonObject Config(string user) => new()
    {
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["config"] = new JsonObject { ["User"] = user },
        ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
    };

    [Fact]
    public async Task Scan_reads_an_unknown_image_from_its_registry_only_when_asked()
    {
        await registry.PushImageAsync("golden/python", "3.12", Config("app"));
        File.WriteAllText(Path.Combine(_folder, "Dockerfile"), $"FROM {registry.Open}/golden/python:3.12\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n");

        var offline = await Cli.RunAsync(_folder, "scan", ".");
        var unlisted = await Cli.RunAsync(_folder, "scan", ".", "--resolve-images");
        var resolved = await Cli.RunAsync(_folder, "scan", ".", "--resolve-images", "--insecure-registry", registry.Open);

        Assert.Equal(1, offline.ExitCode);
        Assert.Contains("ReviewBot has no data for", offline.Out);
        Assert.Equal(1, unlisted.ExitCode);
        Assert.Contains("private, loopback or link-local", unlisted.Error); // loopback, not listed: never reached
        Assert.Equal(0, resolved.ExitCode);
        Assert.DoesNotContain("RB001", resolved.Out);
    }
}
