using ReviewBot.Analysis;
using ReviewBot.GitHub.Api;
using ReviewBot.Configuration;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.PullRequests;

/// <summary>Where a symbolic link to a Dockerfile leads: the file to judge in its place, or why there is none.</summary>
public sealed record LinkResolution(string? Target, string? Why);

/// <summary>
/// The two ways a Dockerfile escapes a name match, read at the head commit: Dockerfiles that compose files and
/// devcontainer.json files name (whatever their names), and Dockerfiles that are symbolic links, whose blob is the
/// link's target path rather than a Dockerfile. Both bounded; what is over a bound is said in a note and keeps the
/// check from passing.
/// </summary>
public static class DockerfileSelection
{
    /// <summary>Links followed from one Dockerfile before giving up (Linux's own limit is 40; real chains are 1 or 2).</summary>
    public const int MaxLinkHops = 8;

    /// <summary>A link's target path is at most PATH_MAX (4096 bytes on Linux); a longer blob is no link git made.</summary>
    public const long MaxLinkBytes = 4096;

    /// <summary>
    /// Which Dockerfiles the head's build files name, and by which build files. Excluded build files (the base's
    /// <c>paths.exclude</c>) are not read. False when a build file could not be read (too many, too large, not
    /// valid), or the tree listing was cut off: then a named Dockerfile may have been missed.
    /// </summary>
    public static async Task<(Dictionary<string, List<string>> NamedBy, bool Complete)> ReadBuildFilesAsync(
        IPullRequestSource source, RepositoryTree tree, RepositoryConfig config, ICollection<string> notes, CancellationToken cancellationToken)
    {
        var namedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var buildFiles = tree.Entries
            .Where(e => e.Kind == TreeEntryKind.File && DockerfileReferences.IsBuildFile(e.Path) && !config.IsExcluded(e.Path))
            .Select(e => e.Path)
            .Order(StringComparer.Ordinal)
            .ToList();
        bool complete = !tree.Truncated;
        if (buildFiles.Count > DockerfileReferences.MaxFiles)
        {
            notes.Add($"The repository has {buildFiles.Count} compose and devcontainer.json files; ReviewBot reads at most {DockerfileReferences.MaxFiles}, so the Dockerfiles that {PullRequestReviewer.Paths(buildFiles.Skip(DockerfileReferences.MaxFiles))} name were not checked.");
            buildFiles = [.. buildFiles.Take(DockerfileReferences.MaxFiles)];
            complete = false;
        }

        var reads = await source.ReadHeadFilesAsync(buildFiles, DockerfileReferences.MaxFileBytes, cancellationToken).ConfigureAwait(false);
        var unread = new List<(string Path, string Why)>();
        foreach (var (path, read) in buildFiles.Zip(reads))
        {
            if (read.Text is not { } text)
            {
                unread.Add((path, read.Status == FileReadStatus.TooLarge ? $"is larger than {DockerfileReferences.MaxFileBytes / 1024} KiB" : "could not be read"));
                continue;
            }

            var result = DockerfileReferences.Read(path, text);
            if (result.Error is { } error)
            {
                unread.Add((path, error));
            }

            foreach (var dockerfile in result.Dockerfiles)
            {
                if (!namedBy.TryGetValue(dockerfile, out var by))
                {
                    namedBy[dockerfile] = by = [];
                }

                by.Add(path);
            }
        }

        foreach (var group in unread.GroupBy(u => u.Why, StringComparer.Ordinal))
        {
            notes.Add($"{PullRequestReviewer.Paths(group.Select(g => g.Path))} {group.Key}, so the Dockerfiles it names may not have been checked.");
            complete = false;
        }

        return (namedBy, complete);
    }

    /// <summary>
    /// Which of <paramref name="dockerfiles"/> Docker container actions of the repository are built from: the head's
    /// <c>action.yml</c>/<c>action.yaml</c> files (at most <see cref="DockerActions.MaxFiles"/>, each at most
    /// <see cref="DockerActions.MaxFileBytes"/>) name them, and the fact is <see cref="RootExpected.Trusted"/> only when
    /// the same action file at the base commit names the same Dockerfile. Fail closed: a pull request that adds an
    /// action.yml naming its web application's Dockerfile (or points an existing one at it) gets no USER fix for it,
    /// but its RB001 error stays until that action.yml is on the base branch, so it cannot excuse its own Dockerfile.
    /// An action file that cannot be read, or a tree cut short, names nothing: its Dockerfile keeps its error.
    /// </summary>
    public static async Task<Dictionary<string, RootExpected>> ReadActionImagesAsync(IPullRequestSource source, RepositoryTree tree, IReadOnlyCollection<string> dockerfiles, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, RootExpected>(StringComparer.Ordinal);
        var actionFiles = tree.Entries
            .Where(e => e.Kind == TreeEntryKind.File && DockerActions.IsActionFile(e.Path))
            .Select(e => e.Path)
            .Order(StringComparer.Ordinal)
            .Take(DockerActions.MaxFiles)
            .ToList();
        if (actionFiles.Count == 0 || dockerfiles.Count == 0)
        {
            return found;
        }

        var head = DockerActions.Images(Texts(actionFiles, await source.ReadHeadFilesAsync(actionFiles, DockerActions.MaxFileBytes, cancellationToken).ConfigureAwait(false)));
        var named = head.Where(h => dockerfiles.Contains(h.Key)).ToList();
        if (named.Count == 0)
        {
            return found;
        }

        var baseFiles = named.Select(n => n.Value).Distinct(StringComparer.Ordinal).ToList();
        var atBase = DockerActions.Images(Texts(baseFiles, await source.ReadBaseFilesAsync(baseFiles, DockerActions.MaxFileBytes, DockerActions.MaxFiles * DockerActions.MaxFileBytes, cancellationToken).ConfigureAwait(false)));
        foreach (var (dockerfile, action) in named)
        {
            found[dockerfile] = new RootExpected(RootExpectedReason.DockerAction, action) { Trusted = atBase.ContainsKey(dockerfile) };
        }

        return found;
    }

    private static IEnumerable<(string Path, string Text)> Texts(List<string> paths, IReadOnlyList<FileRead> reads) =>
        paths.Zip(reads).Where(x => x.Second.Text is not null).Select(x => (x.First, x.Second.Text!));

    /// <summary>
    /// For each of <paramref name="paths"/> that the tree says is a symbolic link: the file it leads to, resolved from
    /// the link's folder at the same commit, hop by hop (each hop's links read in one batch), or why it leads nowhere
    /// that can be judged: outside the repository (absolute, or above the root), to a folder, to nothing, or through
    /// more than <see cref="MaxLinkHops"/> links. Paths that are not links are not in the answer.
    /// </summary>
    public static async Task<Dictionary<string, LinkResolution>> ResolveLinksAsync(IPullRequestSource source, RepositoryTree tree, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, LinkResolution>(StringComparer.Ordinal);
        var at = paths.Where(p => tree.KindOf(p) == TreeEntryKind.Link).Distinct(StringComparer.Ordinal).ToDictionary(p => p, p => p, StringComparer.Ordinal);
        for (int hop = 0; hop < MaxLinkHops && at.Count > 0; hop++)
        {
            var links = at.Keys.ToList();
            var reads = await source.ReadHeadFilesAsync([.. links.Select(l => at[l])], MaxLinkBytes, cancellationToken).ConfigureAwait(false);
            foreach (var (link, read) in links.Zip(reads))
            {
                var current = at[link];
                if (read.Text is not { } text)
                {
                    resolved[link] = new LinkResolution(null, "is a symbolic link whose target could not be read");
                    at.Remove(link);
                    continue;
                }

                var target = RepositoryPaths.Resolve(RepositoryPaths.Folder(current), text);
                var kind = target is null ? null : tree.KindOf(target);
                if (kind == TreeEntryKind.Link)
                {
                    at[link] = target!;
                    continue;
                }

                at.Remove(link);
                resolved[link] = (target, kind) switch
                {
                    (null, _) => new LinkResolution(null, $"is a symbolic link to {Markdown.CodeSpan(text)}, outside the repository"),
                    (_, TreeEntryKind.File) => new LinkResolution(target, null),
                    // A listing cut short may lack the target; reading it then tells.
                    (_, null) when tree.Truncated => new LinkResolution(target, null),
                    (_, TreeEntryKind.Folder) => new LinkResolution(null, $"is a symbolic link to the folder {Markdown.CodeSpan(target)}"),
                    _ => new LinkResolution(null, $"is a symbolic link to {Markdown.CodeSpan(target)}, which is no file at the head"),
                };
            }
        }

        foreach (var link in at.Keys)
        {
            resolved[link] = new LinkResolution(null, $"is a chain of more than {MaxLinkHops} symbolic links");
        }

        return resolved;
    }
}
