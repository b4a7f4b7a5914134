using System.IO.Enumeration;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Manifests;
using ReviewBot.Configuration;

namespace ReviewBot.Cli.Scanning;

/// <summary>A file to scan (or standard input when <see cref="FullPath"/> is null), or a path that could not be used.</summary>
/// <param name="Root">The tree it was found in: the folder walked; for a named file, the current folder when the path as
/// written lies in it, else the file's own folder as written. The only place --fix may write, judged by real paths
/// (<see cref="AtomicFile.Replace"/>): links in the tree's own path are the user's, links below it the repository's.</param>
/// <param name="RootExpected">Why the image must start as root, as a file beside it says (a Docker container action's
/// <c>action.yml</c> in a folder the walk read before the Dockerfile's, or the same folder); null when none does.</param>
public sealed record ScanTarget(string DisplayPath, string? FullPath, string? Error = null, string? Root = null, RootExpected? RootExpected = null)
{
    public bool IsStandardInput => FullPath is null && Error is null;

    /// <summary>Set for a Compose file, Kubernetes manifest or Helm values, which RB008 judges instead of the Dockerfile rules.</summary>
    public ManifestKind? Manifest { get; init; }

    /// <summary>
    /// The folders of the walked tree (relative, '/'-separated, "" for its root) that hold a Compose file, as the walk
    /// listed them: filled before a folder's files are yielded, so a Dockerfile's folder and those above it are known.
    /// Null for a file named on the command line: its folders were not listed.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool>? ComposeFolders { get; init; }

    /// <summary>The path from <see cref="Root"/>, / separated: what a manifest's <c>build:</c> and the config's paths are relative to.</summary>
    public string? RelativePath => FullPath is null || Root is null ? null : Path.GetRelativePath(Root, FullPath).Replace('\\', '/');

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
                    var actions = new ActionImages();
                    ReadActions([Path.Join(folder, "action.yml"), Path.Join(folder, "action.yaml")], folder, actions);
                    yield return new ScanTarget(Display(full, currentDirectory), full, Root: root, RootExpected: Action(actions, full)) { Manifest = NamedManifest(full) };
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

    /// <summary>
    /// Whether a listed entry is a symbolic link (on Windows, any reparse point: <see cref="FileInfo.LinkTarget"/> then
    /// tells). The listing already says so (Unix's d_type, Windows' attributes), but on Unix the public
    /// <see cref="FileSystemEntry.Attributes"/> asks again with an lstat per entry: 1,233 folders and 1,300 Dockerfiles
    /// in the corpus, plus a readlink per Dockerfile to learn the same of files.
    /// </summary>
    private static bool IsLink(ref FileSystemEntry entry) =>
        OperatingSystem.IsWindows() ? (entry.Attributes & FileAttributes.ReparsePoint) != 0 : ListedAsSymbolicLink(ref entry);

    /// <summary>
    /// FileSystemEntry's own answer on Unix from the listing's entry type (internal, also what the enumeration's
    /// AttributesToSkip uses). Bound when the program is compiled: if a runtime renamed it, every walk would throw
    /// MissingMethodException and the link tests (ScanTargetTests) fail, rather than links going unseen.
    /// </summary>
    [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = "get_IsSymbolicLink")]
    private static extern bool ListedAsSymbolicLink(ref FileSystemEntry entry);

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
        var buildFiles = new List<string>();
        var actionImages = new ActionImages();
        var manifests = new List<(string Path, ManifestKind Kind)>();
        var composeFolders = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var files = new List<(string Path, bool IsLink)>();
        var folders = new List<string>();
        // Neither folder holds the other: every file is shown by its full path, as Display would after comparing each
        // file's path with the current folder (Path.GetRelativePath normalizes both: 1.6% of a corpus scan's CPU).
        bool apart = Path.IsPathRooted(Display(root, currentDirectory)) && IsOutside(Path.GetRelativePath(root, currentDirectory));
        while (pending.TryPop(out var folder))
        {
            files.Clear();
            folders.Clear();
            string? error = null;
            try
            {
                // One listing per folder that also says which entries are links (IsLink), with no system call per entry.
                var entries = new FileSystemEnumerable<(string Path, bool IsFolder, bool IsLink)>(
                    folder,
                    (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.IsDirectory, IsLink(ref entry)),
                    ListOptions);
                foreach (var (path, isFolder, isLink) in entries)
                {
                    if (!isFolder)
                    {
                        files.Add((path, isLink));
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

            files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            ReadActions(files.Select(f => f.Path), root, actionImages);
            if (files.Exists(f => ManifestNames.IsCompose(Path.GetFileName(f.Path.AsSpan()))))
            {
                // Known before this folder's Dockerfiles are yielded: their fixes read its Compose files' mounts.
                composeFolders[folder == root ? "" : (RelativeInside(root, folder) ?? Path.GetRelativePath(root, folder)).Replace('\\', '/')] = true;
            }

            foreach (var (file, isLink) in files)
            {
                var relative = RelativeInside(root, file) ?? Path.GetRelativePath(root, file);
                if (config.IsIncluded(relative) && seen.Add(file))
                {
                    yield return Found(file, isLink, root, currentDirectory, apart ? file : null) with { RootExpected = Action(actionImages, file), ComposeFolders = composeFolders };
                }
                else if (!config.IsExcluded(relative))
                {
                    var inTree = relative.Replace('\\', '/');
                    if (DockerfileReferences.IsBuildFile(inTree))
                    {
                        buildFiles.Add(file);
                    }

                    if (ManifestNames.Kind(inTree, p => File.Exists(Path.Join(root, p))) is { } kind)
                    {
                        manifests.Add((file, kind));
                    }
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

        foreach (var target in Named(buildFiles, root, currentDirectory, config, seen))
        {
            yield return target.FullPath is { } full ? target with { RootExpected = Action(actionImages, full) } : target;
        }

        foreach (var target in Manifests(manifests, root, currentDirectory, seen))
        {
            yield return target;
        }
    }

    /// <summary>The kind of manifest a file named on the command line is, by its name (a Chart.yaml beside it makes values.yaml Helm's).</summary>
    private static ManifestKind? NamedManifest(string full)
    {
        var name = Path.GetFileName(full);
        if (DockerfileNames.IsDockerfile(name))
        {
            return null;
        }

        var folder = Path.GetDirectoryName(full)!;
        return ManifestNames.Kind(name, p => File.Exists(Path.Join(folder, p)));
    }

    /// <summary>
    /// The YAML files the walk found that run containers (RB008), after the Dockerfiles: read once here to tell, within
    /// <see cref="ManifestLinks.MaxManifests"/> files and <see cref="ManifestReader.MaxChars"/> each. Any YAML file may be
    /// a Kubernetes manifest, so one that is not valid YAML or runs nothing is no target; a Compose file that cannot be
    /// read is already an error of <see cref="Named"/>; one over the reader's bounds is an error here.
    /// </summary>
    private static IEnumerable<ScanTarget> Manifests(List<(string Path, ManifestKind Kind)> manifests, string root, string currentDirectory, HashSet<string> seen)
    {
        if (manifests.Count > ManifestLinks.MaxManifests)
        {
            yield return new ScanTarget(Display(root, currentDirectory), root, $"has {manifests.Count} YAML files that may be manifests; reviewbot reads at most {ManifestLinks.MaxManifests}, so RB008 did not read the rest");
            manifests = manifests[..ManifestLinks.MaxManifests];
        }

        foreach (var (path, kind) in manifests)
        {
            var (text, _) = ReadBuildFile(path);
            if (text is null || !seen.Add(path))
            {
                continue;
            }

            var manifest = ManifestReader.Read(kind, text);
            var display = Display(path, currentDirectory);
            if (manifest.Error is { } error && kind != ManifestKind.Compose && !error.StartsWith("is not valid YAML", StringComparison.Ordinal))
            {
                yield return new ScanTarget(display, path, $"{error}, so RB008 did not read it");
            }
            else if (manifest.Error is null && !manifest.Containers.IsEmpty)
            {
                yield return new ScanTarget(display, path, Root: root) { Manifest = kind };
            }
        }
    }

    /// <summary>
    /// The Dockerfiles that the Docker container actions among a folder's <paramref name="files"/> are built from (full
    /// paths), with each action file's path from <paramref name="root"/>: read before the folder's files are given out,
    /// so an action's own Dockerfile (beside it, or below it) is known as one when the walk reaches it. At most
    /// <see cref="DockerActions.MaxFiles"/> per walk, each within <see cref="DockerActions.MaxFileBytes"/>; one that
    /// cannot be read names nothing, and its Dockerfile keeps its findings.
    /// </summary>
    private static void ReadActions(IEnumerable<string> files, string root, ActionImages actionImages)
    {
        foreach (var file in files)
        {
            if (!DockerActions.IsActionFile(file) || actionImages.Read++ >= DockerActions.MaxFiles)
            {
                continue;
            }

            try
            {
                if (!File.Exists(file) || new FileInfo(file).Length > DockerActions.MaxFileBytes)
                {
                    continue;
                }

                var relative = (RelativeInside(root, file) ?? Path.GetRelativePath(root, file)).Replace('\\', '/');
                if (DockerActions.Dockerfile(relative, File.ReadAllText(file)) is { } dockerfile)
                {
                    actionImages.Images.TryAdd(Path.GetFullPath(Path.Join(root, dockerfile)), relative);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Unread: the Dockerfile is judged as any other.
            }
        }
    }

    private static RootExpected? Action(ActionImages actionImages, string file) =>
        actionImages.Images.TryGetValue(file, out var action) ? new RootExpected(RootExpectedReason.DockerAction, action) : null;

    /// <summary>A walk's Docker container actions: each image's full path with its action file, and how many action files were read.</summary>
    private sealed class ActionImages
    {
        public Dictionary<string, string> Images { get; } = new(StringComparer.Ordinal);

        public int Read { get; set; }
    }

    /// <summary>
    /// A Dockerfile the walk found. A symbolic link is followed (the target is what docker build reads), but only
    /// within the folder walked: a link that leads out of it is an error, not a file of someone else's judged or skipped.
    /// </summary>
    /// <param name="mayBeLink">False when the folder's listing said the file is no link: then nothing more is asked of it.</param>
    /// <param name="display">The file's <see cref="Display"/> when already known.</param>
    private static ScanTarget Found(string file, bool mayBeLink, string root, string currentDirectory, string? display = null)
    {
        display ??= Display(file, currentDirectory);
        if (!mayBeLink || new FileInfo(file).LinkTarget is not { } linkTarget)
        {
            return new ScanTarget(display, file, Root: root);
        }

        var real = RealPath(file);
        var realRoot = RealPath(root);
        return real is not null && realRoot is not null && RelativeInside(realRoot, real) is not null
            ? new ScanTarget(display, file, Root: root)
            : new ScanTarget(display, file, $"is a symbolic link to '{linkTarget}', which leads outside {Display(root, currentDirectory)} (or nowhere), so it was not checked");
    }

    /// <summary>
    /// <paramref name="path"/> with every symbolic link on the way resolved (<see cref="Scanning.RealPath"/>), or null
    /// when a link loops, cannot be read, or leads to nothing.
    /// </summary>
    private static string? RealPath(string path)
    {
        try
        {
            var real = Scanning.RealPath.Resolve(path);
            return File.Exists(real) || Directory.Exists(real) ? real : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The Dockerfiles that the compose files and devcontainer.json files found under <paramref name="root"/> name,
    /// whatever their names, that the walk did not already find (and not excluded); a build file that cannot be
    /// read is an error target, since the Dockerfiles it names were not checked.
    /// </summary>
    private static IEnumerable<ScanTarget> Named(List<string> buildFiles, string root, string currentDirectory, RepositoryConfig config, HashSet<string> seen)
    {
        if (buildFiles.Count > DockerfileReferences.MaxFiles)
        {
            yield return new ScanTarget(Display(root, currentDirectory), root, $"has {buildFiles.Count} compose and devcontainer.json files; reviewbot reads at most {DockerfileReferences.MaxFiles}, so the Dockerfiles the rest name were not checked");
            buildFiles = buildFiles[..DockerfileReferences.MaxFiles];
        }

        foreach (var buildFile in buildFiles)
        {
            var display = Display(buildFile, currentDirectory);
            var (text, readError) = ReadBuildFile(buildFile);
            if (readError is not null)
            {
                yield return new ScanTarget(display, buildFile, readError);
                continue;
            }

            var relative = (RelativeInside(root, buildFile) ?? Path.GetRelativePath(root, buildFile)).Replace('\\', '/');
            var result = DockerfileReferences.Read(relative, text!);
            if (result.Error is { } error)
            {
                yield return new ScanTarget(display, buildFile, $"{error}, so the Dockerfiles it names were not checked");
            }

            foreach (var dockerfile in result.Dockerfiles)
            {
                var full = Path.GetFullPath(Path.Join(root, dockerfile));
                if (File.Exists(full) && !config.IsExcluded(dockerfile) && seen.Add(full))
                {
                    yield return Found(full, mayBeLink: true, root, currentDirectory);
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

    /// <summary>A compose file's or devcontainer.json's text, within <see cref="DockerfileReferences.MaxFileBytes"/>, or why not.</summary>
    private static (string? Text, string? Error) ReadBuildFile(string path)
    {
        try
        {
            return new FileInfo(path).Length > DockerfileReferences.MaxFileBytes
                ? (null, $"is larger than {DockerfileReferences.MaxFileBytes / 1024} KiB, so the Dockerfiles it names were not checked")
                : (File.ReadAllText(path), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read: {ex.Message}");
        }
    }

    /// <summary>Relative to the current folder when inside it, with / separators; otherwise the absolute path.</summary>
    public static string Display(string fullPath, string currentDirectory)
    {
        if (RelativeInside(currentDirectory, fullPath) is { } inside)
        {
            return Path.DirectorySeparatorChar == '/' ? inside : inside.Replace(Path.DirectorySeparatorChar, '/');
        }

        var relative = Path.GetRelativePath(currentDirectory, fullPath);
        return IsOutside(relative) ? fullPath : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>Whether what <see cref="Path.GetRelativePath(string, string)"/> gave leads out of its folder (or to another drive).</summary>
    private static bool IsOutside(string relative) =>
        Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
