using System.Collections.Immutable;
using ReviewBot.Analysis.Manifests;
using ReviewBot.GitHub.Api;
using ReviewBot.Configuration;

namespace ReviewBot.GitHub.PullRequests;

/// <summary>A manifest read at the head: its containers and, for each, the Dockerfile that builds its image (or null).</summary>
public sealed record ManifestFile(string Path, string Text, Manifest Manifest, ImmutableArray<string?> Dockerfiles)
{
    /// <summary>The Dockerfile that builds <paramref name="container"/>'s image (one of this manifest's), or null.</summary>
    public string? DockerfileOf(ManifestContainer container) =>
        Manifest.Containers.IndexOf(container, ReferenceEqualityComparer.Instance) is var i and >= 0 ? Dockerfiles[i] : null;
}

/// <summary>The manifests a review read, and the paths they mount into each Dockerfile's image.</summary>
public sealed record ManifestSet(IReadOnlyList<ManifestFile> Files)
{
    public static ManifestSet Empty { get; } = new([]);

    private readonly Lazy<Dictionary<string, ImmutableArray<string>>> _mounts = new(() => Files
        .SelectMany(f => f.Manifest.Containers.Zip(f.Dockerfiles))
        .Where(c => c.Second is not null)
        .GroupBy(c => c.Second!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.SelectMany(c => c.First.MountPaths).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal));

    /// <summary>The container paths the repository's manifests mount into the image <paramref name="dockerfile"/> builds.</summary>
    public ImmutableArray<string> MountPathsOf(string dockerfile) => _mounts.Value.GetValueOrDefault(dockerfile, []);
}

/// <summary>
/// The manifests of the head commit a review reads for RB008 and for the volumes a fix must keep writable: every
/// Compose file, and the Kubernetes manifests and Helm values the pull request changes (all of them when
/// <c>built_images</c> links images to Dockerfiles, since a Dockerfile's change then concerns them). Bounded in files and bytes.
/// </summary>
public static class ManifestSelection
{
    /// <summary>Manifest text one review holds, all files together.</summary>
    public const long MaxTotalBytes = 8L * 1024 * 1024;

    public static async Task<ManifestSet> ReadAsync(IPullRequestSource source, RepositoryTree tree, RepositoryConfig config, IReadOnlySet<string> changed, ICollection<string> notes, ICollection<(string Path, string Why)> notChecked, CancellationToken cancellationToken)
    {
        bool IsFile(string path) => tree.KindOf(path) == TreeEntryKind.File;
        var candidates = tree.Entries
            .Where(e => e.Kind == TreeEntryKind.File && !config.IsExcluded(e.Path) && ManifestNames.Kind(e.Path, IsFile) is { } kind
                && (kind == ManifestKind.Compose || changed.Contains(e.Path) || !config.BuiltImages.IsEmpty))
            .Select(e => e.Path)
            .OrderBy(p => changed.Contains(p) ? 0 : 1)
            .ThenBy(p => p, StringComparer.Ordinal)
            .ToList();
        if (candidates.Count > ManifestLinks.MaxManifests)
        {
            var left = candidates.Skip(ManifestLinks.MaxManifests).ToList();
            notes.Add($"The repository has {candidates.Count} Compose files and Kubernetes manifests to read; ReviewBot reads at most {ManifestLinks.MaxManifests}, so RB008 did not read {PullRequestReviewer.Paths(left)}.");
            foreach (var path in left.Where(changed.Contains))
            {
                notChecked.Add((path, $"past the {ManifestLinks.MaxManifests} manifests a review reads"));
            }

            candidates = candidates[..ManifestLinks.MaxManifests];
        }

        if (candidates.Count == 0)
        {
            return ManifestSet.Empty;
        }

        var reads = await source.ReadHeadFilesAsync(candidates, ManifestReader.MaxChars, cancellationToken).ConfigureAwait(false);
        var files = new List<ManifestFile>();
        long held = 0;
        foreach (var (path, read) in candidates.Zip(reads))
        {
            var kind = ManifestNames.Kind(path, IsFile)!.Value;
            if (read.Text is not { } text || held + text.Length > MaxTotalBytes)
            {
                // A Compose file that cannot be read is already named by the Dockerfile selection.
                if (changed.Contains(path) && kind != ManifestKind.Compose)
                {
                    notChecked.Add((path, read.Status == FileReadStatus.TooLarge ? $"a manifest larger than {ManifestReader.MaxChars / 1024} KiB" : "a manifest that could not be read"));
                }

                continue;
            }

            held += text.Length;
            var manifest = ManifestReader.Read(kind, text);
            if (manifest.Error is { } error)
            {
                // Any YAML file may be a manifest: one that is not valid YAML is no manifest kubectl would apply, and is
                // only named; one over our bounds may be, and is not checked.
                if (changed.Contains(path) && kind != ManifestKind.Compose)
                {
                    if (error.StartsWith("is not valid YAML", StringComparison.Ordinal))
                    {
                        notes.Add($"{PullRequestReviewer.Paths([path])} {error}, so RB008 did not read it.");
                    }
                    else
                    {
                        notChecked.Add((path, $"a manifest that {error}"));
                    }
                }

                continue;
            }

            if (!manifest.Containers.IsEmpty)
            {
                files.Add(new ManifestFile(path, text, manifest, [.. manifest.Containers.Select(c => ManifestLinks.DockerfileOf(path, c, config))]));
            }
        }

        return new ManifestSet(files);
    }
}
