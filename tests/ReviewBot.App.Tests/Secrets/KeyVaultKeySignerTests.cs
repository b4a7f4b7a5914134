using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ReviewBot.App.Secrets;
using ReviewBot.App.Tests.Azure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ReviewBot.App.Tests.Secrets;

public sealed class KeyVaultKeySignerTests : IDisposable
{
    private readonly WireMockServer _vault = WireMockServer.Start();
    private readonly RSA _vaultKey = RSA.Create(2048);
    private readonly CapturedLogs _logs = new();

    public void Dispose()
    {
        _vault.Stop();
        _vault.Dispose();
        _vaultKey.Dispose();
    }

    private Uri KeyUri => new($"{_vault.Url}/keys/github-app");

    private KeyVaultKeySigner Signer(FakeCredential credential) =>
        new(new HttpClient(), credential, KeyUri, _logs.CreateLogger<KeyVaultKeySigner>());

    /// <summary>Key Vault's sign: answers only for the exact digest, with the vault key's RS256 signature.</summary>
    private byte[] StubSign(byte[] data, string token, int priority = 1)
    {
        var digest = SHA256.HashData(data);
        var signature = _vaultKey.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _vault.Given(Request.Create().WithPath("/keys/github-app/sign").UsingPost()
                .WithParam("api-version", KeyVaultKeySigner.ApiVersion)
                .WithHeader("Authorization", "Bearer " + token)
                .WithBody(new JsonMatcher(new { alg = "RS256", value = Base64Url.EncodeToString(digest) })))
            .AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
            {
                kid = $"{_vault.Url}/keys/github-app/0123456789abcdef",
                value = Base64Url.EncodeToString(signature),
            }));
        return signature;
    }

    [Fact]
    public async Task Signature_comes_from_the_vault_verbatim_and_the_jwt_verifies_with_the_public_key()
    {
        var credential = new FakeCredential("vault-token-1");
        var signer = Signer(credential);
        var data = Encoding.ASCII.GetBytes("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ");
        var expected = StubSign(data, "vault-token-1");

        Assert.Equal(expected, await signer.SignAsync(data, default));
        Assert.Equal([KeyVaultKeySigner.Scope], credential.Scopes);
    }

    [Fact]
    public async Task App_jwt_signed_in_the_vault_verifies_with_the_vault_public_key()
    {
        var signer = Signer(new FakeCredential("vault-token-1"));
        // Any request the stub does not match (a wrong digest) gets WireMock's 404, which fails the signer.
        _vault.Given(Request.Create().WithPath("/keys/github-app/sign").UsingPost())
            .AtPriority(10)
            .RespondWith(Response.Create().WithCallback(request =>
            {
                using var body = System.Text.Json.JsonDocument.Parse(request.Body!);
                var digest = Base64Url.DecodeFromChars(body.RootElement.GetProperty("value").GetString());
                var signature = _vaultKey.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new WireMock.Util.BodyData
                    {
                        BodyAsString = $"{{\"kid\":\"k\",\"value\":\"{Base64Url.EncodeToString(signature)}\"}}",
                        DetectedBodyType = WireMock.Types.BodyType.String,
                    },
                };
            }));

        var jwt = await TestJwt.CreateAsync(signer, 123456);

        // The signature in the JWT is the vault's answer, byte for byte.
        var answered = Base64Url.DecodeFromChars(System.Text.Json.JsonDocument.Parse(_vault.LogEntries.Single().ResponseMessage.BodyData!.BodyAsString!).RootElement.GetProperty("value").GetString());
        Assert.Equal(answered, Base64Url.DecodeFromChars(jwt.AsSpan(jwt.LastIndexOf('.') + 1)));
        using var publicKey = RSA.Create(_vaultKey.ExportParameters(includePrivateParameters: false));
        Assert.True(TestJwt.Verifies(jwt, publicKey));
        using var otherKey = RSA.Create(2048);
        Assert.False(TestJwt.Verifies(jwt, otherKey));
    }

    [Fact]
    public async Task Token_is_fetched_once_for_many_signatures()
    {
        var credential = new FakeCredential("vault-token-1");
        var signer = Signer(credential);
        for (var i = 0; i < 3; i++)
        {
            var data = Encoding.ASCII.GetBytes($"header.payload{i}");
            Assert.Equal(StubSign(data, "vault-token-1"), await signer.SignAsync(data, default));
        }

        Assert.Equal(1, credential.Calls);
    }

    [Fact]
    public async Task Unauthorized_fetches_a_fresh_token_once()
    {
        var credential = new FakeCredential("revoked-token", "fresh-token");
        var signer = Signer(credential);
        var data = Encoding.ASCII.GetBytes("header.payload");
        var expected = StubSign(data, "fresh-token");
        _vault.Given(Request.Create().WithPath("/keys/github-app/sign").WithHeader("Authorization", "Bearer revoked-token"))
            .RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(new { error = new { code = "Unauthorized", message = "token expired" } }));

        Assert.Equal(expected, await signer.SignAsync(data, default));
        Assert.Equal(2, credential.Calls);
    }

    [Fact]
    public async Task Throttling_is_retried_after_the_delay_the_vault_asks_for()
    {
        var signer = Signer(new FakeCredential("vault-token-1"));
        var data = Encoding.ASCII.GetBytes("header.payload");
        var digest = SHA256.HashData(data);
        var signature = _vaultKey.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _vault.Given(Request.Create().WithPath("/keys/github-app/sign").UsingPost())
            .InScenario("throttle").WillSetStateTo("throttled")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1")
                .WithBodyAsJson(new { error = new { code = "Throttled" } }));
        _vault.Given(Request.Create().WithPath("/keys/github-app/sign").UsingPost())
            .InScenario("throttle").WhenStateIs("throttled")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { kid = "k", value = Base64Url.EncodeToString(signature) }));

        var started = DateTime.UtcNow;
        Assert.Equal(signature, await signer.SignAsync(data, default));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9));
        Assert.Equal(2, _vault.LogEntries.Count());
    }

    [Fact]
    public async Task Forbidden_fails_at_once_with_the_vault_error_code()
    {
        var signer = Signer(new FakeCredential("vault-token-1"));
        _vault.Given(Request.Create().WithPath("/keys/github-app/sign").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(403).WithBodyAsJson(new { error = new { code = "Forbidden", message = "The user does not have keys sign permission" } }));

        var error = await Assert.ThrowsAsync<KeyVaultSigningException>(() => signer.SignAsync("x.y"u8.ToArray(), default));
        Assert.Equal((403, "Forbidden"), (error.Status, error.ErrorCode));
        Assert.Single(_vault.LogEntries);
    }
}
