namespace ReviewBot.App.Setup;

/// <summary>The one-click App registration page (section <c>Setup</c>). Off unless enabled.</summary>
public sealed record SetupOptions
{
    public const string SectionName = "Setup";

    /// <summary>Serve /setup. Keep it off in production once the App exists.</summary>
    public bool Enabled { get; init; }

    /// <summary>GitHub's web address (the manifest form goes here): github.com or a GitHub Enterprise Server.</summary>
    public Uri GitHubWebUrl { get; init; } = new("https://github.com/");

    /// <summary>This service's public address, for the webhook and redirect URLs; by default the address the page was asked on.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>The manifest file; relative paths are looked up in the content root, then next to the binaries.</summary>
    public string ManifestPath { get; init; } = "app-manifest.yml";
}
