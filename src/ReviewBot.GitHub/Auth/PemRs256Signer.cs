using System.Security.Cryptography;

namespace ReviewBot.GitHub.Auth;

/// <summary>Signs with an RSA private key given as PEM text (PKCS#1 "RSA PRIVATE KEY", as GitHub downloads it, or PKCS#8).</summary>
public sealed class PemRs256Signer : IRs256Signer, IDisposable
{
    private readonly RSA _rsa;

    public PemRs256Signer(string pem)
    {
        _rsa = RSA.Create();
        try
        {
            _rsa.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            _rsa.Dispose();
            // The message never includes the key text.
            throw new ArgumentException("The GitHub App private key is not a PEM-encoded RSA private key: " + e.Message, nameof(pem));
        }
    }

    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Task.FromResult(_rsa.SignData(data.Span, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public void Dispose() => _rsa.Dispose();
}
