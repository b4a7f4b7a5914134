using System.Text.Json.Nodes;

namespace ReviewBot.Cli.Tests;

/// <summary>
/// No Dockerfile passes unread: symbolic links are followed within the tree, text without FROM fails, names match in
/// any case, and Dockerfiles that compose files and devcontainer.json name are judged. <c>reviewbot review</c> on real
/// git repositories and <c>reviewbot scan</c> on real folders.
/// </summary>
public sealed class GateNamesTests : IDisposable
{
    /// <summary>Runs as root (RB001): no USER on a root base.</summary>
    private const string RootDockerfile = "FROM debian:bookworm-slim\nRUN apt-get update\nCMD [\"/app/run\"]\n";

    private readonly TempGitRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    /// <summary>main has a README; the feature branch gets <paramref name="change"/>, committed.</summary>
    private void Branch(Action change)
    {
        _repo.Write("README.md", "hello\n");
        _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "feature");
        change();
        _repo.Commit("change");
    }

    private void Link(string path, string target)
    {
        var full = Path.Combine(_repo.Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
    }

    private async Task<(CliRun Run, JsonNode Check)> ReviewAsync()
    {
        var run = await Cli.RunAsync(_repo.Root, "review", "--format", "json");
        return (run, JsonNode.Parse(run.Out)!["check"]!);
    }

    [Fact]
    public async Task Review_judges_a_symlinked_dockerfile_by_its_target_and_names_the_link()
    {
        Branch(() =>
        {
            _repo.Write("docker/spec", RootDockerfile);
            Link("Dockerfile", "docker/spec");
        });
        Assert.StartsWith("120000", _repo.Git("ls-tree", "HEAD", "Dockerfile"), StringComparison.Ordinal);

        var (run, check) = await ReviewAsync();

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        var summary = check["summary"]!.GetValue<string>();
        Assert.Contains("`Dockerfile` is a symbolic link to `docker/spec`", summary, StringComparison.Ordinal);
        Assert.Contains("RB001", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("not an instruction", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside/Dockerfile", "outside the repository")]
    [InlineData("/etc/passwd", "outside the repository")]
    [InlineData("docker", "is a symbolic link to the folder `docker`")]
    [InlineData("missing/Dockerfile", "which is no file at the head")]
    [InlineData("Dockerfile", "is a chain of more than")]
    public async Task Review_fails_naming_a_link_that_leads_nowhere_it_can_judge(string target, string why)
    {
        Branch(() =>
        {
            _repo.Write("docker/Dockerfile.base", "FROM debian:bookworm-slim\nUSER 10001\n");
            Link("Dockerfile", target);
        });

        var (run, check) = await ReviewAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.NotEqual(ExitCodes.Success, run.ExitCode);
        var summary = check["summary"]!.GetValue<string>();
        Assert.Contains("`Dockerfile` ", summary, StringComparison.Ordinal);
        Assert.Contains(why, summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_fails_a_dockerfile_without_from()
    {
        Branch(() => _repo.Write("Dockerfile", "docker/spec"));

        var (run, check) = await ReviewAsync();

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("RB007", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_finds_a_lowercase_dockerfile()
    {
        Branch(() => _repo.Write("svc/dockerfile", RootDockerfile));

        var (run, check) = await ReviewAsync();

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("svc/dockerfile", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_judges_a_changed_dockerfile_that_compose_names_whatever_its_name()
    {
        _repo.Write("compose.yaml", "services:\n  app:\n    build:\n      context: docker\n      dockerfile: app.Containerfile\n  db:\n    image: postgres:16\n");
        _repo.Write("docker/app.Containerfile", "FROM debian:bookworm-slim\nUSER 10001\n");
        _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Write("docker/app.Containerfile", RootDockerfile);
        _repo.Commit("runs as root");

        var (run, check) = await ReviewAsync();

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("docker/app.Containerfile", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_judges_the_dockerfile_a_changed_devcontainer_json_names()
    {
        _repo.Write("build/web.docker", RootDockerfile);
        _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Write(".devcontainer/devcontainer.json", "{\n  // the dev image\n  \"name\": \"web\",\n  \"build\": { \"dockerfile\": \"../build/web.docker\", },\n}\n");
        _repo.Commit("dev container");

        var (run, check) = await ReviewAsync();

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("build/web.docker", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_of_a_text_without_from_exits_non_zero()
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", "docker/spec");

        var run = await Cli.RunAsync(temp.Root, "scan");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("RB007", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_finds_a_lowercase_dockerfile()
    {
        using var temp = new TempFolder();
        temp.Write("app/dockerfile", RootDockerfile);

        var run = await Cli.RunAsync(temp.Root, "scan");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("app/dockerfile", run.Out, StringComparison.Ordinal);
        Assert.Contains("RB001", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_follows_a_symlinked_dockerfile_inside_the_tree_and_refuses_one_leading_out()
    {
        using var outside = new TempFolder();
        outside.Write("Dockerfile", "FROM debian:bookworm-slim\nUSER 10001\n");
        using var temp = new TempFolder();
        temp.Write("docker/spec", RootDockerfile);
        File.CreateSymbolicLink(Path.Combine(temp.Root, "Dockerfile"), "docker/spec");

        var inside = await Cli.RunAsync(temp.Root, "scan");

        Assert.Equal(ExitCodes.Findings, inside.ExitCode);
        Assert.Contains("RB001", inside.Out, StringComparison.Ordinal);

        File.Delete(Path.Combine(temp.Root, "Dockerfile"));
        File.CreateSymbolicLink(Path.Combine(temp.Root, "Dockerfile"), Path.Combine(outside.Root, "Dockerfile"));

        var escaping = await Cli.RunAsync(temp.Root, "scan");

        Assert.Equal(ExitCodes.UsageOrReadError, escaping.ExitCode);
        Assert.Contains("Dockerfile: is a symbolic link to", escaping.Error, StringComparison.Ordinal);
        Assert.Contains("leads outside", escaping.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_judges_the_dockerfiles_compose_and_devcontainer_json_name()
    {
        using var temp = new TempFolder();
        temp.Write("deploy/docker-compose.prod.yml", "services:\n  api:\n    build:\n      context: ../src\n      dockerfile: api.image\n  web:\n    build: ../web\n");
        temp.Write("src/api.image", RootDockerfile);
        temp.Write("web/Dockerfile", "FROM debian:bookworm-slim\nUSER 10001\n");
        temp.Write(".devcontainer.json", "/* dev */ {\"build\": {\"dockerfile\": \"tools/dev.docker\"}}");
        temp.Write("tools/dev.docker", RootDockerfile);
        temp.Write("notes/other.docker", RootDockerfile);

        var run = await Cli.RunAsync(temp.Root, "scan", "--format", "json");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var paths = JsonNode.Parse(run.Out)!["files"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        // The compose file itself is judged too, by RB008 (what it runs the images as); notes/other.docker is named by nothing.
        Assert.Equal(["deploy/docker-compose.prod.yml", "src/api.image", "tools/dev.docker", "web/Dockerfile"], paths);
    }

    [Fact]
    public async Task Scan_names_a_compose_file_it_cannot_read()
    {
        using var temp = new TempFolder();
        temp.Write("compose.yaml", "services: [unclosed\n");

        var run = await Cli.RunAsync(temp.Root, "scan");

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.Contains("compose.yaml: is not valid YAML", run.Error, StringComparison.Ordinal);
    }
}
