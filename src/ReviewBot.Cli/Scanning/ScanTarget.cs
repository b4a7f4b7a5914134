using System.IO.Enumeration;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Configuration;

namespace ReviewBot.Cli.Scanning;

/// <summary>A file to scan (or standard input when <see cref="FullPath"/> is null), or a path that could not be used.</summary>
/// <param name="Root">The tree it was found in (the folder walked, or for a named file the current folder or its own
/// folder): the only place --fix may write, even through a symbolic link.</param>
public sealed record ScanTarget(string DisplayPath, string? FullPath, string? Error = null, string? Root = null)
{
    public bool IsStandardInput => FullPath is null && Error is null;

    /// <summary>
    /// Expands PATH arguments: files are taken as named (whatever their name), folders are searched recursively
    /// for Dockerfiles (names per <see cref="DockerfileNames"/> and the config's include/exclude globs, relative
    /// to the folder), skipping <see cref="DockerfileNames.SkippedFolders"/> and symbolic links to folders.
    /// <c>-</c> is standard input. Missing or unreadable paths become targets with an <see cref="Error"/>.
    /// </summary>
    public static List<ScanTarget> Expand(IReadOnlyList<string> paths, string currentDirectory, RepositoryConfig config)
    {
        var targets = new List<ScanTarget>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths.Count == 0 ? ["."] : paths)
        {
            if (path == "-")
            {
                targets.Add(new ScanTarget(FileReport.StandardInputPath, null));
                continue;
            }

            var full = Path.GetFullPath(path, currentDirectory);
            if (File.Exists(full))
            {
                if (seen.Add(full))
                {
                    var folder = Path.GetDirectoryName(full)!;
                    var root = (folder + Path.DirectorySeparatorChar).StartsWith(Path.TrimEndingDirectorySeparator(currentDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? currentDirectory : folder;
                    targets.Add(new ScanTarget(Display(full, currentDirectory), full, Root: root));
                }
            }
            else if (Directory.Exists(full))
            {
                Walk(full, full, currentDirectory, config, targets, seen);
            }
            else
            {
                targets.Add(new ScanTarget(path, full, "no such file or folder"));
            }
        }

        return targets;
    }

    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0, // hidden folders such as .devcontainer hold Dockerfiles too
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    private static void Walk(string root, string folder, string currentDirectory, RepositoryConfig config, List<ScanTarget> targets, HashSet<string> seen)
    {
        var files = new List<string>();
        var folders = new List<string>();
        try
        {
            // One listing per folder that also says which entries are links: listing files and folders separately
            // and reading each folder's link target cost three system calls where one does.
            var entries = new FileSystemEnumerable<(string Path, bool IsFolder, bool IsLink)>(
                folder,
                (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.IsDirectory, (entry.Attributes & FileAttributes.ReparsePoint) != 0),
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
            targets.Add(new ScanTarget(Display(folder, currentDirectory), folder, $"cannot read folder: {ex.Message}"));
            return;
        }

        files.Sort(StringComparer.Ordinal);
        folders.Sort(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (config.IsIncluded(Path.GetRelativePath(root, file)) && seen.Add(file))
            {
                targets.Add(new ScanTarget(Display(file, currentDirectory), file, Root: root));
            }
        }

        foreach (var sub in folders)
        {
            if (DockerfileNames.SkippedFolders.Contains(Path.GetFileName(sub)))
            {
                continue;
            }

            Walk(root, sub, currentDirectory, config, targets, seen);
        }
    }

    /// <summary>Relative to the current folder when inside it, with / separators; otherwise the absolute path.</summary>
    public static string Display(string fullPath, string currentDirectory)
    {
        var relative = Path.GetRelativePath(currentDirectory, fullPath);
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return fullPath;
        }

        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
