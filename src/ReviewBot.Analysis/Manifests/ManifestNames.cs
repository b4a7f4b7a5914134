namespace ReviewBot.Analysis.Manifests;

/// <summary>Which files of a repository are manifests, and of which kind, by their paths (/ separated, from the root).</summary>
public static class ManifestNames
{
    /// <summary>
    /// The files Docker Compose reads by default (<c>compose.yaml</c>, <c>compose.yml</c>, <c>docker-compose.yml</c>,
    /// <c>docker-compose.yaml</c>) and their overrides (<c>docker-compose.prod.yml</c>, <c>compose.override.yaml</c>). Any folder.
    /// </summary>
    public static bool IsCompose(ReadOnlySpan<char> path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        return IsYaml(name) && (name.StartsWith("docker-compose", StringComparison.Ordinal) || name.StartsWith("compose.", StringComparison.Ordinal));
    }

    /// <summary>
    /// The kind of manifest at <paramref name="path"/>, or null: a Compose file; a Helm chart's <c>values*.yaml</c> (a
    /// <c>Chart.yaml</c> beside it, as <paramref name="isFile"/> tells); any other YAML file may hold Kubernetes objects,
    /// except a chart's own <c>Chart.yaml</c> and its <c>templates/</c> (Go templates, not YAML) and GitHub's
    /// <c>.github/</c> (workflows and settings). Whether it runs a container is for its text to say.
    /// </summary>
    public static ManifestKind? Kind(string path, Func<string, bool> isFile)
    {
        // Most files of a tree are ruled out by their name's ending, before the path is split into strings.
        if (!IsYaml(path))
        {
            return null;
        }

        var segments = path.Split('/');
        var name = segments[^1];
        if (segments[0] == ".github")
        {
            return null;
        }

        if (IsCompose(path))
        {
            return ManifestKind.Compose;
        }

        var folder = string.Join('/', segments[..^1]);
        if (isFile(Join(folder, "Chart.yaml")))
        {
            return name.StartsWith("values", StringComparison.Ordinal) ? ManifestKind.HelmValues : null;
        }

        for (int i = segments.Length - 2; i >= 0; i--)
        {
            if (segments[i] == "templates" && isFile(Join(string.Join('/', segments[..i]), "Chart.yaml")))
            {
                return null;
            }
        }

        return ManifestKind.Kubernetes;
    }

    private static string Join(string folder, string name) => folder.Length == 0 ? name : $"{folder}/{name}";

    private static bool IsYaml(ReadOnlySpan<char> name) =>
        name.EndsWith(".yml", StringComparison.Ordinal) || name.EndsWith(".yaml", StringComparison.Ordinal);
}
