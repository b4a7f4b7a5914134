using ReviewBot.Analysis;
using ReviewBot.Configuration;
using ReviewBot.GitHub.Api;

namespace ReviewBot.GitHub.PullRequests;

/// <summary>What <see cref="ContextFiles.ReadAsync"/> read: the engine's reader, and the files that are there but were not read.</summary>
/// <param name="Unread">Repository paths of files the Dockerfile copies in that are too large, not text or over the review's budget.</param>
public sealed record ContextRead(Func<string, string?> Reader, IReadOnlyList<string> Unread);

/// <summary>
/// The build-context files the engine asks for (<see cref="AnalyzerOptions.ReadContextFile"/>: the script an image
/// starts with, to see whether it drops root), read at the head commit. Without them a review took an installed gosu
/// beside any script it could not read as a step-down, so a script that never calls gosu passed the gate. As
/// <c>reviewbot scan</c> does, the context is the Dockerfile's folder (<c>docker build</c> next to it): a path that
/// leaves it is not read. A symbolic link is followed inside the repository at the same commit.
/// </summary>
public static class ContextFiles
{
    /// <summary>Files one Dockerfile may have read: the engine asks for its final stage's entrypoint script, once.</summary>
    private const int MaxAskedPerDockerfile = 4;

    /// <summary>A reader for a first analysis: it answers nothing, as no reader would, and records what was asked.</summary>
    public static Func<string, string?> Recorder(ICollection<string> asked) => source =>
    {
        asked.Add(source);
        return null;
    };

    /// <summary>The repository path a COPY source names in the context of the Dockerfile at <paramref name="dockerfilePath"/>; null when it leaves that folder.</summary>
    public static string? PathOf(string dockerfilePath, string source)
    {
        // COPY sources are relative to the context even when written with a leading slash.
        string folder = RepositoryPaths.Folder(dockerfilePath);
        string? path = RepositoryPaths.Resolve(folder, source.TrimStart('/'));
        return path is not null && (folder.Length == 0 || path.StartsWith(folder + "/", StringComparison.Ordinal)) ? path : null;
    }

    /// <summary>Dockerfiles read at most to learn which of them start a script the change touches (see <see cref="StartingChangedScriptsAsync"/>).</summary>
    public const int MaxScriptOwners = 50;

    /// <summary>Size of such a Dockerfile read at most: real ones are a few kilobytes.</summary>
    public const long MaxScriptOwnerBytes = 256 * 1024;

    /// <summary>
    /// The Dockerfiles this change does not touch that start with a script it changes: they are judged too, since the
    /// script decides whether the image drops root, and a pull request that only deleted the gosu call from an
    /// entrypoint script passed unreviewed. A script lies in its Dockerfile's folder (the context), so only the
    /// Dockerfiles in the changed files' folders and those above them are read. False when there were more than
    /// <see cref="MaxScriptOwners"/>, or one was larger than <see cref="MaxScriptOwnerBytes"/> or could not be read or
    /// analyzed: the change is then not fully checked, and says so.
    /// </summary>
    /// <param name="changed">The changed files not already judged as Dockerfiles.</param>
    /// <param name="isDockerfile">Whether a path is a Dockerfile not already judged (the config's names and globs).</param>
    /// <param name="analyze">The engine under the config, asked only which build-context file the verdict turns on.</param>
    public static async Task<(List<string> Dockerfiles, bool Complete)> StartingChangedScriptsAsync(
        IPullRequestSource source, RepositoryTree tree, IReadOnlySet<string> changed, Func<string, bool> isDockerfile,
        Func<string, Func<string, string?>, AnalysisResult> analyze, Func<long, Task> take, CancellationToken cancellationToken)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in changed)
        {
            for (string folder = RepositoryPaths.Folder(path); folders.Add(folder) && folder.Length > 0; folder = RepositoryPaths.Folder(folder))
            {
            }
        }

        var candidates = tree.Entries
            .Where(e => e.Kind == TreeEntryKind.File && folders.Contains(RepositoryPaths.Folder(e.Path)) && isDockerfile(e.Path))
            .Select(e => e.Path)
            .Order(StringComparer.Ordinal)
            .ToList();
        bool complete = candidates.Count <= MaxScriptOwners && candidates.All(c => tree.SizeOf(c) is <= MaxScriptOwnerBytes);
        candidates = [.. candidates.Where(c => tree.SizeOf(c) is <= MaxScriptOwnerBytes).Take(MaxScriptOwners)];
        var starting = new List<string>();
        if (candidates.Count == 0)
        {
            return (starting, complete);
        }

        await take(candidates.Sum(c => tree.SizeOf(c)!.Value)).ConfigureAwait(false);
        var reads = await source.ReadHeadFilesAsync(candidates, MaxScriptOwnerBytes, cancellationToken).ConfigureAwait(false);
        foreach (var (dockerfile, read) in candidates.Zip(reads))
        {
            if (read.Text is not { } text)
            {
                complete = false;
                continue;
            }

            var asked = new List<string>();
            try
            {
                analyze(text, Recorder(asked));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                complete = false;
                continue;
            }

            if (asked.Any(a => PathOf(dockerfile, a) is { } path && changed.Contains(path)))
            {
                starting.Add(dockerfile);
            }
        }

        return (starting, complete);
    }

    /// <summary>
    /// Reads at the head what the engine asked for while analyzing the Dockerfile at <paramref name="dockerfilePath"/>.
    /// <paramref name="take"/> takes bytes from the review's text budget (false: over it). A file that is there but too
    /// large, not text or over budget reads as empty, and is named in <see cref="ContextRead.Unread"/>: taken as
    /// unreadable, an installed gosu would again count as a step-down, and padding a script would pass the gate. A
    /// file that is not there (absent, or a link that leads out of the repository) is left unreadable, as for `scan`.
    /// </summary>
    public static async Task<ContextRead> ReadAsync(IPullRequestSource source, RepositoryTree tree, string dockerfilePath, IEnumerable<string> asked, Func<long, Task<bool>> take, CancellationToken cancellationToken)
    {
        var wanted = asked.Distinct(StringComparer.Ordinal).Take(MaxAskedPerDockerfile)
            .Select(s => (Source: s, Path: PathOf(dockerfilePath, s)))
            .Where(w => w.Path is not null && tree.KindOf(w.Path) is TreeEntryKind.File or TreeEntryKind.Link)
            .Select(w => (w.Source, Path: w.Path!))
            .ToList();
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var unread = new List<string>();
        if (wanted.Count == 0)
        {
            return new ContextRead(_ => null, unread);
        }

        var links = await DockerfileSelection.ResolveLinksAsync(source, tree, wanted.Select(w => w.Path), cancellationToken).ConfigureAwait(false);
        var toRead = new List<(string Source, string Path)>();
        foreach (var (name, path) in wanted)
        {
            if ((links.TryGetValue(path, out var link) ? link.Target : path) is not { } file)
            {
                continue; // a link that leads nowhere in the repository: no build copies a file from it
            }

            // The tree gives the size before anything is downloaded; a listing cut short may not.
            if (tree.SizeOf(file) is long size && (size > AnalyzerOptions.MaxContextFileChars || !await take(size).ConfigureAwait(false)))
            {
                texts[name] = "";
                unread.Add(file);
                continue;
            }

            toRead.Add((name, file));
        }

        if (toRead.Count > 0)
        {
            var reads = await source.ReadHeadFilesAsync([.. toRead.Select(r => r.Path)], AnalyzerOptions.MaxContextFileChars, cancellationToken).ConfigureAwait(false);
            if (reads.Count != toRead.Count)
            {
                throw new InvalidOperationException($"Asked for {toRead.Count} files, the source answered {reads.Count}.");
            }

            foreach (var ((name, file), read) in toRead.Zip(reads))
            {
                if (read.Status is FileReadStatus.TooLarge or FileReadStatus.NotText
                    || (read.Text is { } counted && tree.SizeOf(file) is null && !await take(read.Size ?? counted.Length).ConfigureAwait(false)))
                {
                    texts[name] = "";
                    unread.Add(file);
                }
                else if (read.Text is { } text)
                {
                    texts[name] = text;
                }
            }
        }

        return new ContextRead(name => texts.GetValueOrDefault(name), unread);
    }
}
