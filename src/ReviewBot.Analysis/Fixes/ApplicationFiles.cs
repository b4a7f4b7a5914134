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

        // The stage's last RUN, found once: a scan to the end per COPY of manifests was quadratic in such COPYs.
        return StageFiles.Of(stage).LastRun > index;
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

    /// <summary>
    /// The COPY copies one file, the program the image runs (its ENTRYPOINT, or its CMD): the process only executes it,
    /// so it needs no <c>--chown</c>, and left root-owned a compromised process cannot rewrite it. A static binary on
    /// distroless or scratch needs nothing but <c>USER</c>.
    /// </summary>
    public static bool IsProgram(Stage stage, int index, char escape)
    {
        var instruction = stage.Instructions[index];
        if (!instruction.Is("COPY") || instruction.Heredocs.Length > 0)
        {
            return false;
        }

        var files = StageFiles.Of(stage);
        // The program first: a stage that runs none by path (most) needs no COPY's paths made.
        if (files.Program(escape) is not { } program)
        {
            return false;
        }

        string? destination = files.Destination(index, escape);
        string? written = InstructionEdits.Destination(instruction);
        string? source = OnlySource(instruction);
        if (destination is null || written is null || source is null
            || source.EndsWith('/') || source.AsSpan().IndexOfAny("*?[$") >= 0)
        {
            return false;
        }

        // COPY server /app/ (or . in WORKDIR /app) puts the file at /app/server.
        bool intoFolder = written.EndsWith('/') || written == "." || written.EndsWith("/.", StringComparison.Ordinal);
        string target = intoFolder ? Normalize(destination + "/" + Path.GetFileName(source)) : destination;
        return target == program;
    }

    /// <summary>The COPY's one source, quotes trimmed; null when it has several or none.</summary>
    private static string? OnlySource(Syntax.Instruction instruction)
    {
        if (instruction.IsJsonForm)
        {
            return instruction.JsonArguments.Length == 2 ? instruction.JsonArguments[0].Trim('"', '\'') : null;
        }

        // Read in place: only the source becomes a string.
        var arguments = instruction.Arguments.AsSpan().Trim(" \t");
        int end = arguments.IndexOfAny(' ', '\t');
        if (end < 0)
        {
            return null;
        }

        var rest = arguments[end..].TrimStart(" \t");
        return rest.IndexOfAny(' ', '\t') < 0 ? arguments[..end].Trim("\"'").ToString() : null;
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
    public static string? AbsoluteDestination(Stage stage, int index, char escape) => StageFiles.Of(stage).Destination(index, escape);

    /// <summary>
    /// The later COPY/ADD of the same stage that gives a non-root owner to the same destination or a folder
    /// above it, so it lays the application's files over the earlier copy's; null when none does.
    /// </summary>
    /// <remarks>
    /// The first such COPY for every instruction is found in one backward pass over the stage, the first time one is
    /// asked: each COPY once compared itself with every later one, working out each one's WORKDIR from the top, so a
    /// non-root image of 20,000 COPYs took seconds and gigabytes.
    /// </remarks>
    public static int? CoveredBy(Stage stage, int index, char escape) => StageFiles.Of(stage).CoveredBy(index, escape);

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

        int at = IndexOf(stage, user.Source);
        return at >= 0 ? at : null;
    }

    /// <summary>
    /// The index of <paramref name="instruction"/> in the stage, or -1: found by its line, since instructions are in
    /// line order (a linear search per finding was quadratic in a stage of COPYs made before their user).
    /// </summary>
    private static int IndexOf(Stage stage, Syntax.Instruction instruction)
    {
        var instructions = stage.Instructions;
        int low = 0, high = instructions.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            int line = instructions[middle].StartLine;
            if (line == instruction.StartLine)
            {
                return ReferenceEquals(instructions[middle], instruction) ? middle : -1;
            }

            (low, high) = line < instruction.StartLine ? (middle + 1, high) : (low, middle - 1);
        }

        return -1;
    }

    /// <summary>Collapses "." segments and duplicate slashes; ".." climbs.</summary>
    internal static string Normalize(string path)
    {
        // Built in one buffer, not a list of parts: each part goes after a /, and .. cuts back to the / before.
        Span<char> buffer = path.Length < 256 ? stackalloc char[256] : new char[path.Length + 1];
        int length = 0;
        foreach (var range in path.AsSpan().Split('/'))
        {
            var part = path.AsSpan(range);
            if (part is "" or ".")
            {
                continue;
            }

            if (part is "..")
            {
                length = Math.Max(0, buffer[..length].LastIndexOf('/'));
                continue;
            }

            buffer[length++] = '/';
            part.CopyTo(buffer[length..]);
            length += part.Length;
        }

        if (length == 0)
        {
            return "/";
        }

        // Most paths are already absolute and clean (/app/data): returned as they are, with no string made.
        var normal = buffer[..length];
        return normal.SequenceEqual(path) ? path : normal.ToString();
    }
}
