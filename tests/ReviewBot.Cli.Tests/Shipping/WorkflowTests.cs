using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Cli.Tests.Shipping;

/// <summary>The workflows and the Action parse as YAML and use every other action pinned by a full commit SHA.</summary>
public partial class WorkflowTests
{
    public static TheoryData<string> Files() => [.. Names()];

    private static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(RepositoryFiles.PathOf(".github/workflows"), "*.yml")
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Append("action.yml");

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_action_is_pinned_by_commit_sha_with_its_version_beside_it(string file)
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf(file));
        var stream = new YamlStream();
        stream.Load(new StringReader(text)); // throws on a syntax error

        var uses = UsesRegex().Matches(text).Select(m => m.Groups["ref"].Value).ToList();
        Assert.All(uses, reference =>
        {
            if (reference.StartsWith("./", StringComparison.Ordinal))
            {
                return; // this repository's own action
            }

            Assert.Matches(PinnedRegex(), reference);
        });
    }

    [Fact]
    public void The_workflows_cover_ci_self_review_and_release()
    {
        var names = Names().ToList();

        Assert.Contains(".github/workflows/ci.yml", names);
        Assert.Contains(".github/workflows/reviewbot.yml", names);
        Assert.Contains(".github/workflows/release.yml", names);
        // CI runs exactly the README's test command, as .ci/run does.
        Assert.Matches(TestShRegex(), File.ReadAllText(RepositoryFiles.PathOf(".github/workflows/ci.yml")));
    }

    [Fact]
    public void The_actions_scripts_print_only_fixed_text_and_leave_reviewbots_output_to_reviewbot()
    {
        // reviewbot guards what it prints under Actions (WorkflowCommandGuard); a script that echoed a variable or piped
        // reviewbot's output through another program (tee to the job summary) would print pull request text unguarded,
        // or the block's markers where they do not belong.
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(RepositoryFiles.PathOf("action.yml"))));
        var steps = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["runs"])["steps"];
        var scripts = steps.Cast<YamlMappingNode>()
            .Where(step => step.Children.ContainsKey("run"))
            .Select(step => ((YamlScalarNode)step["run"]).Value!)
            .ToList();

        Assert.NotEmpty(scripts);
        var lines = scripts.SelectMany(script => script.Split('\n')).Select(line => line.Trim()).Where(line => !line.StartsWith('#')).ToList();
        Assert.All(lines.Where(line => EchoRegex().IsMatch(line)), echo => Assert.DoesNotContain("$", echo.Replace(">&2", "", StringComparison.Ordinal), StringComparison.Ordinal));
        var run = Assert.Single(lines, line => line.StartsWith("\"$REVIEWBOT\"", StringComparison.Ordinal));
        Assert.DoesNotContain("|", run, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(echo|printf)\b")]
    private static partial Regex EchoRegex();

    [GeneratedRegex(@"^\s*(run:\s*)?\./test\.sh\s*$", RegexOptions.Multiline)]
    private static partial Regex TestShRegex();

    [GeneratedRegex(@"^\s*(-\s+)?uses:\s*(?<ref>\S+.*)$", RegexOptions.Multiline)]
    private static partial Regex UsesRegex();

    // owner/repo[/path]@<40 hex> # vX.Y.Z
    [GeneratedRegex(@"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")]
    private static partial Regex PinnedRegex();
}
