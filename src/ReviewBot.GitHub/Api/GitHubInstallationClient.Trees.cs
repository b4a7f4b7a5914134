using System.Collections.Immutable;

namespace ReviewBot.GitHub.Api;

/// <summary>What a path of a commit's tree is. Git's modes: 100644/100755 file, 120000 symbolic link, 040000 folder, 160000 submodule.</summary>
public enum TreeEntryKind
{
    File,
    Link,
    Folder,
    Submodule,
}

/// <summary>One path of a commit's tree; <see cref="Size"/> in bytes for a file or link when the listing gave it.</summary>
public sealed record TreeEntry(string Path, TreeEntryKind Kind, long? Size = null);

/// <summary>
/// Every path of one commit's tree (recursively) and what it is, so a review knows which Dockerfile is a symbolic
/// link and which compose files and devcontainer.json files there are; <see cref="Truncated"/> when the listing was
/// cut off (GitHub lists at most 100,000 entries or 7 MB), in which case a path it lacks may still exist.
/// </summary>
public sealed record RepositoryTree(ImmutableArray<TreeEntry> Entries, bool Truncated)
{
    private readonly Lazy<Dictionary<string, TreeEntry>> _entries = new(() => Entries.ToDictionary(e => e.Path, StringComparer.Ordinal));

    /// <summary>What is at <paramref name="path"/>, or null when the listing has nothing there.</summary>
    public TreeEntryKind? KindOf(string path) => _entries.Value.TryGetValue(path, out var entry) ? entry.Kind : null;

    /// <summary>The blob's size at <paramref name="path"/> in bytes, or null when the listing did not say (so a budget can be kept before any text is read).</summary>
    public long? SizeOf(string path) => _entries.Value.TryGetValue(path, out var entry) ? entry.Size : null;

    /// <summary>Files and symbolic links, in the listing's order: what a whole-tree check reviews.</summary>
    public ChangedFiles AsChangedFiles() =>
        new([.. Entries.Where(e => e.Kind is TreeEntryKind.File or TreeEntryKind.Link).Select(e => new ChangedFile(e.Path, "added", null, null))], Truncated);

    /// <summary>Git's mode as <see cref="TreeEntryKind"/>; null for what git does not write.</summary>
    public static TreeEntryKind? Kind(string? mode) => mode switch
    {
        "100644" or "100755" or "100664" => TreeEntryKind.File,
        "120000" => TreeEntryKind.Link,
        "040000" or "40000" => TreeEntryKind.Folder,
        "160000" => TreeEntryKind.Submodule,
        _ => null,
    };
}

/// <summary>Every path of a commit's tree: for links, build files, and checks that cover a whole branch rather than a diff.</summary>
public sealed partial class GitHubInstallationClient
{
    /// <summary>
    /// The tree at <paramref name="commitSha"/>, in one call: GET /repos/{o}/{r}/git/trees/{sha}?recursive=1 (a commit
    /// SHA names its tree too), with each entry's mode.
    /// </summary>
    public async Task<RepositoryTree> ReadTreeAsync(string owner, string repo, string commitSha, CancellationToken cancellationToken)
    {
        var tree = await _http.SendAsync(HttpMethod.Get, $"{Repo(owner, repo)}/git/trees/{Escape(commitSha)}?recursive=1", GitHubJson.Default.TreeResponse, cancellationToken).ConfigureAwait(false);
        return new RepositoryTree(
            [.. (tree.Tree ?? []).Where(e => !string.IsNullOrEmpty(e.Path) && RepositoryTree.Kind(e.Mode) is not null).Select(e => new TreeEntry(e.Path!, RepositoryTree.Kind(e.Mode)!.Value, e.Size))],
            tree.Truncated);
    }
}

internal sealed record TreeResponse(string? Sha, IReadOnlyList<TreeEntryResponse>? Tree, bool Truncated);

internal sealed record TreeEntryResponse(string? Path, string? Mode, string? Type, long? Size);
