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

    /// <summary>The changed files; <see cref="ChangedFiles.Truncated"/> when the list was cut off (GitHub's 3000).</summary>
    Task<ChangedFiles> ListFilesAsync(CancellationToken cancellationToken);

    /// <summary>The file's patch in GitHub's shape (hunks only); null for a binary or too-large diff.</summary>
    ValueTask<string?> PatchAsync(ChangedFile file, CancellationToken cancellationToken);

    /// <summary>The file at the head; <see cref="FileReadStatus.TooLarge"/> when over <paramref name="maxBytes"/>, decided before the body is read.</summary>
    Task<FileRead> ReadHeadFileAsync(string path, long maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// The files at the head, in the order asked (see <see cref="ReadHeadFileAsync"/>). A source that can read many
    /// files in one request does so here; by default they are read one by one.
    /// </summary>
    async Task<IReadOnlyList<FileRead>> ReadHeadFilesAsync(IReadOnlyList<string> paths, long maxBytes, CancellationToken cancellationToken)
    {
        var reads = new List<FileRead>(paths.Count);
        foreach (var path in paths)
        {
            reads.Add(await ReadHeadFileAsync(path, maxBytes, cancellationToken).ConfigureAwait(false));
        }

        return reads;
    }

    /// <summary>The config at the base (never the head: a pull request must not weaken its own gate).</summary>
    Task<FileRead> ReadConfigAsync(long maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// The organisation's config (its <c>.github</c> repository's <c>.github/reviewbot.yml</c>), which the
    /// repository's merges over; null when the source has none (the CLI, or the <c>.github</c> repository itself).
    /// </summary>
    Task<FileRead?> ReadOrganisationConfigAsync(long maxBytes, CancellationToken cancellationToken) => Task.FromResult<FileRead?>(null);
}

/// <summary>
/// A pull request read through GitHub's API: the files listed by REST, their content at the head SHA from the base
/// repository in two GraphQL calls (sizes, then texts; not one call per file), the config from the base branch.
/// </summary>
public sealed class GitHubPullRequestSource(PullRequestClient client, PullRequestTarget target, string configPath = Configuration.RepositoryConfig.RepositoryPath) : IPullRequestSource
{
    public string ConfigLabel => $"`{configPath}` on {target.BaseRef}";

    public Task<ChangedFiles> ListFilesAsync(CancellationToken cancellationToken) =>
        client.ListFilesAsync(target.Owner, target.Repo, target.Number, cancellationToken);

    public ValueTask<string?> PatchAsync(ChangedFile file, CancellationToken cancellationToken) => ValueTask.FromResult(file.Patch);

    public Task<FileRead> ReadHeadFileAsync(string path, long maxBytes, CancellationToken cancellationToken) =>
        client.ReadFileAsync(target.Owner, target.Repo, path, target.HeadSha, maxBytes, cancellationToken);

    public Task<IReadOnlyList<FileRead>> ReadHeadFilesAsync(IReadOnlyList<string> paths, long maxBytes, CancellationToken cancellationToken) =>
        client.ReadFilesAsync(target.Owner, target.Repo, paths, target.HeadSha, maxBytes, cancellationToken);

    public Task<FileRead> ReadConfigAsync(long maxBytes, CancellationToken cancellationToken) =>
        client.ReadFileAsync(target.Owner, target.Repo, configPath, target.BaseRef, maxBytes, cancellationToken);

    /// <summary>The organisation's shared repository, whose config every repository of the owner inherits.</summary>
    public const string OrganisationRepository = ".github";

    /// <summary>
    /// Read from the <c>.github</c> repository's default branch (<c>HEAD</c>): the organisation's settings are not
    /// part of the pull request's commits. Missing (no such repository, no file, or not in the installation) is none.
    /// </summary>
    public async Task<FileRead?> ReadOrganisationConfigAsync(long maxBytes, CancellationToken cancellationToken) =>
        string.Equals(target.Repo, OrganisationRepository, StringComparison.OrdinalIgnoreCase)
            ? null
            : await client.ReadFileAsync(target.Owner, OrganisationRepository, Configuration.RepositoryConfig.RepositoryPath, "HEAD", maxBytes, cancellationToken).ConfigureAwait(false);
}
