using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Cli.Tests.Shipping;

/// <summary>
/// action.yml's review step, run by bash as a runner would: its env filled in from the inputs (their defaults, or what a
/// workflow's with: says), and a stand-in reviewbot that writes down the arguments it was given.
/// </summary>
public sealed partial class ActionReviewStepTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reviewbot-action-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static YamlMappingNode Action()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(RepositoryFiles.PathOf("action.yml"))));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    /// <summary>What reviewbot was called with when the workflow says <paramref name="with"/>.</summary>
    private List<string> ReviewbotArguments(Dictionary<string, string> with)
    {
        var action = Action();
        var inputs = ((YamlMappingNode)action["inputs"]).Children.ToDictionary(
            i => ((YamlScalarNode)i.Key).Value!,
            i => ((YamlMappingNode)i.Value).Children.TryGetValue("default", out var d) ? ((YamlScalarNode)d).Value ?? "" : "");
        foreach (var (name, value) in with)
        {
            Assert.True(inputs.ContainsKey(name), $"action.yml has no input {name}");
            inputs[name] = value;
        }

        var step = ((YamlSequenceNode)((YamlMappingNode)action["runs"])["steps"]).Cast<YamlMappingNode>()
            .Single(s => s.Children.TryGetValue("name", out var n) && ((YamlScalarNode)n).Value == "Review the pull request");
        var fake = Path.Combine(_dir, "reviewbot");
        var argsFile = Path.Combine(_dir, "args");
        File.WriteAllText(fake, $"#!/bin/bash\nprintf '%s\\n' \"$@\" > '{argsFile}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var context = new Dictionary<string, string>
        {
            ["steps.install.outputs.path"] = fake,
            ["github.event.pull_request.base.sha"] = "base0",
            ["github.event.pull_request.head.sha"] = "head0",
            ["github.workspace"] = _dir,
        };
        var environment = new Dictionary<string, string> { ["GITHUB_WORKSPACE"] = _dir };
        foreach (var (key, value) in ((YamlMappingNode)step["env"]).Children)
        {
            environment[((YamlScalarNode)key).Value!] = ExpressionRegex().Replace(((YamlScalarNode)value).Value!, m =>
            {
                string expression = m.Groups["e"].Value;
                return expression.StartsWith("inputs.", StringComparison.Ordinal) ? inputs[expression["inputs.".Length..]] : context.GetValueOrDefault(expression, "");
            });
        }

        var run = RepositoryFiles.Run("bash", _dir, environment, "-e", "-c", ((YamlScalarNode)step["run"]).Value!);
        Assert.True(run.ExitCode == 0, run.ToString());
        return [.. File.ReadAllLines(argsFile)];
    }

    [Fact]
    public void By_default_the_action_reviews_offline()
    {
        Assert.Equal("false", ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)Action()["inputs"])["resolve-images"])["default"]).Value);

        var args = ReviewbotArguments([]);

        Assert.Equal(["review", "--github-pr", "--repo", _dir, "--base", "base0", "--head", "head0"], args);
    }

    [Fact]
    public void Resolve_images_true_passes_resolve_images_to_reviewbot()
    {
        var args = ReviewbotArguments(new() { ["resolve-images"] = "true" });

        Assert.Contains("--resolve-images", args);
        Assert.Equal("review", args[0]);
    }

    [GeneratedRegex(@"\$\{\{\s*(?<e>[^}]+?)\s*\}\}")]
    private static partial Regex ExpressionRegex();
}
