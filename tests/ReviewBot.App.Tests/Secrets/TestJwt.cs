using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ReviewBot.GitHub.Auth;

namespace ReviewBot.App.Tests.Secrets;

/// <summary>Assembles an App JWT around a signer and verifies one with a public key, the way GitHub does.</summary>
internal static class TestJwt
{
    public static async Task<string> CreateAsync(IRs256Signer signer, long appId)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url.EncodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"iat\":{now - 60},\"exp\":{now + 540},\"iss\":\"{appId}\"}}"));
        var signingInput = header + "." + payload;
        var signature = await signer.SignAsync(Encoding.ASCII.GetBytes(signingInput), default);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public static bool Verifies(string jwt, RSA publicKey)
    {
        var lastDot = jwt.LastIndexOf('.');
        var signature = Base64Url.DecodeFromChars(jwt.AsSpan(lastDot + 1));
        return publicKey.VerifyData(Encoding.ASCII.GetBytes(jwt[..lastDot]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
