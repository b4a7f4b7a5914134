using Xunit;

namespace ReviewBot.TestSupport;

/// <summary>
/// The shared corpus of real Dockerfiles (../shared/corpus beside the repository), read in place, never copied.
/// Tests that need it say <see cref="AbsentMessage"/> where it is missing.
/// </summary>
public static class SharedCorpus
{
    public const string AbsentMessage = "skipped: corpus absent";

    /// <summary>The corpus folder, or null where it is absent.</summary>
    public static string? Directory { get; } = Locate();

    /// <summary>Every corpus file but its notes, in a stable (ordinal path) order; none where it is absent.</summary>
    public static IEnumerable<string> Files() =>
        Directory is null
            ? []
            : System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);

    /// <summary>
    /// ../shared/corpus relative to the repository root is shared/corpus in one of its ancestors (also from a git
    /// worktree, whose root is one folder deeper). Walks up from the working directory and from the binaries, since
    /// BenchmarkDotNet runs each benchmark in a child process started in its own generated folder.
    /// </summary>
    private static string? Locate()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "corpus"), Path.Combine(dir.FullName, "..", "shared", "corpus") })
                {
                    if (System.IO.Directory.Exists(candidate))
                    {
                        return Path.GetFullPath(candidate);
                    }
                }
            }
        }

        return null;
    }
}

/// <summary>A fact that runs only where the shared corpus of real Dockerfiles exists.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (SharedCorpus.Directory is null)
        {
            Skip = SharedCorpus.AbsentMessage;
        }
    }
}
