using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Fixes;

/// <summary>
/// Which COPY/ADD in a stage leave the application's own files root-owned in the image: not build inputs
/// (dependency manifests copied for an install step), and not copies a later COPY --chown lays over.
/// </summary>
internal static class ApplicationFiles
{
    /// <summary>
    /// Files copied only so that a following RUN can install dependencies: the manifests and lock files
    /// of the common package managers. The application does not write them.
    /// </summary>
    private static readonly HashSet<string> Manifests = new(StringComparer.OrdinalIgnoreCase)
    {
        "requirements.txt", "constraints.txt", "Pipfile", "Pipfile.lock", "pyproject.toml", "poetry.lock", "uv.lock", "setup.py", "setup.cfg",
        "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", ".yarnrc.yml", ".npmrc", "pnpm-lock.yaml", "pnpm-workspace.yaml", "bun.lockb",
        "Gemfile", "Gemfile.lock", "go.mod", "go.sum", "Cargo.toml", "Cargo.lock", "composer.json", "composer.lock",
        "pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties",
        "mix.exs", "mix.lock", "Directory.Packages.props", "Directory.Build.props", "NuGet.config", "packages.lock.json",
    };

    /// <summary><see cref="Manifests"/> asked with a file name read in place.</summary>
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ManifestNames = Manifests.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The COPY/ADD copies only dependency manifests, and a RUN after it (the install) uses them.</summary>
    public static bool IsBuildInput(Stage stage, int index)
    {
        bool manifests = AllSources(stage.Instructions[index], static s => ManifestNames.Contains(Path.GetFileName(s.TrimEnd('/')))
            || s.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)
            || (s.StartsWith("requirements", StringComparison.OrdinalIgnoreCase) && s.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)));
        if (!manifests)
        {
            return false;
        }

        // A loop, not Skip and Any: the array was boxed for them on every COPY of manifests.
        for (int i = index + 1; i < stage.Instructions.Length; i++)
        {
            if (stage.Instructions[i].Is("RUN"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Endings of scripts that the entrypoint runs: code the application executes, never writes.</summary>
    private static readonly string[] ScriptEndings = [".sh", ".bash", ".envsh"];

    /// <summary>
    /// The COPY/ADD brings code the process runs rather than files it writes: build output from another stage
    /// or image (compiled binaries, published output: root-owned, a compromised process cannot rewrite them,
    /// which is the point), or only shell scripts (entrypoints and their hooks).
    /// </summary>
    public static bool IsCodeOnly(Stage stage, int index)
    {
        var instruction = stage.Instructions[index];
        if (instruction.GetFlag("from") is not null)
        {
            return true;
        }

        return AllSources(instruction, static s => IsScript(s));
    }

    private static bool IsScript(ReadOnlySpan<char> source)
    {
        foreach (var ending in ScriptEndings)
        {
            if (source.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private delegate bool SourceTest(ReadOnlySpan<char> source);

    /// <summary>
    /// Whether the COPY/ADD names a source (every word but the last, quotes trimmed, empty ones skipped) and each passes
    /// <paramref name="test"/>.
    /// </summary>
    /// <remarks>
    /// Read in place: both questions are asked of most COPYs, and each split the arguments into word strings, copied
    /// them without the destination and filtered them into a list through two iterators.
    /// </remarks>
    private static bool AllSources(Syntax.Instruction instruction, SourceTest test)
    {
        int count = 0;
        if (instruction.IsJsonForm)
        {
            var items = instruction.JsonArguments;
            for (int i = 0; i < items.Length - 1; i++)
            {
                var source = items[i].AsSpan().Trim("\"'");
                if (!source.IsEmpty && !test(source))
                {
                    return false;
                }

                count += source.IsEmpty ? 0 : 1;
            }

            return count > 0;
        }

        // Each word is tested once the next is found: the last word, the destination, never is.
        var arguments = instruction.Arguments.AsSpan();
        Range? previous = null;
        foreach (var range in arguments.SplitAny(" \t"))
        {
            if (arguments[range].IsEmpty)
            {
                continue;
            }

            if (previous is { } before)
            {
                var source = arguments[before].Trim("\"'");
                if (!source.IsEmpty && !test(source))
                {
                    return false;
                }

                count += source.IsEmpty ? 0 : 1;
            }

            previous = range;
        }

        return count > 0;
    }

    /// <summary>
    /// The absolute destination of a COPY/ADD: relative destinations resolve against the WORKDIR in force
    /// (followed through the stages it is built on); null when a variable cannot be resolved.
    /// </summary>
    public static string? AbsoluteDestination(Stage stage, int index, char escape)
    {
        string? destination = InstructionEdits.Destination(stage.Instructions[index]);
        if (destination is null)
        {
            return null;
        }

        var expansion = stage.ExpandAt(index, destination, escape);
        if (!expansion.IsResolved)
        {
            return null;
        }

        string text = expansion.Text;
        if (!text.StartsWith('/'))
        {
            string? workdir = WorkdirAt(stage, index, escape);
            if (workdir is null)
            {
                return null;
            }

            text = workdir.TrimEnd('/') + "/" + text;
        }

        return Normalize(text);
    }

    /// <summary>
    /// The later COPY/ADD of the same stage that gives a non-root owner to the same destination or a folder
    /// above it, so it lays the application's files over the earlier copy's; null when none does.
    /// </summary>
    public static int? CoveredBy(Stage stage, int index, char escape)
    {
        string? destination = AbsoluteDestination(stage, index, escape);
        if (destination is null)
        {
            return null;
        }

        for (int j = index + 1; j < stage.Instructions.Length; j++)
        {
            var later = stage.Instructions[j];
            if (!(later.Is("COPY") || later.Is("ADD")) || later.GetFlag("from") is not null || InstructionEdits.Owner(stage, j, escape) is not { } owner
                || DockerfileModel.IsRootName(DockerfileModel.SplitSpec(owner).User, stage.CreatedUsers))
            {
                continue;
            }

            if (AbsoluteDestination(stage, j, escape) is { } over && (destination == over || destination.StartsWith(over.TrimEnd('/') + "/", StringComparison.Ordinal)))
            {
                return j;
            }
        }

        return null;
    }

    /// <summary>
    /// The instruction (index into the stage) that creates <paramref name="name"/> after instruction
    /// <paramref name="index"/>, when the base image does not ship it: a --chown there would fail ("unable to
    /// find user"). Null when it exists by then, is numeric, or is not created in this Dockerfile at all.
    /// </summary>
    public static int? CreatedAfter(Stage stage, int index, string name, bool isGroup)
    {
        if (SafeText.IsNumericId(name) || stage.Base.ShippedUsers.Any(u => u.Name == name))
        {
            return null;
        }

        var created = isGroup ? stage.CreatedGroups : stage.CreatedUsers;
        if (!created.TryGetValue(name, out var user) || user.Source.StartLine <= stage.Instructions[index].StartLine)
        {
            return null;
        }

        int at = stage.Instructions.IndexOf(user.Source);
        return at >= 0 ? at : null;
    }

    /// <summary>The WORKDIR in force before instruction <paramref name="index"/> ("/" when none is set).</summary>
    private static string? WorkdirAt(Stage stage, int index, char escape)
    {
        // The chain root first, gathered by hand: an iterator, a reversing buffer and a list were made per COPY.
        var chain = new List<Stage>();
        for (var s = stage; s is not null; s = s.Parent)
        {
            chain.Add(s);
        }

        chain.Reverse();
        bool setsWorkdir = false;
        string workdir = "/";
        foreach (var s in chain)
        {
            int end = ReferenceEquals(s, stage) ? index : s.Instructions.Length;
            for (int i = 0; i < s.Instructions.Length; i++)
            {
                if (!s.Instructions[i].Is("WORKDIR"))
                {
                    continue;
                }

                // Any WORKDIR of the chain, before this instruction or not, says the base image's own one is replaced.
                setsWorkdir = true;
                if (i >= end)
                {
                    break;
                }

                var path = s.ExpandAt(i, s.Instructions[i].Arguments.Trim().Trim('"', '\''), escape);
                if (!path.IsResolved)
                {
                    return null;
                }

                workdir = path.Text.StartsWith('/') ? path.Text : workdir.TrimEnd('/') + "/" + path.Text;
            }
        }

        // A base image's own WORKDIR (unknown to us) applies when the chain never sets one: a folder no real
        // path names ("\0"), so relative destinations still compare with each other and never with absolute ones.
        return setsWorkdir || stage.Base.Family == DistroFamily.Scratch ? Normalize(workdir) : "/\0";
    }

    /// <summary>Collapses "." segments and duplicate slashes; ".." climbs.</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }
}
