using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
using ReviewBot.Registry;

namespace ReviewBot.App.Hosting;

/// <summary>
/// Reading base images' configs from their registries (section <c>Images</c>). On by default for the images neither
/// a repository's <c>images:</c> nor ReviewBot's table knows; a registry that cannot be reached never fails a check by
/// itself (the verdict falls back, with a note naming the image).
/// </summary>
public sealed record ImagesOptions
{
    public const string Section = "Images";

    /// <summary>Whether registries are read at all.</summary>
    public bool Resolve { get; init; } = true;

    /// <summary>The registry hosts (with port) the App may read; Docker Hub is <c>docker.io</c>. Default: the public registries.</summary>
    [Required]
    public string[] Registries { get; init; } = [.. RegistryOptions.PublicRegistries];

    /// <summary>Hosts read over plain HTTP, and the only ones that may be on a private, loopback or link-local address. Empty by default.</summary>
    public string[] InsecureRegistries { get; init; } = [];

    /// <summary>Credentials per registry host (from settings or Key Vault: <c>Images__Credentials__registry.acme.io__Password</c>).</summary>
    public Dictionary<string, RegistryCredentialSetting> Credentials { get; init; } = [];

    /// <summary>The platform picked from an index when FROM names none.</summary>
    [RegularExpression("^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$")]
    public string DefaultPlatform { get; init; } = "linux/amd64";

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PerImageTimeout { get; init; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan PerReviewTimeout { get; init; } = TimeSpan.FromSeconds(15);

    [Range(0, 200)]
    public int MaxImagesPerReview { get; init; } = 20;

    /// <summary>
    /// GitHub's container registry: the installation's own images there are read with its token when the App has
    /// <c>packages: read</c>. ghcr.io; on GitHub Enterprise Server <c>containers.{hostname}</c>.
    /// </summary>
    [Required]
    public string GitHubContainerRegistry { get; init; } = "ghcr.io";

    public RegistryOptions ToRegistryOptions() => new()
    {
        Registries = ImmutableHashSet.CreateRange(StringComparer.OrdinalIgnoreCase, Registries),
        InsecureRegistries = ImmutableHashSet.CreateRange(StringComparer.OrdinalIgnoreCase, InsecureRegistries),
        Credentials = Credentials.ToImmutableDictionary(c => c.Key, c => new RegistryCredential(c.Value.Username, c.Value.Password), StringComparer.OrdinalIgnoreCase),
        DefaultPlatform = DefaultPlatform,
        PerImageTimeout = PerImageTimeout,
        PerReviewTimeout = PerReviewTimeout,
        MaxImagesPerReview = MaxImagesPerReview,
        GitHubContainerRegistry = GitHubContainerRegistry,
    };
}

/// <summary>One registry's credentials, as settings hold them.</summary>
public sealed record RegistryCredentialSetting
{
    public string Username { get; init; } = "";

    public string Password { get; init; } = "";

    /// <summary>Never the password (options are logged redacted, and records print themselves).</summary>
    public override string ToString() => $"{Username}:***";
}
