using ReviewBot.Analysis;

namespace ReviewBot.Cli.Scanning;

/// <summary>
/// Reads a build-context file for the engine (<see cref="AnalyzerOptions.ReadContextFile"/>: the entrypoint script a
/// Dockerfile copies in), taking the Dockerfile's folder as the build context, as <c>docker build .</c> next to it
/// does. Only files inside that folder are read: no <c>..</c>, and no symbolic link on the way, since the Dockerfile
/// that names the path is the author's.
/// </summary>
internal static class ContextFile
{
    public static Func<string, string?> Reader(string dockerfilePath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(dockerfilePath))!;
        return source => Read(folder, source);
    }

    /// <summary>The file's text, or null when it is outside the folder, absent, a link, too large, binary or unreadable.</summary>
    internal static string? Read(string folder, string source)
    {
        // COPY sources are relative to the context even when written with a leading slash.
        string relative = source.TrimStart('/');
        if (relative.Length == 0)
        {
            return null;
        }

        string root = Path.TrimEndingDirectorySeparator(folder);
        string full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            // Every part from the folder down must be a plain folder or file: a link could lead anywhere.
            for (string? part = full; part is not null && part.Length > root.Length; part = Path.GetDirectoryName(part))
            {
                var entry = new FileInfo(part);
                if (!entry.Exists && !Directory.Exists(part))
                {
                    return null;
                }

                if (entry.LinkTarget is not null || (entry.Attributes & FileAttributes.ReparsePoint) != 0)
                {
                    return null;
                }
            }

            var file = new FileInfo(full);
            if (!file.Exists || file.Length > AnalyzerOptions.MaxContextFileChars)
            {
                return null;
            }

            return SourceText.Decode(File.ReadAllBytes(full), out _);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }
}
