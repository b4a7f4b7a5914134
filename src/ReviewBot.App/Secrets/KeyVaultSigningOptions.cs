namespace ReviewBot.App.Secrets;

/// <summary>
/// Where the App's private key lives in Azure Key Vault, bound from the <c>GitHub</c> section. At most one:
/// <see cref="SigningKeyUri"/> (a non-exportable key that signs the JWT in the vault; preferred) or
/// <see cref="PrivateKeySecretUri"/> (a secret holding the PEM, read once and kept in memory).
/// </summary>
public sealed record KeyVaultSigningOptions
{
    public const string Section = "GitHub";

    /// <summary>e.g. https://myvault.vault.azure.net/secrets/github-app-key (optionally /version).</summary>
    public Uri? PrivateKeySecretUri { get; init; }

    /// <summary>e.g. https://myvault.vault.azure.net/keys/github-app (optionally /version).</summary>
    public Uri? SigningKeyUri { get; init; }

    public bool IsConfigured => PrivateKeySecretUri is not null || SigningKeyUri is not null;

    internal IEnumerable<string> Validate()
    {
        if (PrivateKeySecretUri is not null && SigningKeyUri is not null)
        {
            yield return "Set only one of GitHub:SigningKeyUri and GitHub:PrivateKeySecretUri.";
        }

        if (SigningKeyUri is { } key && KeyVaultUris.Problem(key, "keys") is { } keyProblem)
        {
            yield return "GitHub:SigningKeyUri " + keyProblem;
        }

        if (PrivateKeySecretUri is { } secret && KeyVaultUris.Problem(secret, "secrets") is { } secretProblem)
        {
            yield return "GitHub:PrivateKeySecretUri " + secretProblem;
        }
    }
}

internal static class KeyVaultUris
{
    /// <summary>Why <paramref name="uri"/> is not a Key Vault object URI of that kind, or null when it is.</summary>
    public static string? Problem(Uri uri, string collection)
    {
        if (!uri.IsAbsoluteUri)
        {
            return "must be an absolute URI.";
        }
        // Bearer tokens travel only over TLS; plain http is allowed on loopback for tests.
        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            return "must use https.";
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments.Length is < 2 or > 3 || segments[0] != collection || segments[1].Length == 0)
        {
            return $"must look like https://VAULT.vault.azure.net/{collection}/NAME[/VERSION].";
        }

        return null;
    }
}
