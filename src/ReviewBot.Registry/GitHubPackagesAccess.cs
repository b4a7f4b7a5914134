using ReviewBot.Analysis.Images;

namespace ReviewBot.Registry;

/// <summary>
/// A review's way into its own account's packages on GitHub's container registry: the App's installation token, for
/// images under <c>{registry}/{Owner}/…</c> only (an installation belongs to one account, the owner of every repository
/// it reviews). <see cref="Token"/> answers null when the token may not read packages (no <c>packages: read</c>); the
/// image is then read anonymously. The token goes to that registry's own host and to no other.
/// </summary>
public sealed record GitHubPackagesAccess(string Owner, Func<CancellationToken, Task<string?>> Token)
{
    /// <summary>
    /// The user name sent with the token. ghcr.io checks only the password (a token); GitHub's docs log in with any
    /// user name, and "x-access-token" is what Git over HTTPS takes with an installation token.
    /// </summary>
    public const string UserName = "x-access-token";

    /// <summary>True when <paramref name="image"/> is in <see cref="Owner"/>'s namespace on GitHub's container registry.</summary>
    public bool Covers(ImageReference image, RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        int slash = image.Repository.IndexOf('/', StringComparison.Ordinal);
        return image.Registry is { } host
            && string.Equals(host, options.GitHubContainerRegistry, StringComparison.OrdinalIgnoreCase)
            && slash > 0
            && string.Equals(image.Repository[..slash], Owner, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The credential for <paramref name="image"/>, or null: not the owner's image there, or a token without <c>packages: read</c>.</summary>
    public async Task<RegistryCredential?> CredentialForAsync(ImageReference image, RegistryOptions options, CancellationToken cancellationToken) =>
        Covers(image, options) && await Token(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token
            ? new RegistryCredential(UserName, token)
            : null;
}
