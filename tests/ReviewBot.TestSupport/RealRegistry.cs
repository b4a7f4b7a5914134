using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;

namespace ReviewBot.TestSupport;

/// <summary>
/// Debian's docker-registry (the CNCF distribution registry) started twice on loopback over one temp storage folder:
/// an open one (images are pushed through its HTTP API) and one behind the token flow, which trusts JWTs signed by a
/// key of the tests' own (<c>auth.token.rootcertbundle</c>) and sends clients to a token endpoint the tests play.
/// test.sh installs the package; without it these tests fail and say so (they install nothing themselves).
/// </summary>
public sealed class RealRegistry : IAsyncLifetime
{
    public const string Binary = "/usr/bin/docker-registry";

    /// <summary>The token endpoint's issuer and service, as the registry's config names them.</summary>
    private const string Issuer = "reviewbot-tests";
    private const string Service = "reviewbot-registry";

    private readonly string _root = Directory.CreateTempSubdirectory("reviewbot-registry-").FullName;
    private readonly List<Process> _processes = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _sizes = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private X509Certificate2? _certificate;

    public int OpenPort { get; private set; }

    public int TokenPort { get; private set; }

    public WireMockServer TokenServer { get; } = WireMockServer.Start();

    /// <summary>The open registry's host:port.</summary>
    public string Open => $"127.0.0.1:{OpenPort}";

    /// <summary>The token-flow registry's host:port.</summary>
    public string Token => $"127.0.0.1:{TokenPort}";

    /// <summary>
    /// The token endpoint's host:port, on the registry's own host (as ghcr.io's realm is on ghcr.io): WireMock's own
    /// URL says localhost, which the installation token's same-host rule would rightly refuse.
    /// </summary>
    public string Realm => $"127.0.0.1:{TokenServer.Port}";

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: test.sh installs Debian's docker-registry package (apt-get install docker-registry).");
        _certificate = new CertificateRequest("CN=reviewbot-tests", _key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var bundle = Path.Combine(_root, "root.pem");
        await File.WriteAllTextAsync(bundle, _certificate.ExportCertificatePem());
        OpenPort = FreePort();
        TokenPort = FreePort();
        Start("open", OpenPort, "");
        Start("token", TokenPort, $"""
            auth:
              token:
                realm: http://{Realm}/token
                service: {Service}
                issuer: {Issuer}
                rootcertbundle: {bundle}
            """);
        await WaitUntilUp(OpenPort);
        await WaitUntilUp(TokenPort);
    }

    private void Start(string name, int port, string auth)
    {
        var config = Path.Combine(_root, name + ".yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Path.Combine(_root, "storage")}
            http:
              addr: 127.0.0.1:{port}
            {auth}
            """);
        var process = Process.Start(new ProcessStartInfo(Binary, ["serve", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _processes.Add(process);
    }

    private async Task WaitUntilUp(int port)
    {
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}/v2/"));
                return; // 200 or 401: it answers
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"docker-registry on port {port} did not start.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Pushes an image (an empty layer and a config) and returns its manifest digest.</summary>
    public async Task<string> PushImageAsync(string repository, string? tag, JsonObject config)
    {
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var layer = new byte[] { 0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0 }; // an empty gzip
        await PushBlobAsync(repository, layer);
        await PushBlobAsync(repository, configBytes);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", configBytes),
            ["layers"] = new JsonArray(Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)),
        };
        return await PutManifestAsync(repository, tag, manifest, "application/vnd.oci.image.manifest.v1+json");
    }

    /// <summary>Pushes an index of already pushed manifests, each with its platform (os/arch).</summary>
    public async Task<string> PushIndexAsync(string repository, string tag, params (string Digest, string Platform)[] manifests)
    {
        var entries = new JsonArray();
        foreach (var (digest, platform) in manifests)
        {
            var (os, arch) = (platform.Split('/')[0], platform.Split('/')[1]);
            entries.Add(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = digest,
                ["size"] = _sizes[digest],
                ["platform"] = new JsonObject { ["os"] = os, ["architecture"] = arch },
            });
        }

        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = "application/vnd.oci.image.index.v1+json", ["manifests"] = entries };
        return await PutManifestAsync(repository, tag, index, "application/vnd.oci.image.index.v1+json");
    }

    private static JsonObject Descriptor(string mediaType, byte[] bytes) =>
        new() { ["mediaType"] = mediaType, ["digest"] = Sha256(bytes), ["size"] = bytes.Length };

    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task PushBlobAsync(string repository, byte[] bytes)
    {
        using var start = await Http.PostAsync(new Uri($"http://{Open}/v2/{repository}/blobs/uploads/"), null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!;
        location = location.IsAbsoluteUri ? location : new Uri(new Uri($"http://{Open}"), location);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await Http.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(Sha256(bytes))), content);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    private async Task<string> PutManifestAsync(string repository, string? tag, JsonObject manifest, string mediaType)
    {
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var digest = Sha256(bytes);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var put = await Http.PutAsync(new Uri($"http://{Open}/v2/{repository}/manifests/{tag ?? digest}"), content);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"manifest PUT: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        _sizes[digest] = bytes.Length;
        return digest;
    }

    /// <summary>A JWT the token-flow registry accepts for pulling <paramref name="repository"/>, signed with the tests' key.</summary>
    public string PullToken(string repository)
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "ES256", ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate!.RawData)) };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = "",
            ["aud"] = Service,
            ["exp"] = now + 600,
            ["nbf"] = now - 60,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = new JsonArray(new JsonObject { ["type"] = "repository", ["name"] = repository, ["actions"] = new JsonArray("pull") }),
        };
        var signingInput = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + B64(signature);
    }

    /// <summary>
    /// The token endpoint hands out a pull token for <paramref name="repository"/>: to anyone, or (like ghcr.io for a
    /// private package) only to a request with Basic <paramref name="basicAuth"/> (<c>user:password</c>).
    /// </summary>
    public void ServeToken(string repository, string? basicAuth = null)
    {
        var request = Request.Create().WithPath("/token").UsingGet().WithParam("scope", $"repository:{repository}:pull");
        if (basicAuth is not null)
        {
            request = request.WithHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(basicAuth)));
        }

        TokenServer.Given(request)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(JsonSerializer.Serialize(new Dictionary<string, string> { ["token"] = PullToken(repository) })));
    }

    public Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill();
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        TokenServer.Stop();
        Http.Dispose();
        _key.Dispose();
        _certificate?.Dispose();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
