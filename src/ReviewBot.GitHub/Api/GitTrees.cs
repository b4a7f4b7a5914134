namespace ReviewBot.GitHub.Api;

/// <summary>Every file of a commit's tree, for checks that cover a whole branch rather than a diff.</summary>
public sealed partial class PullRequestClient
{
    /// <summary>Git: a symbolic link's blob holds its target path, not a file's text.</summary>
    private const string SymlinkMode = "120000";

    /// <summary>
    /// The files (blobs; no symbolic links, directories or submodules) of the tree at <paramref name="commitSha"/>,
    /// in one call: GET /repos/{o}/{r}/git/trees/{sha}?recursive=1 (a commit SHA names its tree too).
    /// <see cref="ChangedFiles.Truncated"/> when GitHub cut the listing off (it lists at most 100,000 entries or 7 MB).
    /// Each file is reported as "added", without a patch: nothing is placed on a diff.
    /// </summary>
    public async Task<ChangedFiles> ListTreeFilesAsync(string owner, string repo, string commitSha, CancellationToken cancellationToken)
    {
        var tree = await _http.SendAsync(HttpMethod.Get, $"{Repo(owner, repo)}/git/trees/{Escape(commitSha)}?recursive=1", GitHubJson.Default.TreeResponse, cancellationToken).ConfigureAwait(false);
        return new ChangedFiles(
            [.. (tree.Tree ?? []).Where(e => e.Type == "blob" && e.Mode != SymlinkMode && !string.IsNullOrEmpty(e.Path)).Select(e => new ChangedFile(e.Path!, "added", null, null))],
            tree.Truncated);
    }
}

internal sealed record TreeResponse(string? Sha, IReadOnlyList<TreeEntryResponse>? Tree, bool Truncated);

internal sealed record TreeEntryResponse(string? Path, string? Mode, string? Type, long? Size);
