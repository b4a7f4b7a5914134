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
    /// <remarks>The folder is worked out when a file is read: the engine asks for few, and the reader is made for every Dockerfile.</remarks>
    public static Func<string, string?> Reader(string dockerfilePath) =>
        source => Read(Path.GetDirectoryName(Path.GetFullPath(dockerfilePath))!, source);

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
            // Every part from the folder down must be a plain folder or file: a link could lead anywhere. One lstat
            // each (FileSystemInfo reads the entry itself, and marks a link ReparsePoint; a missing one reads as -1):
            // every Dockerfile of a scan that names an entrypoint script asks this.
            var file = new FileInfo(full);
            if (!IsPlain(file.Attributes, folder: false) || file.Length > AnalyzerOptions.MaxContextFileChars)
            {
                return null;
            }

            for (string? part = Path.GetDirectoryName(full); part is not null && part.Length > root.Length; part = Path.GetDirectoryName(part))
            {
                if (!IsPlain(new FileInfo(part).Attributes, folder: true))
                {
                    return null;
                }
            }

            return SourceText.Decode(File.ReadAllBytes(full), out _);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    private static bool IsPlain(FileAttributes attributes, bool folder) =>
        (int)attributes != -1 && (attributes & FileAttributes.ReparsePoint) == 0 && folder == ((attributes & FileAttributes.Directory) != 0);
}
