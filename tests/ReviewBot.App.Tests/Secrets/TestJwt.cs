using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ReviewBot.GitHub.Auth;

namespace ReviewBot.App.Tests.Secrets;

/// <summary>The App's own JWT (<see cref="AppJwt"/>) around a signer, and verification with a public key, the way GitHub does it.</summary>
internal static class TestJwt
{
    public static Task<string> CreateAsync(IRs256Signer signer, long appId) =>
        AppJwt.CreateAsync(appId.ToString(System.Globalization.CultureInfo.InvariantCulture), signer, DateTimeOffset.UtcNow, default);

    public static bool Verifies(string jwt, RSA publicKey)
    {
        var lastDot = jwt.LastIndexOf('.');
        var signature = Base64Url.DecodeFromChars(jwt.AsSpan(lastDot + 1));
        return publicKey.VerifyData(Encoding.ASCII.GetBytes(jwt[..lastDot]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
