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

    [GeneratedRegex(@"^\s*(run:\s*)?\./test\.sh\s*$", RegexOptions.Multiline)]
    private static partial Regex TestShRegex();

    [GeneratedRegex(@"^\s*(-\s+)?uses:\s*(?<ref>\S+.*)$", RegexOptions.Multiline)]
    private static partial Regex UsesRegex();

    // owner/repo[/path]@<40 hex> # vX.Y.Z
    [GeneratedRegex(@"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")]
    private static partial Regex PinnedRegex();
}
