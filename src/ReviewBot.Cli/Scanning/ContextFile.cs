using ReviewBot.Analysis;

namespace ReviewBot.Cli.Scanning;

/// <summary>
/// Reads a build-context file: the entrypoint script a Dockerfile copies in, for the engine
/// (<see cref="AnalyzerOptions.ReadContextFile"/>), and a Dockerfile a manifest names. The Dockerfile's folder is the
/// build context, as <c>docker build .</c> next to it takes it; nothing is read from outside it through <c>..</c>.
/// </summary>
internal static class ContextFile
{
    /// <summary>
    /// The engine's reader for the Dockerfile at <paramref name="dockerfilePath"/>, scanned as part of <paramref name="tree"/>
    /// (null: its folder). A script reached through a symbolic link is read when the link's real path stays inside
    /// the tree (a build copies what it leads to); one that is there but too large reads as empty. Either way the script
    /// is the answer, not a presumption: taken as unreadable, an installed gosu counts as a step-down, so linking or
    /// padding a script that never calls it would pass.
    /// </summary>
    /// <remarks>The folder is worked out when a file is read: the engine asks for few, and the reader is made for every Dockerfile.</remarks>
    public static Func<string, string?> Reader(string dockerfilePath, string? tree) =>
        source => ReadScript(Path.GetDirectoryName(Path.GetFullPath(dockerfilePath))!, tree, source);

    /// <summary>See <see cref="Reader"/>: null when the script is not there (or leaves the folder or the tree), "" when it is too large.</summary>
    internal static string? ReadScript(string folder, string? tree, string source)
    {
        if (InFolder(folder, source) is not { } full)
        {
            return null;
        }

        try
        {
            // Most often nothing is there (a corpus of Dockerfiles alone): one lstat says so (-1), as before links were read.
            if ((int)new FileInfo(full).Attributes == -1)
            {
                return null;
            }

            // Through any link on the way, the real file must stay inside the tree: a build copies what it leads to.
            string real = RealPath.Resolve(full);
            var file = new FileInfo(real);
            if (!RealPath.IsInside(real, RealPath.Resolve(tree ?? folder)) || !file.Exists)
            {
                return null;
            }

            // Too large: there, but not read; empty, it runs nothing, as the engine takes any script over its limit.
            return file.Length > AnalyzerOptions.MaxContextFileChars ? "" : SourceText.Decode(File.ReadAllBytes(real), out _);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The full path of a COPY source in <paramref name="folder"/>, or null when it is empty or climbs out of it.</summary>
    private static string? InFolder(string folder, string source)
    {
        // COPY sources are relative to the context even when written with a leading slash.
        string relative = source.TrimStart('/');
        string root = Path.TrimEndingDirectorySeparator(folder);
        string full = Path.GetFullPath(Path.Combine(root, relative));
        return relative.Length > 0 && full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>The file's text, or null when it is outside the folder, absent, a link, too large, binary or unreadable.</summary>
    /// <remarks>No symbolic link on the way: the file that names the path is the author's.</remarks>
    internal static string? Read(string folder, string source)
    {
        if (InFolder(folder, source) is not { } full)
        {
            return null;
        }

        string root = Path.TrimEndingDirectorySeparator(folder);

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
