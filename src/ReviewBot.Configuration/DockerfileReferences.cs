using System.Collections.Immutable;
using System.Text.Json;
using ReviewBot.Analysis.Manifests;

namespace ReviewBot.Configuration;

/// <summary>What a build file named: the Dockerfiles (repository paths), or why it could not be read.</summary>
public sealed record BuildFileResult(ImmutableArray<string> Dockerfiles, string? Error)
{
    public static BuildFileResult Failed(string error) => new([], error);
}

/// <summary>
/// Dockerfiles that build files name, whatever their own names: compose files' services (<c>build.dockerfile</c>,
/// relative to <c>build.context</c>, by default <c>Dockerfile</c> in the context) and dev containers'
/// <c>devcontainer.json</c> (<c>build.dockerfile</c>, relative to the json's folder). A file named there is a
/// Dockerfile to judge, as <c>docker compose build</c> and the dev container would build it. Their text is the pull
/// request author's: read with bounds, and a path that leaves the repository is ignored (nothing there was reviewed).
/// </summary>
public static class DockerfileReferences
{
    /// <summary>Build files read per review or scan; more are named in a note and the check does not pass.</summary>
    public const int MaxFiles = 50;

    /// <summary>A compose file or devcontainer.json larger than this is not read (the largest real ones are a few KiB).</summary>
    public const long MaxFileBytes = 256 * 1024;

    /// <summary>Dockerfiles taken from one build file (a compose file's services); the rest are an error.</summary>
    public const int MaxDockerfilesPerFile = 100;

    /// <summary>JSON nesting read in a devcontainer.json; the properties we want are two levels down.</summary>
    private const int MaxJsonDepth = 64;

    /// <summary>
    /// True for the files Docker Compose reads by default (<c>compose.yaml</c>, <c>compose.yml</c>,
    /// <c>docker-compose.yml</c>, <c>docker-compose.yaml</c>) and their overrides (<c>docker-compose.prod.yml</c>,
    /// <c>compose.override.yaml</c>), and for dev containers' <c>.devcontainer.json</c>,
    /// <c>.devcontainer/devcontainer.json</c> and <c>.devcontainer/NAME/devcontainer.json</c>. Any folder.
    /// </summary>
    public static bool IsBuildFile(string path) => IsCompose(path) || IsDevcontainer(path);

    private static bool IsCompose(string path) => ManifestNames.IsCompose(path);

    private static bool IsDevcontainer(string path)
    {
        // Most files of a tree are ruled out by their name's ending, before the path is split into strings.
        if (!path.EndsWith("devcontainer.json", StringComparison.Ordinal))
        {
            return false;
        }

        var segments = path.Split('/');
        return segments[^1] == ".devcontainer.json"
            || (segments[^1] == "devcontainer.json" && (segments is [.., ".devcontainer", _] || segments is [.., ".devcontainer", _, _]));
    }

    /// <summary>The Dockerfiles the build file at <paramref name="path"/> names. Never throws on its text.</summary>
    public static BuildFileResult Read(string path, string text)
    {
        var folder = RepositoryPaths.Folder(path);
        var named = new List<string>();
        string? error = IsCompose(path) ? ReadCompose(folder, text, named) : ReadDevcontainer(folder, text, named);
        if (named.Count > MaxDockerfilesPerFile)
        {
            return BuildFileResult.Failed($"names more than {MaxDockerfilesPerFile} Dockerfiles");
        }

        return new BuildFileResult([.. named.Distinct(StringComparer.Ordinal)], error);
    }

    /// <summary>The Compose reader is the manifests' own (<see cref="ManifestReader"/>): one reader, one set of bounds.</summary>
    private static string? ReadCompose(string folder, string text, List<string> named)
    {
        var manifest = ManifestReader.Read(ManifestKind.Compose, text);
        foreach (var service in manifest.Containers)
        {
            if (named.Count > MaxDockerfilesPerFile)
            {
                return null;
            }

            if (Resolve(folder, service.Build) is { } path)
            {
                named.Add(path);
            }
        }

        return manifest.Error;
    }

    /// <summary>
    /// The repository path of the Dockerfile a Compose service's <c>build:</c> names from the compose file's
    /// <paramref name="folder"/>: <c>build: ./dir</c> is the context with its <c>Dockerfile</c>, <c>build: {context,
    /// dockerfile}</c> may name another file; null for an inline Dockerfile, a remote context, a value only the
    /// environment decides, or a path out of the repository.
    /// </summary>
    public static string? Resolve(string folder, ComposeBuild? build)
    {
        if (build is null || build.Inline)
        {
            return null;
        }

        string context = build.Context ?? ".";
        string dockerfile = build.Dockerfile ?? "Dockerfile";
        if (IsUnresolvable(context) || IsUnresolvable(dockerfile))
        {
            return null;
        }

        return RepositoryPaths.ResolveFolder(folder, context.Replace('\\', '/')) is { } contextPath
            ? RepositoryPaths.Resolve(contextPath, dockerfile.Replace('\\', '/'))
            : null;
    }

    private static string? ReadDevcontainer(string folder, string text, List<string> named)
    {
        try
        {
            using var json = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxJsonDepth });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            // build.dockerfile, and the older top-level dockerFile the spec still reads.
            foreach (var value in new[]
            {
                json.RootElement.TryGetProperty("build", out var build) && build.ValueKind == JsonValueKind.Object && build.TryGetProperty("dockerfile", out var inBuild) ? inBuild : default,
                json.RootElement.TryGetProperty("dockerFile", out var legacy) ? legacy : default,
            })
            {
                if (value.ValueKind == JsonValueKind.String && value.GetString() is { } dockerfile && !IsUnresolvable(dockerfile)
                    && RepositoryPaths.Resolve(folder, dockerfile.Replace('\\', '/')) is { } path)
                {
                    named.Add(path);
                }
            }

            return null;
        }
        catch (JsonException e)
        {
            return $"is not valid JSON (line {e.LineNumber + 1})";
        }
    }

    /// <summary>A remote context (a Git URL) or a value only the environment decides (<c>${VAR}</c>): no repository path.</summary>
    private static bool IsUnresolvable(string value) =>
        value.Contains("://", StringComparison.Ordinal) || value.StartsWith("git@", StringComparison.Ordinal) || value.Contains('$');
}
