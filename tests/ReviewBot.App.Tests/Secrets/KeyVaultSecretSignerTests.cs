using System.Security.Cryptography;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using ReviewBot.App.Secrets;
using ReviewBot.App.Tests.Azure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ReviewBot.App.Tests.Secrets;

/// <summary>
/// WireMock plays Key Vault over TLS (the SDK sends bearer tokens only over https) with its real
/// challenge: an unauthenticated request gets 401 and WWW-Authenticate, then the SDK retries with a token.
/// </summary>
public sealed class KeyVaultSecretSignerTests : IDisposable
{
    public const string VaultToken = "vault-secret-token-2f9c";

    private readonly RSA _appKey = RSA.Create(2048);
    private readonly CapturedLogs _logs = new();

    public KeyVaultSecretSignerTests()
    {
        Vault = WireMockServer.Start(new WireMockServerSettings
        {
            UseSSL = true,
            CertificateSettings = new WireMockCertificateSettings { X509Certificate = TestCertificate.CreateForLoopback() },
        });
        Pem = _appKey.ExportPkcs8PrivateKeyPem();
    }

    public WireMockServer Vault { get; }

    public string Pem { get; }

    public void Dispose()
    {
        Vault.Stop();
        Vault.Dispose();
        _appKey.Dispose();
    }

    public Uri SecretUri => new($"{Vault.Url}/secrets/github-app-key");

    /// <summary>Trusts WireMock's self-signed certificate and skips the vault-domain check that localhost cannot pass.</summary>
    public static SecretClientOptions TestClientOptions() => new()
    {
        DisableChallengeResourceVerification = true,
        Transport = new HttpClientTransport(new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })),
        Retry = { MaxRetries = 0 },
    };

    internal void StubSecret(string value)
    {
        Vault.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/secrets/github-app-key/?$")).UsingGet().WithHeader("Authorization", "Bearer " + VaultToken))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
            {
                value,
                id = $"{Vault.Url}/secrets/github-app-key/5f0c6b2a",
                attributes = new { enabled = true },
            }));
        Vault.Given(Request.Create().WithPath("/secrets/*").UsingGet())
            .AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(401)
                .WithHeader("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47\", resource=\"https://vault.azure.net\""));
    }

    private KeyVaultSecretSigner Signer(FakeCredential credential) =>
        new(new SecretClient(new Uri(Vault.Url!), credential, TestClientOptions()), SecretUri, _logs.CreateLogger<KeyVaultSecretSigner>());

    [Fact]
    public async Task Pem_from_the_vault_signs_a_jwt_that_verifies_and_is_read_once()
    {
        StubSecret(Pem);
        var credential = new FakeCredential(VaultToken);
        using var signer = Signer(credential);

        var first = await TestJwt.CreateAsync(signer, 123456);
        var second = await TestJwt.CreateAsync(signer, 123456);

        using var publicKey = RSA.Create(_appKey.ExportParameters(includePrivateParameters: false));
        Assert.True(TestJwt.Verifies(first, publicKey));
        Assert.True(TestJwt.Verifies(second, publicKey));
        Assert.Single(Vault.LogEntries, e => e.ResponseMessage.StatusCode is 200);
        Assert.Contains("https://vault.azure.net/.default", credential.Scopes);
    }

    [Fact]
    public async Task Secret_that_is_not_a_pem_key_fails_clearly_without_echoing_it()
    {
        StubSecret("hunter2-not-a-key");
        using var signer = Signer(new FakeCredential(VaultToken));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => signer.SignAsync("a.b"u8.ToArray(), default));
        Assert.Contains("github-app-key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }
}
