namespace ReviewBot.TestSupport;

/// <summary>The repository root: the nearest folder above the binaries holding ReviewBot.sln.</summary>
public static class RepoRoot
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Find() => Root.Value;

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReviewBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ReviewBot.sln above {AppContext.BaseDirectory}.");
    }
}
