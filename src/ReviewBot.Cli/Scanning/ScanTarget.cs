using System.IO.Enumeration;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Configuration;

namespace ReviewBot.Cli.Scanning;

/// <summary>A file to scan (or standard input when <see cref="FullPath"/> is null), or a path that could not be used.</summary>
/// <param name="Root">The tree it was found in: the folder walked; for a named file, the current folder when the path as
/// written lies in it, else the file's own folder as written. The only place --fix may write, judged by real paths
/// (<see cref="AtomicFile.Replace"/>): links in the tree's own path are the user's, links below it the repository's.</param>
public sealed record ScanTarget(string DisplayPath, string? FullPath, string? Error = null, string? Root = null)
{
    public bool IsStandardInput => FullPath is null && Error is null;

    /// <summary>
    /// Expands PATH arguments: files are taken as named (whatever their name), folders are searched recursively
    /// for Dockerfiles (names per <see cref="DockerfileNames"/> and the config's include/exclude globs, relative
    /// to the folder), skipping <see cref="DockerfileNames.SkippedFolders"/> and symbolic links to folders.
    /// <c>-</c> is standard input. Missing or unreadable paths become targets with an <see cref="Error"/>.
    /// </summary>
    public static List<ScanTarget> Expand(IReadOnlyList<string> paths, string currentDirectory, RepositoryConfig config) =>
        [.. Enumerate(paths, currentDirectory, config)];

    /// <summary>
    /// <see cref="Expand"/>, one target at a time as the folders are read, so a scan can analyze the first files
    /// while the walk goes on (listing a large tree's folders is work of its own).
    /// </summary>
    public static IEnumerable<ScanTarget> Enumerate(IReadOnlyList<string> paths, string currentDirectory, RepositoryConfig config)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths.Count == 0 ? ["."] : paths)
        {
            if (path == "-")
            {
                yield return new ScanTarget(FileReport.StandardInputPath, null);
                continue;
            }

            var full = Path.GetFullPath(path, currentDirectory);
            if (File.Exists(full))
            {
                if (seen.Add(full))
                {
                    var folder = Path.GetDirectoryName(full)!;
                    var root = (folder + Path.DirectorySeparatorChar).StartsWith(Path.TrimEndingDirectorySeparator(currentDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? currentDirectory : folder;
                    yield return new ScanTarget(Display(full, currentDirectory), full, Root: root);
                }
            }
            else if (Directory.Exists(full))
            {
                foreach (var target in Walk(full, currentDirectory, config, seen))
                {
                    yield return target;
                }
            }
            else
            {
                yield return new ScanTarget(path, full, "no such file or folder");
            }
        }
    }

    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0, // hidden folders such as .devcontainer hold Dockerfiles too
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Files of <paramref name="root"/> and its folders, depth first: a folder's files, then each subfolder, in ordinal order.</summary>
    private static IEnumerable<ScanTarget> Walk(string root, string currentDirectory, RepositoryConfig config, HashSet<string> seen)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        var files = new List<string>();
        var folders = new List<string>();
        while (pending.TryPop(out var folder))
        {
            files.Clear();
            folders.Clear();
            string? error = null;
            try
            {
                // One listing per folder that also says which folders are links. Only folders are asked: reading an
                // entry's attributes costs a system call of its own, and a file is read the same way link or not.
                var entries = new FileSystemEnumerable<(string Path, bool IsFolder, bool IsLink)>(
                    folder,
                    (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.IsDirectory, entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) != 0),
                    ListOptions);
                foreach (var (path, isFolder, isLink) in entries)
                {
                    if (!isFolder)
                    {
                        files.Add(path);
                    }
                    else if (!isLink)
                    {
                        folders.Add(path);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = $"cannot read folder: {ex.Message}";
            }

            if (error is not null)
            {
                yield return new ScanTarget(Display(folder, currentDirectory), folder, error);
                continue;
            }

            files.Sort(StringComparer.Ordinal);
            foreach (var file in files)
            {
                if (config.IsIncluded(RelativeInside(root, file) ?? Path.GetRelativePath(root, file)) && seen.Add(file))
                {
                    yield return new ScanTarget(Display(file, currentDirectory), file, Root: root);
                }
            }

            // Pushed last first, so they are walked in order.
            folders.Sort(StringComparer.Ordinal);
            for (int i = folders.Count - 1; i >= 0; i--)
            {
                if (!DockerfileNames.SkippedFolders.Contains(Path.GetFileName(folders[i])))
                {
                    pending.Push(folders[i]);
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="path"/> relative to <paramref name="folder"/> when, as written, it starts with the folder and a
    /// separator; else null. For full paths (what <see cref="Path.GetFullPath(string)"/> and the walk give) that is what
    /// <see cref="Path.GetRelativePath(string, string)"/> returns, without normalizing both again for each of thousands of files.
    /// </summary>
    private static string? RelativeInside(string folder, string path)
    {
        int length = Path.EndsInDirectorySeparator(folder) ? folder.Length : folder.Length + 1;
        return path.Length > length && path[length - 1] == Path.DirectorySeparatorChar && path.StartsWith(folder, StringComparison.Ordinal)
            ? path[length..]
            : null;
    }

    /// <summary>Relative to the current folder when inside it, with / separators; otherwise the absolute path.</summary>
    public static string Display(string fullPath, string currentDirectory)
    {
        if (RelativeInside(currentDirectory, fullPath) is { } inside)
        {
            return Path.DirectorySeparatorChar == '/' ? inside : inside.Replace(Path.DirectorySeparatorChar, '/');
        }

        var relative = Path.GetRelativePath(currentDirectory, fullPath);
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return fullPath;
        }

        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
