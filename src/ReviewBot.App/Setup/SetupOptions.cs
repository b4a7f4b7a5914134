namespace ReviewBot.App.Setup;

/// <summary>The one-click App registration page (section <c>Setup</c>). Off unless enabled.</summary>
public sealed record SetupOptions
{
    public const string Section = "Setup";

    /// <summary>Serve /setup while the App does not exist yet (no GitHub:AppId, no GitHub:WebhookSecret); once it does, /setup is 404 whatever this says.</summary>
    public bool Enabled { get; init; }

    /// <summary>GitHub's web address (the manifest form goes here): github.com or a GitHub Enterprise Server.</summary>
    public Uri GitHubWebUrl { get; init; } = new("https://github.com/");

    /// <summary>This service's public address, for the webhook and redirect URLs. Required unless the page is opened on localhost: a request's Host header is never trusted for it.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>The manifest file; relative paths are looked up in the content root, then next to the binaries.</summary>
    public string ManifestPath { get; init; } = "app-manifest.yml";
}
