using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.App.Tests.Azure;

namespace ReviewBot.App.Tests.Production;

/// <summary>The shared <see cref="AppHost"/> as operators run it: production mode, on a loopback Kestrel port, its logs captured.</summary>
public sealed class TestApp : AppHost
{
    public const string WebhookSecret = "test-webhook-secret-5b1f";

    public TestApp(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
        : this(RSA.Create(2048), settings, services)
    {
    }

    private TestApp(RSA key, Dictionary<string, string?> settings, Action<IServiceCollection>? services)
        : base("Production", key, new()
        {
            ["GitHub:AppId"] = "4242",
            ["GitHub:WebhookSecret"] = WebhookSecret,
            // PKCS#8 here, PKCS#1 in the other host: the App reads both.
            ["GitHub:PrivateKey"] = key.ExportPkcs8PrivateKeyPem(),
        }, settings, services)
    {
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
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        builder.UseUrls("http://127.0.0.1:0");
    }
}
