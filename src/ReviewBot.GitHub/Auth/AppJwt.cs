using System.Globalization;
using System.Text;

namespace ReviewBot.GitHub.Auth;

/// <summary>The GitHub App's JSON Web Token: RS256, issued by the App ID, valid for less than ten minutes.</summary>
public static class AppJwt
{
    /// <summary>GitHub recommends issuing 60 seconds in the past to allow for clock drift.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>GitHub: the JWT's exp may be at most 10 minutes in the future; 9 leaves room for drift.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    public static async Task<string> CreateAsync(string appId, IRs256Signer signer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long iat = now.Subtract(ClockSkew).ToUnixTimeSeconds();
        long exp = now.Add(Lifetime).ToUnixTimeSeconds();
        var header = Base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url(Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"iat\":{iat},\"exp\":{exp},\"iss\":\"{System.Text.Json.JsonEncodedText.Encode(appId)}\"}}")));
        var signingInput = header + "." + payload;
        var signature = await signer.SignAsync(Encoding.ASCII.GetBytes(signingInput), cancellationToken).ConfigureAwait(false);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
