namespace ReviewBot.Cli.Scanning;

/// <summary>Replaces a file's content so a reader sees either the old or the new file, never half of one.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to a temporary file in the same folder (same file system, so the rename
    /// is atomic), keeps the original's Unix permissions, then renames it over the target. A symbolic link is
    /// followed (so the link stays a link) only to a file inside <paramref name="root"/>, the tree being scanned:
    /// a link committed to a repository can point anywhere (~/.bashrc, /etc/…), and --fix must never write there.
    /// Refuses when the file no longer holds <paramref name="expected"/> (someone edited it while we scanned):
    /// their work wins.
    /// </summary>
    public static void Replace(string path, byte[] content, ReadOnlySpan<byte> expected, string? root = null)
    {
        var target = path;
        if (new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } resolved)
        {
            if (root is null || !IsInside(resolved.FullName, root))
            {
                throw new IOException($"it is a symbolic link to {resolved.FullName}, outside the scanned folder; --fix does not write through it");
            }

            target = resolved.FullName;
        }
        var folder = Path.GetDirectoryName(target)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.reviewbot-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
            }

            if (!File.ReadAllBytes(target).AsSpan().SequenceEqual(expected))
            {
                throw new IOException("the file changed while it was being fixed; left as it is");
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static bool IsInside(string path, string root)
    {
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(path).StartsWith(folder, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}
