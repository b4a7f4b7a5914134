namespace ReviewBot.Cli.Scanning;

/// <summary>Replaces a file's content so a reader sees either the old or the new file, never half of one.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to a temporary file beside the file's real path (same folder, same file system,
    /// so the rename is atomic), keeps the original's Unix permissions, then renames it over the real file: a symbolic
    /// link stays a link and its target gets the new text. Only inside <paramref name="root"/>, the tree being scanned
    /// (the path's own folder when null), judged by real paths: every link in the file's path and in its folders is
    /// resolved, because a link committed to a repository can point anywhere (~/.bashrc, /etc/…) and so can a folder
    /// link on the way to it (<c>tree/a -> ../outside</c>, <c>tree/Dockerfile -> a/target.txt</c>). A path that leaves
    /// the tree throws <see cref="OutsideTreeException"/> and nothing is written.
    /// Refuses when the file no longer holds <paramref name="expected"/> (someone edited it while we scanned):
    /// their work wins.
    /// </summary>
    public static void Replace(string path, byte[] content, ReadOnlySpan<byte> expected, string? root = null)
    {
        var realRoot = RealPath.Resolve(root ?? Path.GetDirectoryName(Path.GetFullPath(path))!);
        var target = RealPath.Resolve(path);
        if (!RealPath.IsInside(target, realRoot))
        {
            throw new OutsideTreeException(target, realRoot);
        }

        // The real folder holds no link now; it is checked again right before the rename (below).
        var folder = Path.GetDirectoryName(target)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.reviewbot-{Guid.NewGuid():N}.tmp");
        try
        {
            // CreateNew is O_CREAT|O_EXCL: it never follows a link at the temporary name, it fails on one.
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

            // A folder on the way swapped for a link since the check would move the rename elsewhere: look again, last.
            // (.NET has no renameat on a folder handle, so this narrows the window to the rename itself.)
            if (RealPath.Resolve(target) != target)
            {
                throw new IOException("a folder or the file on its path turned into a symbolic link while it was being fixed; left as it is");
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
}

/// <summary>A file --fix would write through a link that leaves the tree: reported on that file, never written.</summary>
public sealed class OutsideTreeException(string realPath, string realRoot)
    : IOException($"it resolves to {realPath}, outside the scanned folder {realRoot} (through a symbolic link); --fix never writes through a link that leaves the tree");
