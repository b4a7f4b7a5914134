namespace ReviewBot.Analysis.Tests;

/// <summary>
/// The shared corpus of real Dockerfiles (../shared/corpus beside the repository), read in place.
/// Tests that need it say "skipped: corpus absent" where it is missing.
/// </summary>
internal static class Corpus
{
    public const string AbsentMessage = "skipped: corpus absent";

    public static string? Directory { get; } = Find();

    public static IEnumerable<string> Files() =>
        Directory is null
            ? []
            : System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="check"/> on every corpus file's text; returns how many files were read and each problem
    /// found, prefixed with the file's path in the corpus.
    /// </summary>
    public static (int Files, List<string> Problems) Check(Func<string, IEnumerable<string>> check)
    {
        var problems = new List<string>();
        int files = 0;
        foreach (var path in Files())
        {
            files++;
            problems.AddRange(check(File.ReadAllText(path)).Select(p => $"{Path.GetRelativePath(Directory!, path)}: {p}"));
        }

        return (files, problems);
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "corpus"), Path.Combine(dir.FullName, "..", "shared", "corpus") })
            {
                if (System.IO.Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return null;
    }
}
