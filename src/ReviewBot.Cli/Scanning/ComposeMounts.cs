using System.Collections.Concurrent;
using System.Collections.Immutable;
using ReviewBot.Analysis.Manifests;
using ReviewBot.Configuration;

namespace ReviewBot.Cli.Scanning;

/// <summary>
/// The container paths the Compose files of a Dockerfile's folder, and of the folders above it up to the tree scanned,
/// mount volumes on for the services built from that Dockerfile (issue 22 item 3), for its fix to create them owned by
/// the new user. Read once per folder per scan, within <see cref="ManifestReader"/>'s bounds; a file that cannot be read
/// adds nothing (the walk reports it).
/// </summary>
internal sealed class ComposeMounts
{
    private readonly ConcurrentDictionary<string, ImmutableArray<(string Folder, Manifest Manifest)>> _folders = new(StringComparer.Ordinal);

    /// <param name="composeFolders">The folders the walk saw Compose files in; null: look in every folder (a file named on the command line).</param>
    public ImmutableArray<string> Of(string root, string dockerfile, ConcurrentDictionary<string, bool>? composeFolders = null)
    {
        if (composeFolders is { IsEmpty: true })
        {
            // The walk lists a folder before its files and folders below it: no Compose file above this Dockerfile
            // yet means none at all. Most trees (the corpus) have none: no path arithmetic per Dockerfile.
            return [];
        }

        string relative = Path.GetRelativePath(root, dockerfile).Replace('\\', '/');
        if (relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return [];
        }

        var paths = new List<string>();
        for (string folder = RepositoryPaths.Folder(relative); ; folder = RepositoryPaths.Folder(folder))
        {
            // A folder the walk listed without a Compose file is not listed again (1,300 Dockerfiles meant 2,600 more listings).
            var known = composeFolders is null || composeFolders.ContainsKey(folder) ? _folders.GetOrAdd(folder, f => Read(root, f)) : [];
            foreach (var (composeFolder, manifest) in known)
            {
                paths.AddRange(manifest.Containers.Where(c => DockerfileReferences.Resolve(composeFolder, c.Build) == relative).SelectMany(c => c.MountPaths));
            }

            if (folder.Length == 0)
            {
                break;
            }
        }

        return [.. paths.Distinct(StringComparer.Ordinal)];
    }

    private static ImmutableArray<(string, Manifest)> Read(string root, string folder)
    {
        try
        {
            var found = new List<(string, Manifest)>();
            foreach (var file in Directory.EnumerateFiles(Path.Join(root, folder)).Order(StringComparer.Ordinal))
            {
                var inTree = folder.Length == 0 ? Path.GetFileName(file) : $"{folder}/{Path.GetFileName(file)}";
                var info = new FileInfo(file);
                if (ManifestNames.IsCompose(inTree) && info.LinkTarget is null && info.Length <= ManifestReader.MaxChars)
                {
                    found.Add((folder, ManifestReader.Read(ManifestKind.Compose, File.ReadAllText(file))));
                }
            }

            return [.. found];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
