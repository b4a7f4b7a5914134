using System.Collections.Immutable;

namespace ReviewBot.Analysis.Manifests;

/// <summary>What kind of file runs containers: which reader applies.</summary>
public enum ManifestKind
{
    /// <summary><c>compose.yaml</c>, <c>docker-compose*.yml</c>: <c>services.NAME</c>.</summary>
    Compose,

    /// <summary>Kubernetes objects that hold a pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod).</summary>
    Kubernetes,

    /// <summary>A Helm chart's <c>values.yaml</c>: its literal <c>securityContext</c> and <c>podSecurityContext</c>.</summary>
    HelmValues,
}

/// <summary>A value as written in a manifest, with its 1-based line.</summary>
public sealed record Setting<T>(T Value, int Line);

/// <summary>A Compose service's <c>build:</c> as written: the context and the Dockerfile (relative to the context), or inline.</summary>
public sealed record ComposeBuild(string? Context, string? Dockerfile, bool Inline);

/// <summary>
/// One container a manifest runs, with the settings that decide its user as Kubernetes applies them (a pod-level
/// <c>runAsUser</c>/<c>runAsNonRoot</c> is inherited unless the container sets its own) or Compose does.
/// </summary>
/// <param name="Name">How a person finds it: <c>service web</c>, <c>Deployment api, container app</c>, <c>controller</c>.</param>
/// <param name="Line">The line that starts it (the service's key, the container's item).</param>
/// <param name="Image">The image as written (<c>ghcr.io/org/app:1.2</c>), or null.</param>
/// <param name="User">Compose's <c>user:</c>.</param>
/// <param name="MountPaths">Paths inside the container that volumes are mounted on (Compose <c>volumes:</c>, Kubernetes <c>volumeMounts[].mountPath</c>).</param>
public sealed record ManifestContainer(
    string Name,
    int Line,
    string? Image,
    ComposeBuild? Build,
    Setting<string>? User,
    Setting<long>? RunAsUser,
    Setting<bool>? RunAsNonRoot,
    Setting<bool>? Privileged,
    Setting<bool>? AllowPrivilegeEscalation,
    ImmutableArray<string> MountPaths)
{
    /// <summary>The image's repository without registry-independent tag or digest (<c>ghcr.io/org/app</c>), or null.</summary>
    public string? ImageName => Image is null ? null : StripTag(Image);

    /// <summary><c>name:tag@digest</c> → <c>name</c>; a port in the registry host (<c>host:5000/app</c>) is kept.</summary>
    public static string StripTag(string image)
    {
        int at = image.IndexOf('@');
        var name = at < 0 ? image : image[..at];
        int colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }
}

/// <summary>A manifest read: its containers, or why it could not be read (then it has none).</summary>
public sealed record Manifest(ManifestKind Kind, ImmutableArray<ManifestContainer> Containers, string? Error)
{
    public static Manifest Failed(ManifestKind kind, string error) => new(kind, [], error);
}

/// <summary>What a manifest's container runs when the repository builds it: the Dockerfile's path and text.</summary>
public sealed record BuiltImage(string DockerfilePath, string DockerfileText);
