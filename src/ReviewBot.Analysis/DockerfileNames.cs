namespace ReviewBot.Analysis;

/// <summary>Which file names are Dockerfiles. Shared by the CLI's folder walk and the App's PR file filter.</summary>
public static class DockerfileNames
{
    /// <summary>Folders never searched.</summary>
    public static IReadOnlySet<string> SkippedFolders { get; } = new HashSet<string>(StringComparer.Ordinal) { ".git", "node_modules", "bin", "obj" };

    /// <summary>
    /// True for <c>Dockerfile</c>, <c>Dockerfile.*</c>, <c>*.Dockerfile</c>, <c>Containerfile</c> and
    /// <c>Containerfile.*</c>, in any case: Docker itself falls back to a lowercase <c>dockerfile</c>, and on a
    /// case-insensitive file system (macOS, Windows) <c>DOCKERFILE</c> is what <c>docker build .</c> reads. Takes a
    /// file name or a path with / or \ separators.
    /// </summary>
    public static bool IsDockerfile(string path)
    {
        var name = path.AsSpan(path.AsSpan().LastIndexOfAny('/', '\\') + 1);
        const StringComparison Any = StringComparison.OrdinalIgnoreCase;
        return name.Equals("Dockerfile", Any)
            || name.Equals("Containerfile", Any)
            || (name.StartsWith("Dockerfile.", Any) && name.Length > "Dockerfile.".Length)
            || (name.StartsWith("Containerfile.", Any) && name.Length > "Containerfile.".Length)
            || (name.EndsWith(".Dockerfile", Any) && name.Length > ".Dockerfile".Length);
    }
}
