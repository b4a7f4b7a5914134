using System.Security.Cryptography;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using ReviewBot.GitHub.Auth;

namespace ReviewBot.App.Secrets;

/// <summary>
/// Signs the App JWT with the PEM kept in a Key Vault secret (<c>GitHub:PrivateKeySecretUri</c>). The secret is
/// read once, on first use, and the key lives only in this process's memory; a failed read is tried again
/// on the next signature rather than remembered.
/// </summary>
public sealed class KeyVaultSecretSigner : IRs256Signer, IDisposable
{
    private readonly SecretClient _client;
    private readonly KeyVaultSecretIdentifier _secret;
    private readonly ILogger<KeyVaultSecretSigner> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RSA? _key;

    public KeyVaultSecretSigner(SecretClient client, Uri secretUri, ILogger<KeyVaultSecretSigner> logger)
    {
        _client = client;
        _secret = new KeyVaultSecretIdentifier(secretUri);
        _logger = logger;
    }

    public async Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var key = _key ?? await LoadAsync(cancellationToken).ConfigureAwait(false);
        return key.SignData(data.Span, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public void Dispose()
    {
        _key?.Dispose();
        _gate.Dispose();
    }

    private async Task<RSA> LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_key is { } loaded)
            {
                return loaded;
            }

            var secret = await _client.GetSecretAsync(_secret.Name, _secret.Version, cancellationToken).ConfigureAwait(false);
            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(secret.Value.Value);
            }
            catch (ArgumentException)
            {
                rsa.Dispose();
                // Do not echo the secret: say only what is wrong with it.
                throw new InvalidOperationException($"Key Vault secret {_secret.Name} does not hold an RSA private key in PEM form.");
            }

            KeyVaultLog.SecretLoaded(_logger, _secret.Name);
            _key = rsa;
            return rsa;
        }
        finally
        {
            _gate.Release();
        }
    }
}
