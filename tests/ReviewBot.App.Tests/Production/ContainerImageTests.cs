using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ReviewBot.App.Tests.Production;

/// <summary>
/// The service's own Dockerfile restores from the project files alone (so source edits reuse the cached packages) and
/// then publishes with <c>--no-restore</c>: a project the App references that the restore layer does not copy has no
/// assets file, and the image build fails. No registry is reachable here, so the recipe is checked against the
/// projects themselves.
/// </summary>
public sealed partial class ContainerImageTests
{
    [Fact]
    public void The_restore_layer_copies_every_project_the_app_references()
    {
        var root = RepoRoot.Find();
        var dockerfile = File.ReadAllText(Path.Combine(root, "Dockerfile"));
        var restoreAt = dockerfile.IndexOf("RUN dotnet restore", StringComparison.Ordinal);
        Assert.True(restoreAt > 0, "the Dockerfile restores before it copies the sources");
        var copied = ProjectCopy().Matches(dockerfile[..restoreAt]).Select(m => m.Groups["path"].Value).ToHashSet(StringComparer.Ordinal);

        var missing = ProjectClosure(root, "src/ReviewBot.App/ReviewBot.App.csproj").Where(p => !copied.Contains(p)).ToList();

        Assert.True(missing.Count == 0, "the Dockerfile's restore layer lacks " + string.Join(", ", missing));
    }

    /// <summary>The project and every project it references, directly or not, as repository-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string root, string project)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(next)!;
            foreach (var reference in XDocument.Load(Path.Combine(root, next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(root, folder, (string)reference.Attribute("Include")!));
                pending.Push(Path.GetRelativePath(root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }

    [GeneratedRegex(@"^COPY\s+(?<path>src/\S+\.csproj)\s", RegexOptions.Multiline)]
    private static partial Regex ProjectCopy();
}
