using ReviewBot.GitHub.Api;

namespace ReviewBot.GitHub.PullRequests;

/// <summary>
/// Where a review's text comes from: the pull request's changed files (with their patches), each file at the
/// head, and the config at the base. The App reads GitHub (<see cref="GitHubPullRequestSource"/>); the CLI
/// reads the local git checkout it already has. Selection, bounds and analysis are not here but in
/// <see cref="PullRequestReviewer"/>, so both read the same files the same way.
/// </summary>
public interface IPullRequestSource
{
    /// <summary>Where the config was read from, for notes (e.g. <c>.github/reviewbot.yml on main</c>).</summary>
    string ConfigLabel { get; }

    /// <summary>What the files are of, for notes: a pull request's changes unless the source says otherwise.</summary>
    Checks.CheckSubject Subject => Checks.CheckSubject.PullRequest;

    /// <summary>The changed files; <see cref="ChangedFiles.Truncated"/> when the list may have been cut off (GitHub's comparison lists 300).</summary>
    Task<ChangedFiles> ListFilesAsync(CancellationToken cancellationToken);

    /// <summary>The file's patch in GitHub's shape (hunks only); null for a binary or too-large diff.</summary>
    ValueTask<string?> PatchAsync(ChangedFile file, CancellationToken cancellationToken);

    /// <summary>The file at the head; <see cref="FileReadStatus.TooLarge"/> when over <paramref name="maxBytes"/>, decided before the body is read.</summary>
    Task<FileRead> ReadHeadFileAsync(string path, long maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// The files at the head, in the order asked (see <see cref="ReadHeadFileAsync"/>). A source that can read many
    /// files in one request does so here; by default they are read one by one.
    /// </summary>
    Task<IReadOnlyList<FileRead>> ReadHeadFilesAsync(IReadOnlyList<string> paths, long maxBytes, CancellationToken cancellationToken) =>
        OneByOneAsync(paths, path => ReadHeadFileAsync(path, maxBytes, cancellationToken));

    /// <summary>Files read one after another, in the order asked, for a source without a batch read.</summary>
    static async Task<IReadOnlyList<FileRead>> OneByOneAsync(IReadOnlyList<string> paths, Func<string, Task<FileRead>> read)
    {
        var reads = new List<FileRead>(paths.Count);
        foreach (var path in paths)
        {
            reads.Add(await read(path).ConfigureAwait(false));
        }

        return reads;
    }

    /// <summary>The config at the base commit (never the head: a pull request must not weaken its own gate; never a branch name, which a tag can shadow).</summary>
    Task<FileRead> ReadConfigAsync(long maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// The files at the base commit (the commit the config is read at), in the order asked;
    /// <see cref="FileReadStatus.Missing"/> for a path the base does not have. Their suppression pragmas are the ones
    /// the pull request did not add. At most <paramref name="maxTotalBytes"/> of text together: past it, in the order
    /// asked, a file is <see cref="FileReadStatus.TooLarge"/> (a source that knows sizes first never reads its text).
    /// </summary>
    Task<IReadOnlyList<FileRead>> ReadBaseFilesAsync(IReadOnlyList<string> paths, long maxBytes, long maxTotalBytes, CancellationToken cancellationToken);

    /// <summary>Reads already made, kept within <paramref name="maxTotalBytes"/> in the order asked (see <see cref="ReadBaseFilesAsync"/>).</summary>
    static IReadOnlyList<FileRead> WithinTotal(IReadOnlyList<FileRead> reads, long maxTotalBytes)
    {
        long used = 0;
        return [.. reads.Select(read =>
        {
            if (read is not { Status: FileReadStatus.Read, Text: { } text })
            {
                return read;
            }

            long size = read.Size ?? text.Length;
            used += size;
            return used <= maxTotalBytes ? read : new FileRead(FileReadStatus.TooLarge, null, size);
        })];
    }

    /// <summary>
    /// The head commit's tree with each path's kind: which changed Dockerfile is a symbolic link (its blob is the
    /// link's target path, not a Dockerfile), and which compose files and devcontainer.json files name Dockerfiles.
    /// </summary>
    Task<RepositoryTree> ReadHeadTreeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The organisation's config (its <c>.github</c> repository's <c>.github/reviewbot.yml</c>), which the
    /// repository's merges over; null when the source has none (the CLI, or the <c>.github</c> repository itself).
    /// </summary>
    Task<FileRead?> ReadOrganisationConfigAsync(long maxBytes, CancellationToken cancellationToken) => Task.FromResult<FileRead?>(null);
}

/// <summary>
/// A pull request read through GitHub's API, always as the pair of commits its target names: the files (with their
/// patches) from the comparison of the base SHA and the head SHA (three dots: from their merge base, as the pull
/// request's own diff), their content at the head SHA from the base repository in two GraphQL calls (sizes, then
/// texts; not one call per file), and the config at the base SHA. Never the pull request's current file list, nor a
/// branch name: either may have moved since the work was asked for, and a name may also be a tag's.
/// </summary>
public sealed class GitHubPullRequestSource(GitHubInstallationClient client, PullRequestTarget target, string configPath = Configuration.RepositoryConfig.RepositoryPath) : IPullRequestSource
{
    /// <summary>Names the commit it was read at, not only the branch: the branch may have moved on since.</summary>
    public string ConfigLabel => $"`{configPath}` on {target.BaseRef} at {target.BaseSha[..Math.Min(ShortSha, target.BaseSha.Length)]}";

    /// <summary>How many hex digits of a SHA name it to people (git's default abbreviation).</summary>
    private const int ShortSha = 7;

    public Task<ChangedFiles> ListFilesAsync(CancellationToken cancellationToken) =>
        client.CompareFilesAsync(target.Owner, target.Repo, BaseSha, target.HeadSha, cancellationToken);

    public ValueTask<string?> PatchAsync(ChangedFile file, CancellationToken cancellationToken) => ValueTask.FromResult(file.Patch);

    public Task<FileRead> ReadHeadFileAsync(string path, long maxBytes, CancellationToken cancellationToken) =>
        client.ReadFileAsync(target.Owner, target.Repo, path, target.HeadSha, maxBytes, cancellationToken);

    public Task<IReadOnlyList<FileRead>> ReadHeadFilesAsync(IReadOnlyList<string> paths, long maxBytes, CancellationToken cancellationToken) =>
        client.ReadFilesAsync(target.Owner, target.Repo, paths, target.HeadSha, maxBytes, cancellationToken);

    public Task<FileRead> ReadConfigAsync(long maxBytes, CancellationToken cancellationToken) =>
        client.ReadFileAsync(target.Owner, target.Repo, configPath, BaseSha, maxBytes, cancellationToken);

    public Task<IReadOnlyList<FileRead>> ReadBaseFilesAsync(IReadOnlyList<string> paths, long maxBytes, long maxTotalBytes, CancellationToken cancellationToken) =>
        client.ReadFilesAsync(target.Owner, target.Repo, paths, BaseSha, maxBytes, maxTotalBytes, cancellationToken);

    /// <summary>Without it there is nothing to pin the config and the file list to, and a review without them must not pass.</summary>
    private string BaseSha => target.BaseSha.Length > 0 ? target.BaseSha : throw new InvalidOperationException($"Pull request #{target.Number} has no base SHA to read its config and changes at.");

    public Task<RepositoryTree> ReadHeadTreeAsync(CancellationToken cancellationToken) =>
        client.ReadTreeAsync(target.Owner, target.Repo, target.HeadSha, cancellationToken);

    /// <summary>The organisation's shared repository, whose config every repository of the owner inherits.</summary>
    public const string OrganisationRepository = ".github";

    /// <summary>
    /// Read from the <c>.github</c> repository's default branch (<c>HEAD</c>): the organisation's settings are not
    /// part of the pull request's commits. Missing (no such repository, no file, or not in the installation) is none.
    /// </summary>
    public async Task<FileRead?> ReadOrganisationConfigAsync(long maxBytes, CancellationToken cancellationToken)
    {
        if (string.Equals(target.Repo, OrganisationRepository, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return await (OrganisationClient ?? client).ReadFileAsync(target.Owner, OrganisationRepository, Configuration.RepositoryConfig.RepositoryPath, "HEAD", maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (OrganisationClient is not null && e.StatusCode is 404 or 422)
        {
            // GitHub mints no token for a repository the installation cannot reach (422 "at least one repository
            // ... is not accessible"): like a missing file, there is no organisation config.
            return null;
        }
    }

    /// <summary>
    /// The client that reads the organisation's <c>.github</c> repository, on a token of its own (that repository,
    /// <c>contents: read</c>): the review's token reaches only the reviewed repository. Null: the review's client
    /// (a fixed token, as in the Action).
    /// </summary>
    public GitHubInstallationClient? OrganisationClient { get; init; }
}
