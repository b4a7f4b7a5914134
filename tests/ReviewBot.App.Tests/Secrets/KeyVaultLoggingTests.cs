using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.App.Secrets;
using ReviewBot.App.Tests.Azure;
using ReviewBot.GitHub.Auth;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using TokenCredential = Azure.Core.TokenCredential;

namespace ReviewBot.App.Tests.Secrets;

/// <summary>
/// Runs both Key Vault signers through the app's own wiring with every log level on, through successes,
/// retries and failures, and proves no token, key, secret or signature reaches any log line.
/// </summary>
public sealed class KeyVaultLoggingTests : IDisposable
{
    private const string KeyToken = "kv-sign-token-8d1e77";
    private const string RevokedToken = "kv-revoked-token-3a90";

    private readonly WireMockServer _vault = WireMockServer.Start();
    private readonly RSA _vaultKey = RSA.Create(2048);
    private readonly CapturedLogs _logs = new();
    private readonly List<string> _secrets = [KeyToken, RevokedToken, KeyVaultSecretSignerTests.VaultToken];

    public void Dispose()
    {
        _vault.Stop();
        _vault.Dispose();
        _vaultKey.Dispose();
    }

    private ServiceProvider App(Dictionary<string, string?> settings, TokenCredential credential, SecretClientOptions? secretOptions = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        services.AddSingleton(credential);
        if (secretOptions is not null)
        {
            services.AddSingleton(secretOptions);
        }

        services.AddKeyVaultSigning(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public async Task No_secret_material_in_any_log_line_from_the_key_signer()
    {
        var signatures = new List<string>();
        _vault.Given(Request.Create().WithPath("/keys/github-app/sign").WithHeader("Authorization", "Bearer " + RevokedToken))
            .RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(new { error = new { code = "Unauthorized", message = "Bearer " + RevokedToken + " expired" } }));
        _vault.Given(Request.Create().WithPath("/keys/github-app/sign").WithHeader("Authorization", "Bearer " + KeyToken))
            .RespondWith(Response.Create().WithCallback(request =>
            {
                using var body = System.Text.Json.JsonDocument.Parse(request.Body!);
                var digest = Base64Url.DecodeFromChars(body.RootElement.GetProperty("value").GetString());
                var signature = Base64Url.EncodeToString(_vaultKey.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
                lock (signatures)
                {
                    signatures.Add(signature);
                }

                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new WireMock.Util.BodyData
                    {
                        BodyAsString = $"{{\"kid\":\"k\",\"value\":\"{signature}\"}}",
                        DetectedBodyType = WireMock.Types.BodyType.String,
                    },
                };
            }));
        _vault.Given(Request.Create().WithPath("/keys/forbidden/sign"))
            .RespondWith(Response.Create().WithStatusCode(403).WithBodyAsJson(new { error = new { code = "Forbidden", message = "caller " + KeyToken + " lacks sign" } }));

        await using (var app = App(new() { ["GitHub:SigningKeyUri"] = $"{_vault.Url}/keys/github-app" }, new FakeCredential(RevokedToken, KeyToken)))
        {
            var signer = app.GetRequiredService<IRs256Signer>();
            Assert.IsType<KeyVaultKeySigner>(signer);
            var jwts = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                jwts.Add(await TestJwt.CreateAsync(signer, 42));
            }

            _secrets.AddRange(jwts);
            _secrets.AddRange(jwts.Select(j => j[..j.LastIndexOf('.')]));
        }

        await using (var app = App(new() { ["GitHub:SigningKeyUri"] = $"{_vault.Url}/keys/forbidden" }, new FakeCredential(KeyToken)))
        {
            await Assert.ThrowsAsync<KeyVaultSigningException>(() => app.GetRequiredService<IRs256Signer>().SignAsync("a.b"u8.ToArray(), default));
        }

        _secrets.AddRange(signatures);
        _secrets.AddRange(signatures.Select(s => Convert.ToBase64String(Base64Url.DecodeFromChars(s))));
        AssertLogsAreClean();
    }

    [Fact]
    public async Task No_secret_material_in_any_log_line_from_the_secret_signer()
    {
        using var secretVault = new KeyVaultSecretSignerTests();
        secretVault.StubSecret(secretVault.Pem);
        var settings = new Dictionary<string, string?> { ["GitHub:PrivateKeySecretUri"] = secretVault.SecretUri.ToString() };

        await using var app = App(settings, new FakeCredential(KeyVaultSecretSignerTests.VaultToken), KeyVaultSecretSignerTests.TestClientOptions());
        var signer = app.GetRequiredService<IRs256Signer>();
        Assert.IsType<KeyVaultSecretSigner>(signer);
        var jwt = await TestJwt.CreateAsync(signer, 42);

        _secrets.Add(jwt[(jwt.LastIndexOf('.') + 1)..]);
        // Every base64 line of the PEM body is key material.
        _secrets.AddRange(secretVault.Pem.Split('\n').Where(line => line.Length > 20 && !line.StartsWith("-----", StringComparison.Ordinal)));
        AssertLogsAreClean();
        Assert.Contains(_logs.Lines, line => line.Contains("github-app-key", StringComparison.Ordinal));
    }

    [Fact]
    public void Both_key_locations_at_once_refuse_to_start()
    {
        var settings = new Dictionary<string, string?>
        {
            ["GitHub:SigningKeyUri"] = "https://v.vault.azure.net/keys/a",
            ["GitHub:PrivateKeySecretUri"] = "https://v.vault.azure.net/secrets/a",
        };
        using var app = App(settings, new FakeCredential("t"));
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            app.GetRequiredService<Microsoft.Extensions.Options.IOptions<KeyVaultSigningOptions>>().Value);
        Assert.Contains("only one", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The options' check at start is the one check of the URIs (the signers trust what it let through).</summary>
    [Theory]
    [InlineData("GitHub:SigningKeyUri", "http://vault.example.net/keys/app", "must use https")]
    [InlineData("GitHub:SigningKeyUri", "https://vault.example.net/secrets/app", "must look like")]
    [InlineData("GitHub:SigningKeyUri", "https://vault.example.net/keys", "must look like")]
    [InlineData("GitHub:PrivateKeySecretUri", "https://vault.example.net/keys/app", "must look like")]
    public void A_bad_key_location_refuses_to_start(string key, string uri, string problem)
    {
        using var app = App(new Dictionary<string, string?> { [key] = uri }, new FakeCredential("t"));
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            app.GetRequiredService<Microsoft.Extensions.Options.IOptions<KeyVaultSigningOptions>>().Value);
        Assert.Contains($"{key} {problem}", error.Message, StringComparison.Ordinal);
    }

    private void AssertLogsAreClean()
    {
        var lines = _logs.Lines;
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            Assert.DoesNotContain("Bearer ", line, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("PRIVATE KEY", line, StringComparison.Ordinal);
            foreach (var secret in _secrets)
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"log line leaks a secret: {line}");
            }
        }
    }
}
