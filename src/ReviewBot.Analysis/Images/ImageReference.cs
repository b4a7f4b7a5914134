using System.Diagnostics.CodeAnalysis;

namespace ReviewBot.Analysis.Images;

/// <summary>
/// A parsed <c>FROM</c> image such as <c>docker.io/library/node:20-alpine@sha256:…</c>, normalised so that
/// the same image always compares equal: Docker Hub has a null <see cref="Registry"/> and official images have
/// no <c>library/</c> prefix; registry and repository are lower-case. The tag keeps its case (tags are case-sensitive).
/// </summary>
public sealed record ImageReference
{
    /// <summary>Docker Hub's host names; an image on any of them is written without a registry.</summary>
    private static readonly string[] DockerHubHosts = ["docker.io", "index.docker.io", "registry-1.docker.io"];

    private const string OfficialNamespace = "library/";

    /// <summary>How Docker writes Docker Hub in a fully qualified name (<c>docker.io/library/alpine</c>).</summary>
    public const string DockerHubHost = "docker.io";

    /// <summary>Longest tag the distribution spec allows: <c>[A-Za-z0-9_][A-Za-z0-9._-]{0,127}</c>.</summary>
    private const int MaxTagLength = 128;

    /// <summary>Docker refuses a name (registry and repository) longer than 255 characters ("repository name must not be more than 255 characters").</summary>
    private const int MaxNameLength = 255;

    private ImageReference(string? registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry host (with port), lower-case; null for Docker Hub.</summary>
    public string? Registry { get; }

    /// <summary>Repository path, lower-case, without <c>library/</c> for Docker Hub official images.</summary>
    public string Repository { get; }

    /// <summary>The tag as written, or null when absent (Docker then pulls <c>latest</c> unless a digest is given).</summary>
    public string? Tag { get; }

    /// <summary>The digest (<c>sha256:…</c>) as written, or null.</summary>
    public string? Digest { get; }

    /// <summary>Registry and repository together, e.g. <c>mcr.microsoft.com/dotnet/aspnet</c> or <c>node</c>.</summary>
    public string FullName => Registry is null ? Repository : $"{Registry}/{Repository}";

    /// <summary>True for the empty base <c>scratch</c>.</summary>

    /// <inheritdoc />
    public override string ToString()
        => FullName + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>Parses <paramref name="text"/>; never throws.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageReference? image)
        => TryParse(text, out image, out _);

    /// <summary>Parses <paramref name="text"/> and says why it failed; never throws.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageReference? image, out ImageReferenceError error)
    {
        image = null;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            error = ImageReferenceError.Empty;
            return false;
        }

        if (value.Contains('$'))
        {
            error = ImageReferenceError.Unresolved;
            return false;
        }

        error = ImageReferenceError.Invalid;
        string? digest = null;
        var at = value.IndexOf('@');
        if (at >= 0)
        {
            digest = value[(at + 1)..];
            value = value[..at];
            if (!IsDigest(digest))
            {
                return false;
            }
        }

        string? tag = null;
        var lastSlash = value.LastIndexOf('/');
        var colon = value.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = value[(colon + 1)..];
            value = value[..colon];
            if (!IsTag(tag))
            {
                return false;
            }
        }

        string? registry = null;
        var firstSlash = value.IndexOf('/');
        if (firstSlash > 0 && IsRegistryHost(value.AsSpan(0, firstSlash)))
        {
            registry = value[..firstSlash].ToLowerInvariant();
            value = value[(firstSlash + 1)..];
            if (!IsHost(registry))
            {
                return false;
            }
        }

        var repository = value.ToLowerInvariant();
        if (repository.Length + (registry?.Length + 1 ?? 0) > MaxNameLength || !IsRepositoryPath(repository))
        {
            return false;
        }

        if (registry is not null && Array.IndexOf(DockerHubHosts, registry) >= 0)
        {
            registry = null;
        }

        if (registry is null && repository.StartsWith(OfficialNamespace, StringComparison.Ordinal)
            && repository.IndexOf('/', OfficialNamespace.Length) < 0)
        {
            repository = repository[OfficialNamespace.Length..];
        }

        image = new ImageReference(registry, repository, tag, digest);
        error = ImageReferenceError.None;
        return true;
    }

    /// <summary>
    /// Docker's rule: the first path component is a registry when it contains a dot or a colon
    /// (a port), or is <c>localhost</c>; otherwise it is a Docker Hub namespace.
    /// </summary>
    private static bool IsRegistryHost(ReadOnlySpan<char> component)
        => component.Contains('.') || component.Contains(':') || component.Equals("localhost", StringComparison.OrdinalIgnoreCase);

    private static bool IsHost(string host)
    {
        var colon = host.LastIndexOf(':');
        var name = colon >= 0 ? host.AsSpan(0, colon) : host.AsSpan();
        if (colon >= 0)
        {
            var port = host.AsSpan(colon + 1);
            if (port.IsEmpty || port.Length > 5)
            {
                return false;
            }

            foreach (var c in port)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }
        }

        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-'))
            {
                return false;
            }
        }

        return name[0] is not ('.' or '-') && name[^1] is not ('.' or '-');
    }

    /// <summary>Path components: <c>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*</c> joined by slashes.</summary>
    private static bool IsRepositoryPath(string path)
    {
        if (path.Length == 0)
        {
            return false;
        }

        foreach (var range in path.AsSpan().Split('/'))
        {
            var component = path.AsSpan(range);
            if (component.IsEmpty || !char.IsAsciiLetterOrDigit(component[0]) || !char.IsAsciiLetterOrDigit(component[^1]))
            {
                return false;
            }

            for (var i = 0; i < component.Length; i++)
            {
                var c = component[i];
                if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
                {
                    continue;
                }

                if (c is '.' && char.IsAsciiLetterOrDigit(component[i + 1]))
                {
                    continue;
                }

                if (c is '_' && (char.IsAsciiLetterOrDigit(component[i + 1]) || (component[i + 1] == '_' && char.IsAsciiLetterOrDigit(component[i + 2]))))
                {
                    if (component[i + 1] == '_')
                    {
                        i++;
                    }

                    continue;
                }

                return false;
            }
        }

        return true;
    }

    private static bool IsTag(string tag)
    {
        if (tag.Length is 0 or > MaxTagLength || !(char.IsAsciiLetterOrDigit(tag[0]) || tag[0] == '_'))
        {
            return false;
        }

        foreach (var c in tag)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>algorithm:encoded</c>, e.g. <c>sha256:</c> followed by at least 32 hex digits.</summary>
    private static bool IsDigest(string digest)
    {
        var colon = digest.IndexOf(':');
        if (colon <= 0 || digest.Length - colon - 1 < 32)
        {
            return false;
        }

        foreach (var c in digest.AsSpan(0, colon))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '.' or '_' or '-'))
            {
                return false;
            }
        }

        foreach (var c in digest.AsSpan(colon + 1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('=' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
