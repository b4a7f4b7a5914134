using ReviewBot.Analysis.Manifests;

namespace ReviewBot.Configuration;

/// <summary>
/// Which Dockerfile of the repository builds the image a manifest's container runs: a Compose service's <c>build:</c>
/// (exact), else a <c>built_images</c> entry of the config whose image is the container's, tag and digest aside.
/// </summary>
public static class ManifestLinks
{
    /// <summary>Manifests read per review or scan (RB008); a repository of rendered manifests has a few dozen.</summary>
    public const int MaxManifests = 200;

    /// <summary>The Dockerfile's repository path, or null when the repository is not known to build that image.</summary>
    public static string? DockerfileOf(string manifestPath, ManifestContainer container, RepositoryConfig config)
    {
        if (container.Build is { } build)
        {
            return DockerfileReferences.Resolve(RepositoryPaths.Folder(manifestPath), build);
        }

        return container.ImageName is { } image
            ? config.BuiltImages.FirstOrDefault(b => string.Equals(b.Image, image, StringComparison.OrdinalIgnoreCase))?.Dockerfile
            : null;
    }
}
