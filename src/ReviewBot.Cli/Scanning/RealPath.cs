namespace ReviewBot.Cli.Scanning;

/// <summary>
/// A path with every symbolic link (and Windows junction) in it resolved, component by component, as realpath(3)
/// does: a link's target replaces the link, and a <c>..</c> after it climbs from where the link leads, not from where
/// it sits. .NET has no realpath: <see cref="FileSystemInfo.ResolveLinkTarget"/> resolves the last component only, so
/// <c>tree/Dockerfile -> a/target.txt</c> with <c>tree/a -> ../outside</c> looked like a file inside the tree.
/// Components that do not exist are kept as written.
/// </summary>
public static class RealPath
{
    /// <summary>Links followed in one resolution before it is called a loop: Linux's MAXSYMLINKS (ELOOP past it).</summary>
    private const int MaxLinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    public static string Resolve(string path)
    {
        // Not Path.GetFullPath: it removes "a/.." as text, where the kernel climbs from wherever the link a leads.
        var full = Path.IsPathFullyQualified(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        Push(pending, full[current.Length..]);
        int links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"{path}: too many levels of symbolic links");
            }

            // The target is read from where the link sits, or from its own root when it is absolute.
            // Not normalized first: a ".." in it climbs from the link it follows, as the kernel reads it.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
                target = target[current.Length..];
            }

            Push(pending, target);
        }

        return current;
    }

    /// <summary>Whether <paramref name="path"/> lies under the folder <paramref name="root"/> (both real paths).</summary>
    public static bool IsInside(string path, string root)
    {
        var folder = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        return path.StartsWith(folder, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    /// <summary>Pushes the components of a relative path so the first is popped first.</summary>
    private static void Push(Stack<string> pending, string relative)
    {
        var parts = relative.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }
}
