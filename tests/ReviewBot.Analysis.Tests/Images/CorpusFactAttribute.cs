namespace ReviewBot.Analysis.Tests.Images;

/// <summary>A fact that runs only where the shared corpus of real Dockerfiles exists.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (CorpusLocator.Path is null)
            Skip = "skipped: corpus absent";
    }
}

/// <summary>Finds ../shared/corpus relative to the repository root by walking up from the test binaries (works from a git worktree too).</summary>
public static class CorpusLocator
{
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "corpus");
            if (Directory.Exists(candidate))
                return candidate;
        }

        return null;
    }
}
