using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ReviewBot.App.Tests;

/// <summary>
/// The real App in memory (WebApplicationFactory), configured in memory: the one host every App test starts, pointed at
/// a <see cref="GitHubFake"/> here, or on a loopback port in production mode (<see cref="Production.TestApp"/>).
/// </summary>
public class AppHost : WebApplicationFactory<Program>
{
    public const string AppId = GitHubFake.AppId;
    public const string Secret = "It's a Secret to Everybody";

    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public AppHost(GitHubFake github, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
        : this(github, RSA.Create(2048), overrides, services)
    {
    }

    private AppHost(GitHubFake github, RSA key, IDictionary<string, string?>? overrides, Action<IServiceCollection>? services)
        : this("Testing", key, new()
        {
            ["GitHub:AppId"] = AppId,
            ["GitHub:PrivateKey"] = key.ExportRSAPrivateKeyPem(),
            ["GitHub:WebhookSecret"] = Secret,
            ["GitHub:ApiBaseUrl"] = github.Url + "/",
            ["GitHub:RetryBaseDelay"] = "00:00:00.010",
            ["GitHub:MaxRetryWait"] = "00:00:05",
            ["Worker:RetryDelay"] = "00:00:00.100",
            ["Worker:Concurrency"] = "2",
            // Tests never reach the internet: registries are read only by the tests that point Images at a local one.
            ["Images:Resolve"] = "false",
        }, overrides, services)
    {
    }

    /// <param name="environment">ASP.NET Core's environment ("Testing", or "Production" for what operators run).</param>
    /// <param name="key">The App's private key, whose PEM <paramref name="settings"/> carries.</param>
    /// <param name="settings">The host's own settings; <paramref name="overrides"/> (a test's) win over them.</param>
    /// <param name="overrides">A test's settings.</param>
    /// <param name="services">A test's replacements of services.</param>
    protected AppHost(string environment, RSA key, Dictionary<string, string?> settings, IDictionary<string, string?>? overrides, Action<IServiceCollection>? services)
    {
        _environment = environment;
        _services = services;
        Key = key;
        _settings = settings;
        // The redelivery job calls GitHub on start; only the tests of it switch it on.
        _settings.TryAdd("Redelivery:Enabled", "false");
        foreach (var (name, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[name] = value;
        }
    }

    public RSA Key { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(_settings));

        // Settings read while services are registered (Queue:Provider, State:Provider, first-run mode) must be there
        // before Program's builder runs: the app configuration above only arrives at Build.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    public static string Sign(byte[] body, string secret = Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public async Task<HttpResponseMessage> PostWebhookAsync(string eventName, JsonNode payload, string? deliveryId = null, string? signature = null, bool sign = true)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhooks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
        if (sign)
        {
            request.Headers.Add("X-Hub-Signature-256", signature ?? Sign(body));
        }

        return await CreateClient().SendAsync(request);
    }

    public static JsonNode Payload(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json")))!;
}
