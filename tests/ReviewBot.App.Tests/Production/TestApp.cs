using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.App.Tests.Azure;

namespace ReviewBot.App.Tests.Production;

/// <summary>The real app on a loopback Kestrel port, configured in memory, its logs captured.</summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string WebhookSecret = "test-webhook-secret-5b1f";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public TestApp(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        _services = services;
        using var key = RSA.Create(2048);
        _settings = new Dictionary<string, string?>
        {
            ["GitHub:AppId"] = "4242",
            ["GitHub:WebhookSecret"] = WebhookSecret,
            ["GitHub:PrivateKey"] = key.ExportPkcs8PrivateKeyPem(),
            // The redelivery job calls GitHub on start; only the tests of it switch it on.
            ["Redelivery:Enabled"] = "false",
        };
        foreach (var (name, value) in settings)
        {
            _settings[name] = value;
        }

        UseKestrel(0);
    }

    public CapturedLogs Logs { get; } = new();

    /// <summary>Starts the server and returns its address, e.g. http://127.0.0.1:5123.</summary>
    public string Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));

        // Settings read while services are registered (first-run mode, providers) must be there before
        // Program's builder runs: the app configuration above only arrives at Build.
        foreach (var (name, value) in _settings)
        {
            builder.UseSetting(name, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        builder.UseUrls("http://127.0.0.1:0");
    }
}
