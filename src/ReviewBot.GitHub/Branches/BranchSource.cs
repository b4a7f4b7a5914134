using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.PullRequests;

namespace ReviewBot.GitHub.Branches;

/// <summary>
/// A commit on a branch seen as if every file were new: the whole tree is listed (one call), its files read in
/// GraphQL batches at that commit, and the config read from that commit too (the branch's own config, as it
/// stands there). There is no diff, so no patches.
/// </summary>
public sealed class BranchSource(GitHubInstallationClient client, string owner, string repo, string branch, string commitSha, string configPath = Configuration.RepositoryConfig.RepositoryPath) : IPullRequestSource
{
    public string ConfigLabel => $"`{configPath}` on {branch}";

    public Checks.CheckSubject Subject => Checks.CheckSubject.Commit;

    private Task<RepositoryTree>? _tree;

    /// <summary>Every file and symbolic link of the tree (a link's target is judged in its place).</summary>
    public async Task<ChangedFiles> ListFilesAsync(CancellationToken cancellationToken) =>
        (await ReadHeadTreeAsync(cancellationToken).ConfigureAwait(false)).AsChangedFiles();

    /// <summary>The one tree listing, shared by the file list and the review's links and build files.</summary>
    public Task<RepositoryTree> ReadHeadTreeAsync(CancellationToken cancellationToken) =>
        _tree ??= client.ReadTreeAsync(owner, repo, commitSha, cancellationToken);

    public ValueTask<string?> PatchAsync(ChangedFile file, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    public Task<FileRead> ReadHeadFileAsync(string path, long maxBytes, CancellationToken cancellationToken) =>
        client.ReadFileAsync(owner, repo, path, commitSha, maxBytes, cancellationToken);

    public Task<IReadOnlyList<FileRead>> ReadHeadFilesAsync(IReadOnlyList<string> paths, long maxBytes, CancellationToken cancellationToken) =>
        client.ReadFilesAsync(owner, repo, paths, commitSha, maxBytes, cancellationToken);

    public Task<FileRead> ReadConfigAsync(long maxBytes, CancellationToken cancellationToken) =>
        client.ReadFileAsync(owner, repo, configPath, commitSha, maxBytes, cancellationToken);

    /// <summary>A branch's commit is its own base: its pragmas are the branch's, none added by a change.</summary>
    public Task<IReadOnlyList<FileRead>> ReadBaseFilesAsync(IReadOnlyList<string> paths, long maxBytes, long maxTotalBytes, CancellationToken cancellationToken) =>
        client.ReadFilesAsync(owner, repo, paths, commitSha, maxBytes, maxTotalBytes, cancellationToken);
}
