using System.Text.RegularExpressions;
using ReviewBot.Analysis;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Cli.Tests.Shipping;

/// <summary>.pre-commit-hooks.yaml: hooks that run `reviewbot scan` on exactly the files reviewbot calls Dockerfiles.</summary>
public class PreCommitHookTests
{
    private static readonly IReadOnlyList<YamlMappingNode> Hooks = LoadHooks();

    [Theory]
    [InlineData("Dockerfile")]
    [InlineData("deploy/Dockerfile")]
    [InlineData("Dockerfile.prod")]
    [InlineData("a/b/Dockerfile.dev.arm64")]
    [InlineData("api.Dockerfile")]
    [InlineData("svc/web.dockerfile")]
    [InlineData("Containerfile")]
    [InlineData("x/Containerfile.ci")]
    [InlineData("Dockerfile.")]
    [InlineData(".Dockerfile")]
    [InlineData("Dockerfile/readme.md")]
    [InlineData("DockerfileParser.cs")]
    [InlineData("src/dockerfile")]
    [InlineData("notes.DOCKERFILE")]
    [InlineData("Dockerfiles/app.txt")]
    [InlineData("my-Containerfile")]
    [InlineData("DOCKERFILE")]
    [InlineData("x/containerfile.ci")]
    public void Every_hook_picks_the_files_reviewbot_calls_dockerfiles(string path)
    {
        foreach (var hook in Hooks)
        {
            // pre-commit matches `files` with Python's re.search against the path, / separated.
            var files = new Regex(Value(hook, "files"));
            Assert.True(files.IsMatch(path) == DockerfileNames.IsDockerfile(path), $"hook {Value(hook, "id")}: '{path}'");
        }
    }

    [Fact]
    public void The_hooks_run_reviewbot_scan_built_from_this_repository_or_from_path()
    {
        Assert.Equal(["reviewbot", "reviewbot-system"], Hooks.Select(h => Value(h, "id")));
        Assert.All(Hooks, h => Assert.Equal("reviewbot scan", Value(h, "entry")));
        // language dotnet: pre-commit packs the repository and installs the package it made as a tool, whose command is reviewbot.
        Assert.Equal("dotnet", Value(Hooks[0], "language"));
        Assert.Equal("system", Value(Hooks[1], "language"));
    }

    [Fact]
    public void Packing_the_solution_makes_only_the_reviewbot_tool()
    {
        // pre-commit's dotnet language runs `dotnet pack` at the root and installs EVERY package it made as a tool,
        // so a library package in the solution would break the hook's install.
        var projects = RepositoryFiles.Run("dotnet", RepositoryFiles.Root, null, "sln", "ReviewBot.sln", "list");
        Assert.True(projects.ExitCode == 0, projects.ToString());
        var packable = projects.Out.Split('\n', StringSplitOptions.TrimEntries)
            .Where(l => l.EndsWith(".csproj", StringComparison.Ordinal))
            .Where(p =>
            {
                var run = RepositoryFiles.Run("dotnet", RepositoryFiles.Root, null, "msbuild", p, "-getProperty:IsPackable", "-nologo");
                Assert.True(run.ExitCode == 0, run.ToString());
                return run.Out.Trim() == "true";
            })
            .Select(p => Path.GetFileName(p))
            .ToList();

        Assert.Equal(["ReviewBot.Cli.csproj"], packable);
    }

    private static string Value(YamlMappingNode hook, string key) =>
        hook.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { } value } ? value : "";

    private static List<YamlMappingNode> LoadHooks()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(RepositoryFiles.PathOf(".pre-commit-hooks.yaml"))));
        return [.. ((YamlSequenceNode)stream.Documents[0].RootNode).Children.Cast<YamlMappingNode>()];
    }
}
