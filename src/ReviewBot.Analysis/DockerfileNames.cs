namespace ReviewBot.Analysis;

/// <summary>Which file names are Dockerfiles. Shared by the CLI's folder walk and the App's PR file filter.</summary>
public static class DockerfileNames
{
    /// <summary>Folders never searched.</summary>
    public static IReadOnlySet<string> SkippedFolders { get; } = new HashSet<string>(StringComparer.Ordinal) { ".git", "node_modules", "bin", "obj" };

    /// <summary>
    /// True for <c>Dockerfile</c>, <c>Dockerfile.*</c>, <c>*.Dockerfile</c>, <c>*.dockerfile</c>,
    /// <c>Containerfile</c> and <c>Containerfile.*</c>. Takes a file name or a path with / or \ separators.
    /// </summary>
    public static bool IsDockerfile(string path)
    {
        var name = path.AsSpan(path.AsSpan().LastIndexOfAny('/', '\\') + 1);
        return name.Equals("Dockerfile", StringComparison.Ordinal)
            || name.Equals("Containerfile", StringComparison.Ordinal)
            || (name.StartsWith("Dockerfile.", StringComparison.Ordinal) && name.Length > "Dockerfile.".Length)
            || (name.StartsWith("Containerfile.", StringComparison.Ordinal) && name.Length > "Containerfile.".Length)
            || (name.EndsWith(".Dockerfile", StringComparison.Ordinal) && name.Length > ".Dockerfile".Length)
            || (name.EndsWith(".dockerfile", StringComparison.Ordinal) && name.Length > ".dockerfile".Length);
    }
}
