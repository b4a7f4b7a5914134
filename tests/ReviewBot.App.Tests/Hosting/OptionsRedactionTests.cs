using Microsoft.Extensions.Logging;
using ReviewBot.App.Azure;
using ReviewBot.App.Hosting;
using ReviewBot.App.Setup;
using ReviewBot.App.Tests.Azure;

namespace ReviewBot.App.Tests.Hosting;

/// <summary>Records print every property by default; the ones holding secrets must not, in ToString or in a log line.</summary>
public sealed class OptionsRedactionTests
{
    private const string Pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END RSA PRIVATE KEY-----";
    private const string WebhookSecret = "whsec-0f1e2d3c4b5a";
    private const string ConnectionString = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0LWFjY291bnQta2V5;EndpointSuffix=core.windows.net";

    private static readonly string[] Secrets = [Pem, "secretkeymaterial", WebhookSecret, "c2VjcmV0LWFjY291bnQta2V5", "AccountKey"];

    private static readonly object[] Options =
    [
        new GitHubOptions { AppId = "12345", PrivateKey = Pem, WebhookSecret = WebhookSecret },
        new AzureQueueOptions { ConnectionString = ConnectionString },
        new AzureTableStateOptions { ConnectionString = ConnectionString },
        new ManifestConversion(424242, "reviewbot", "ReviewBot", "https://github.com/apps/reviewbot", "Iv1.abc", WebhookSecret, Pem),
    ];

    [Fact]
    public void ToString_says_a_secret_is_set_but_never_shows_it()
    {
        foreach (var options in Options)
        {
            var text = options.ToString()!;
            Assert.All(Secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
            Assert.Contains(Redact.Set, text, StringComparison.Ordinal);
        }

        var github = Options[0].ToString()!;
        Assert.Contains("AppId = 12345", github, StringComparison.Ordinal);
        Assert.Contains("WebhookSecret = (set)", github, StringComparison.Ordinal);
        Assert.Contains("PrivateKey = (set)", github, StringComparison.Ordinal);
        Assert.Contains("PrivateKeySecretUri = ,", github, StringComparison.Ordinal); // every other member still printed
        Assert.Contains("WebhookSecret = (not set)", new GitHubOptions().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Logging_the_options_as_a_structured_value_shows_no_secret()
    {
        var logs = new CapturedLogs();
        var logger = logs.CreateLogger("test");
        foreach (var options in Options)
        {
            logger.LogInformation("Starting with {Options}", options);
        }

        Assert.Equal(Options.Length, logs.Lines.Count);
        Assert.All(logs.Lines, line => Assert.All(Secrets, secret => Assert.DoesNotContain(secret, line, StringComparison.Ordinal)));
    }
}
