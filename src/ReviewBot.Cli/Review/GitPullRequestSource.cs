using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.PullRequests;

namespace ReviewBot.Cli.Review;

/// <summary>
/// A pull request read from the local checkout: the changes of <c>BASE...HEAD</c>, each file at the head,
/// the config at the base. The Action has the checkout already, so this costs no GitHub calls and the CLI's
/// printed review (no <c>--github-pr</c>) reads exactly what the posted one does; selection, caps and
/// analysis are <see cref="PullRequestReviewer"/>'s, shared with the App. Sizes come from the tree, so a
/// file over the cap is refused before its blob is read.
/// </summary>
/// <param name="configPath">The config's path in the repository, read at the base.</param>
/// <param name="localConfigFile">A config file on disk instead: only when no base was given, i.e. nothing to protect.</param>
public sealed class GitPullRequestSource(GitRepository repository, ReviewRange range, string configPath, string? localConfigFile = null) : IPullRequestSource
{
    public string ConfigLabel => localConfigFile is null ? $"`{configPath}` on {range.BaseLabel}" : $"`{localConfigFile}`";

    public async Task<ChangedFiles> ListFilesAsync(CancellationToken cancellationToken)
    {
        var changed = await repository.ChangedFilesAsync(range.Base, range.Head, cancellationToken).ConfigureAwait(false);
        return new ChangedFiles([.. changed.Select(c => new ChangedFile(c.Path, GitHubStatus(c.Status), null, c.PreviousPath))], false);
    }

    public async ValueTask<string?> PatchAsync(ChangedFile file, CancellationToken cancellationToken) =>
        await repository.PatchAsync(range.Base, range.Head, new ChangedPath(file.IsRemoved ? 'D' : 'M', file.Path, file.PreviousPath), cancellationToken).ConfigureAwait(false);

    public Task<FileRead> ReadHeadFileAsync(string path, long maxBytes, CancellationToken cancellationToken) =>
        ReadAsync(range.Head, path, maxBytes, cancellationToken);

    public async Task<IReadOnlyList<FileRead>> ReadBaseFilesAsync(IReadOnlyList<string> paths, long maxBytes, long maxTotalBytes, CancellationToken cancellationToken) =>
        IPullRequestSource.WithinTotal(await IPullRequestSource.OneByOneAsync(paths, path => ReadAsync(range.Base, path, maxBytes, cancellationToken)).ConfigureAwait(false), maxTotalBytes);

    public async Task<FileRead> ReadConfigAsync(long maxBytes, CancellationToken cancellationToken)
    {
        if (localConfigFile is null)
        {
            return await ReadAsync(range.Base, configPath, maxBytes, cancellationToken).ConfigureAwait(false);
        }

        var file = new FileInfo(localConfigFile);
        return !file.Exists ? new FileRead(FileReadStatus.Missing, null, null)
            : file.Length > maxBytes ? new FileRead(FileReadStatus.TooLarge, null, file.Length)
            : new FileRead(FileReadStatus.Read, await File.ReadAllTextAsync(localConfigFile, cancellationToken).ConfigureAwait(false), file.Length);
    }

    public Task<RepositoryTree> ReadHeadTreeAsync(CancellationToken cancellationToken) =>
        repository.TreeAsync(range.Head, cancellationToken);

    /// <summary>git's one-letter status in GitHub's words ("copied" is a new file: its findings are never the copy source's).</summary>
    private static string GitHubStatus(char status) => status switch
    {
        'D' => "removed",
        'A' => "added",
        'R' => "renamed",
        'C' => "copied",
        _ => "modified",
    };

    private async Task<FileRead> ReadAsync(string commit, string path, long maxBytes, CancellationToken cancellationToken)
    {
        if (await repository.FileSizeAsync(commit, path, cancellationToken).ConfigureAwait(false) is not { } size)
        {
            // Absent, or a submodule or a path git lists but cannot show as a file.
            return new FileRead(FileReadStatus.Missing, null, null);
        }

        if (size > maxBytes)
        {
            return new FileRead(FileReadStatus.TooLarge, null, size);
        }

        var bytes = await repository.ReadFileAsync(commit, path, cancellationToken).ConfigureAwait(false);
        return bytes is null ? new FileRead(FileReadStatus.Missing, null, null) : new FileRead(FileReadStatus.Read, GitRepository.DecodeText(bytes), bytes.Length);
    }
}
