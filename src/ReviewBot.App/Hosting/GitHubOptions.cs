using System.ComponentModel.DataAnnotations;

namespace ReviewBot.App.Hosting;

/// <summary>The App's identity and where GitHub is (section <c>GitHub</c>; environment <c>GitHub__AppId</c> …).</summary>
public sealed record GitHubOptions
{
    public const string Section = "GitHub";

    [Required(ErrorMessage = "GitHub:AppId is missing: set it to the App ID shown on the App's settings page.")]
    public string? AppId { get; init; }

    /// <summary>The App's private key as PEM text. Either this or <see cref="PrivateKeyPath"/>.</summary>
    public string? PrivateKey { get; init; }

    /// <summary>Path of a PEM file holding the App's private key.</summary>
    public string? PrivateKeyPath { get; init; }

    /// <summary>A Key Vault key that signs the JWT in the vault (see Secrets/); the key never leaves it.</summary>
    public Uri? SigningKeyUri { get; init; }

    /// <summary>A Key Vault secret holding the PEM (see Secrets/).</summary>
    public Uri? PrivateKeySecretUri { get; init; }

    [Required(ErrorMessage = "GitHub:WebhookSecret is missing: without it anyone could post fake webhooks, so the service does not start. Set it to the App's webhook secret.")]
    public string? WebhookSecret { get; init; }

    /// <summary>Every API call goes here: api.github.com, a GitHub Enterprise Server, or a local fake.</summary>
    public Uri ApiBaseUrl { get; init; } = new("https://api.github.com/");

    /// <summary>Attempts per GitHub call for 5xx, timeouts and rate limits.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First backoff after a 5xx or timeout, doubled per attempt.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest Retry-After honoured inside a run; a longer one puts the work item back for later.</summary>
    public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One GitHub request taking longer than this is abandoned and retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>GitHub's web address (github.com, or a GitHub Enterprise Server's), for the check's links to files at a commit.</summary>
    public Uri WebUrl { get; init; } = new(ReviewBot.GitHub.Checks.SourceLinks.DefaultWebUrl);

    /// <summary>Base URL of the rule docs linked from comments.</summary>
    public string RuleDocsBaseUrl { get; init; } = ReviewBot.GitHub.Review.ReviewPlanOptions.DefaultRuleDocsBaseUrl;

    /// <summary>ToString (and so any log of the options) says whether the key and the secret are set, never what they are.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"AppId = {AppId}, PrivateKey = {Redact.Secret(PrivateKey)}, PrivateKeyPath = {PrivateKeyPath}, ")
            .Append($"SigningKeyUri = {SigningKeyUri}, PrivateKeySecretUri = {PrivateKeySecretUri}, WebhookSecret = {Redact.Secret(WebhookSecret)}, ")
            .Append($"ApiBaseUrl = {ApiBaseUrl}, MaxAttempts = {MaxAttempts}, RetryBaseDelay = {RetryBaseDelay}, MaxRetryWait = {MaxRetryWait}, ")
            .Append($"RequestTimeout = {RequestTimeout}, RuleDocsBaseUrl = {RuleDocsBaseUrl}, WebUrl = {WebUrl}");
        return true;
    }
}
