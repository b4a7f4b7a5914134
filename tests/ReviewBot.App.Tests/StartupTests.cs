namespace ReviewBot.App.Tests;

/// <summary>The service refuses to start, with a clear message, when the secret or the key is missing.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("GitHub:WebhookSecret", "GitHub:WebhookSecret is missing")]
    [InlineData("GitHub:PrivateKey", "GitHub:PrivateKey (PEM text) or GitHub:PrivateKeyPath (PEM file) is missing")]
    [InlineData("GitHub:AppId", "GitHub:AppId is missing")]
    public void Missing_settings_stop_the_service_with_a_clear_message(string key, string message)
    {
        using var github = new GitHubFake();
        using var app = new AppHost(github, new Dictionary<string, string?> { [key] = "" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(message, error.ToString());
    }

    [Fact]
    public void A_key_path_that_does_not_exist_stops_the_service()
    {
        using var github = new GitHubFake();
        using var app = new AppHost(github, new Dictionary<string, string?> { ["GitHub:PrivateKey"] = "", ["GitHub:PrivateKeyPath"] = "/nonexistent/key.pem" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("/nonexistent/key.pem", error.ToString());
    }
}
