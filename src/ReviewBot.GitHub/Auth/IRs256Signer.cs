namespace ReviewBot.GitHub.Auth;

/// <summary>
/// Signs the App JWT with RS256 (RSASSA-PKCS1-v1_5 over SHA-256). A local PEM key by default; an Azure
/// Key Vault key (which never leaves the vault) in production.
/// </summary>
public interface IRs256Signer
{
    /// <summary>Returns the RS256 signature of <paramref name="data"/> (the JWT's header.payload bytes).</summary>
    Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
