using System.Collections.Immutable;

namespace ReviewBot.Registry;

/// <summary>Credentials for one registry host (basic auth, or what the token endpoint takes).</summary>
public sealed record RegistryCredential(string Username, string Password)
{
    /// <summary>Never the password.</summary>
    public override string ToString() => $"{Username}:***";
}

/// <summary>Which registries may be read, how, and within which bounds (settings <c>Images:*</c>; CLI flags).</summary>
public sealed record RegistryOptions
{
    /// <summary>The public registries whose images anyone may name, each reached anonymously over HTTPS.</summary>
    public static ImmutableArray<string> PublicRegistries { get; } =
        ["docker.io", "ghcr.io", "mcr.microsoft.com", "quay.io", "public.ecr.aws", "gcr.io", "registry.k8s.io"];

    /// <summary>Hosts (with port) that may be read; null: any host (the CLI, asked by its user). Docker Hub is <c>docker.io</c>.</summary>
    public ImmutableHashSet<string>? Registries { get; init; } = [.. PublicRegistries];

    /// <summary>
    /// Hosts (with port) read over plain HTTP, and the only ones that may be on a private, loopback or link-local
    /// address (Docker's <c>--insecure-registry</c>). Empty by default.
    /// </summary>
    public ImmutableHashSet<string> InsecureRegistries { get; init; } = ImmutableHashSet.Create<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Credentials per registry host; anonymous where none.</summary>
    public ImmutableDictionary<string, RegistryCredential> Credentials { get; init; } = ImmutableDictionary.Create<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The platform picked from an image index when FROM names none (<c>os/arch[/variant]</c>).</summary>
    public string DefaultPlatform { get; init; } = "linux/amd64";

    /// <summary>What one image may take, every request (token, manifests, config) included.</summary>
    public TimeSpan PerImageTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>What resolving a review's images may take in all.</summary>
    public TimeSpan PerReviewTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Images resolved per review; the rest fall back to what is known, with a notice.</summary>
    public int MaxImagesPerReview { get; init; } = 20;

    /// <summary>
    /// Our own choice: a tag's digest is trusted for 10 minutes. A tag moves (a rebuilt golden image is seen within
    /// minutes), a digest never does; and a busy organisation's reviews of one image cost one manifest read per window.
    /// </summary>
    public static readonly TimeSpan DefaultTagTtl = TimeSpan.FromMinutes(10);

    /// <summary>How long a tag's digest is trusted (a tag moves; a digest never does).</summary>
    public TimeSpan TagTtl { get; init; } = DefaultTagTtl;

    /// <summary>
    /// GitHub's container registry, whose images under the installation's own account are read with the installation
    /// token (<see cref="GitHubPackagesAccess"/>): ghcr.io, or <c>containers.{hostname}</c> on GitHub Enterprise Server.
    /// </summary>
    public string GitHubContainerRegistry { get; init; } = "ghcr.io";

    /// <summary>The distribution spec: registries SHOULD accept manifests of at least 4 MiB; a larger one is refused.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>Our own cap on an image config: real ones (history, env, labels) are a few KiB; 1 MiB is ample.</summary>
    public const int MaxConfigBytes = 1024 * 1024;

    /// <summary>Our own cap on a token endpoint's answer (a JWT of a few KiB).</summary>
    public const int MaxTokenBytes = 64 * 1024;

    /// <summary>True when <paramref name="host"/> may be read at all.</summary>
    public bool Allows(string host) => Registries is null || Registries.Contains(host) || InsecureRegistries.Contains(host);
}
