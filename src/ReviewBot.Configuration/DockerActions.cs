using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Configuration;

/// <summary>
/// The Dockerfiles that Docker container actions of the repository are built from: an <c>action.yml</c> (or
/// <c>action.yaml</c>) in any folder with <c>runs.using: docker</c> and <c>runs.image</c> naming a Dockerfile, relative
/// to that folder (GitHub builds it from there). GitHub's runner starts such an image as root with the workspace owned
/// by root, and its documentation says not to set USER there (actions/checkout#956), so RB001 only notes it. An image
/// from a registry (<c>docker://…</c>) is not built from the repository. The text is the pull request author's: read
/// with bounds like <see cref="DockerfileReferences"/>, and anything unclear names nothing, which keeps the error.
/// </summary>
public static class DockerActions
{
    /// <summary>Action files read per review or scan; past it, the rest name nothing (their Dockerfiles keep their errors).</summary>
    public const int MaxFiles = 50;

    /// <summary>An action.yml larger than this is not read: real ones, with all their inputs described, are a few KiB.</summary>
    public const long MaxFileBytes = 64 * 1024;

    /// <summary>The names GitHub reads an action's metadata from.</summary>
    public static bool IsActionFile(string path) => path[(path.LastIndexOf('/') + 1)..] is "action.yml" or "action.yaml";

    /// <summary>The repository path of the Dockerfile the action at <paramref name="path"/> is built from, or null. Never throws on its text.</summary>
    public static string? Dockerfile(string path, string text)
    {
        if (text.Length > MaxFileBytes)
        {
            return null;
        }

        // Through the manifests' bounded reader: depth, aliases and documents are capped before YamlDotNet builds its
        // tree, which recurses once per level (64 KiB of '[' would overflow the stack and end the process).
        if (ReviewBot.Analysis.Manifests.ManifestReader.Load(text) is not { Stream: { } stream })
        {
            return null;
        }

        if (stream.Documents is not [{ RootNode: YamlMappingNode root }]
            || !root.Children.TryGetValue(new YamlScalarNode("runs"), out var runs)
            || !string.Equals(Scalar(runs, "using"), "docker", StringComparison.OrdinalIgnoreCase)
            || Scalar(runs, "image") is not { } image)
        {
            return null;
        }

        // A registry image, a value only the environment decides, or a path that could leave a code span names nothing.
        if (image.Contains("://", StringComparison.Ordinal) || image.AsSpan().IndexOfAny("$`\r\n\\") >= 0
            || path.AsSpan().IndexOfAny("`\r\n") >= 0)
        {
            return null;
        }

        return RepositoryPaths.Resolve(RepositoryPaths.Folder(path), image);
    }

    /// <summary>
    /// Each Dockerfile a Docker container action is built from, with the first action file (in path order) that names
    /// it. At most <see cref="MaxFiles"/> of <paramref name="files"/> are read.
    /// </summary>
    public static Dictionary<string, string> Images(IEnumerable<(string Path, string Text)> files)
    {
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, text) in files.OrderBy(f => f.Path, StringComparer.Ordinal).Take(MaxFiles))
        {
            if (Dockerfile(path, text) is { } dockerfile)
            {
                images.TryAdd(dockerfile, path);
            }
        }

        return images;
    }

    private static string? Scalar(YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { } text } ? text : null;
}
