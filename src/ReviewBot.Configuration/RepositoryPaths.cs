namespace ReviewBot.Configuration;

/// <summary>Paths inside a repository, / separated, relative to its root, as git and GitHub write them.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder of <paramref name="path"/> ("" at the root).</summary>
    public static string Folder(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    /// <summary>
    /// <paramref name="relative"/> (a symbolic link's target, a compose file's <c>build.dockerfile</c>) read from
    /// <paramref name="folder"/>, with <c>.</c> and <c>..</c> worked out; null when it is absolute, empty, or climbs
    /// above the repository's root: what it names is outside what was reviewed.
    /// </summary>
    public static string? Resolve(string folder, string relative) =>
        ResolveFolder(folder, relative) is { Length: > 0 } path ? path : null;

    /// <summary>As <see cref="Resolve"/>, for a folder: "" is the root itself.</summary>
    public static string? ResolveFolder(string folder, string relative)
    {
        if (relative.Length == 0 || relative[0] == '/' || relative.Contains('\0') || (relative.Length >= 2 && relative[1] == ':' && char.IsAsciiLetter(relative[0])))
        {
            return null;
        }

        var segments = new List<string>();
        foreach (var segment in (folder.Length == 0 ? relative : folder + "/" + relative).Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return string.Join('/', segments);
    }
}
