using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;

namespace ReviewBot.App.Tests.Hosting;

/// <summary>
/// The service refuses to start, with a clear message, when the secret or the key is missing. The host is
/// built with the same two calls as Program.cs (WebApplicationFactory can mask a failed start with an
/// ObjectDisposedException under load). They run alone: WebApplicationFactory finds the host Program builds by
/// listening to every host built in the process, so a host built here at the same moment can be taken for it
/// ("IServerAddressesFeature.Addresses cannot be modified after the server has started").
/// </summary>
[Collection(StartupCollection.Name)]
public sealed class StartupTests
{
    private static async Task<Exception> StartAsync(Dictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["GitHub:AppId"] = "1",
            ["GitHub:PrivateKey"] = System.Security.Cryptography.RSA.Create(2048).ExportRSAPrivateKeyPem(),
            ["GitHub:WebhookSecret"] = "secret",
            ["urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddReviewBot();
        await using var app = builder.Build();
        app.MapReviewBot();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }

    [Theory]
    [InlineData("GitHub:WebhookSecret", "GitHub:WebhookSecret is missing")]
    [InlineData("GitHub:PrivateKey", "GitHub:PrivateKey (PEM text) or GitHub:PrivateKeyPath (PEM file) is missing")]
    [InlineData("GitHub:AppId", "GitHub:AppId is missing")]
    public async Task Missing_settings_stop_the_service_with_a_clear_message(string key, string message)
    {
        var error = await StartAsync(new() { [key] = "" });

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_key_path_that_does_not_exist_stops_the_service()
    {
        var error = await StartAsync(new() { ["GitHub:PrivateKey"] = "", ["GitHub:PrivateKeyPath"] = "/nonexistent/key.pem" });

        Assert.Contains("/nonexistent/key.pem", error.Message);
    }

    [Theory]
    [InlineData("GitHub:PrivateKey")]
    [InlineData("GitHub:SigningKeyUri")]
    [InlineData("GitHub:PrivateKeySecretUri")]
    public async Task Complete_settings_start_the_service(string key)
    {
        var settings = new Dictionary<string, string?>
        {
            ["GitHub:AppId"] = "1",
            ["GitHub:WebhookSecret"] = "secret",
            ["urls"] = "http://127.0.0.1:0",
        };
        settings[key] = key switch
        {
            "GitHub:PrivateKey" => System.Security.Cryptography.RSA.Create(2048).ExportRSAPrivateKeyPem(),
            "GitHub:SigningKeyUri" => "https://reviewbot.vault.azure.net/keys/github-app/0123456789abcdef",
            _ => "https://reviewbot.vault.azure.net/secrets/github-app-pem",
        };
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddReviewBot();
        await using var app = builder.Build();
        app.MapReviewBot();

        await app.StartAsync();
        await app.StopAsync();
    }

    [Fact]
    public async Task First_run_with_setup_enabled_serves_only_setup_and_liveness()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Setup:Enabled"] = "true",
            ["Setup:PublicUrl"] = "http://127.0.0.1:5080/",
            ["Setup:ManifestPath"] = Path.Combine(AppContext.BaseDirectory, "app-manifest.yml"),
            ["urls"] = "http://127.0.0.1:0",
        });
        builder.AddReviewBot();
        await using var app = builder.Build();
        app.MapReviewBot();
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var setup = await client.GetAsync("/setup");
        var health = await client.GetAsync("/healthz");
        var webhook = await client.PostAsync("/api/github/webhooks", new StringContent("{}"));

        Assert.Equal(System.Net.HttpStatusCode.OK, setup.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, webhook.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Setup_enabled_does_not_excuse_a_half_configured_app()
    {
        var error = await StartAsync(new() { ["Setup:Enabled"] = "true", ["GitHub:WebhookSecret"] = "" });

        Assert.Contains("GitHub:WebhookSecret is missing", error.Message);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StartupCollection
{
    public const string Name = "Startup";
}
