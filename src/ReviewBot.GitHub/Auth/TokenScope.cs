namespace ReviewBot.GitHub.Auth;

/// <summary>
/// The permissions an installation token asks for (GitHub: "permissions" of POST
/// /app/installations/{id}/access_tokens, each "read" or "write", at most what the installation was granted). An
/// absent one is not granted; <c>metadata: read</c> comes with every token.
/// </summary>
public sealed record TokenPermissions(
    string? Contents = null,
    string? PullRequests = null,
    string? Checks = null,
    string? Metadata = TokenPermissions.Read,
    string? Packages = null)
{
    public const string Read = "read";
    public const string Write = "write";
}

/// <summary>
/// What one installation token may reach: ONE repository (by id, as names change; by name only for work queued
/// before ids were carried) and the permissions of the job, never the installation's whole grant. A token of a
/// review cannot push, one of onboarding cannot write to another repository. Tokens are cached per installation and
/// scope: equal scopes share one token.
/// </summary>
/// <param name="RepositoryId">GitHub's id of the repository (<c>repository_ids</c>).</param>
/// <param name="RepositoryName">The repository's name without its owner (<c>repositories</c>), when the id is not known.</param>
/// <param name="Permissions">What the job needs.</param>
public sealed record TokenScope(long? RepositoryId, string? RepositoryName, TokenPermissions Permissions)
{
    /// <summary>
    /// Reviewing a pull request: read its files and config, post the review and its comments, write the check run.
    /// Also for a pull request from a fork: the token is the base repository's, and reads the head from there.
    /// </summary>
    public static TokenScope Review(long? repositoryId, string repository) =>
        For(repositoryId, repository, new(Contents: TokenPermissions.Read, PullRequests: TokenPermissions.Write, Checks: TokenPermissions.Write));

    /// <summary>A default branch's check: read the tree and config, write the check run.</summary>
    public static TokenScope BranchCheck(long? repositoryId, string repository) =>
        For(repositoryId, repository, new(Contents: TokenPermissions.Read, Checks: TokenPermissions.Write));

    /// <summary>Onboarding: commit to its own branch and open (or close) its own pull request, in this repository only.</summary>
    public static TokenScope Onboarding(long? repositoryId, string repository) =>
        For(repositoryId, repository, new(Contents: TokenPermissions.Write, PullRequests: TokenPermissions.Write));

    /// <summary>Reading one file of another repository of the installation (the organisation's <c>.github</c> config).</summary>
    public static TokenScope ReadContents(string repository) =>
        For(null, repository, new(Contents: TokenPermissions.Read));

    /// <summary>
    /// Reading the installation's own container images (ghcr.io) for a review's base images: <c>packages: read</c> and
    /// nothing else. GitHub refuses it (422) where the App was not granted packages, and the images are read anonymously.
    /// </summary>
    public static TokenScope ReadPackages { get; } = new(null, null, new TokenPermissions(Packages: TokenPermissions.Read));

    /// <summary>Listing the installation's repositories (GET /installation/repositories): metadata only, no repository's content.</summary>
    public static TokenScope Installation { get; } = new(null, null, new TokenPermissions());

    private static TokenScope For(long? repositoryId, string repository, TokenPermissions permissions) =>
        repositoryId is > 0 ? new(repositoryId, null, permissions) : new(null, repository, permissions);

    public override string ToString() =>
        $"{(RepositoryId is { } id ? $"repository {id}" : RepositoryName is { } name ? $"repository {name}" : "installation")} "
        + $"(contents: {Permissions.Contents ?? "none"}, pull_requests: {Permissions.PullRequests ?? "none"}, checks: {Permissions.Checks ?? "none"}, packages: {Permissions.Packages ?? "none"})";
}

/// <summary>The body of POST /app/installations/{id}/access_tokens (snake_case by <c>GitHubJson</c>).</summary>
internal sealed record TokenRequest(
    IReadOnlyList<long>? RepositoryIds,
    IReadOnlyList<string>? Repositories,
    TokenPermissions Permissions)
{
    public static TokenRequest Of(TokenScope scope) => new(
        scope.RepositoryId is { } id ? [id] : null,
        scope.RepositoryName is { } name ? [name] : null,
        scope.Permissions);
}
