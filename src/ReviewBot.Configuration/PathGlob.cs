using System.Text;
using System.Text.RegularExpressions;

namespace ReviewBot.Configuration;

/// <summary>
/// A path glob anchored at the repository root: <c>*</c> matches within one path segment, <c>?</c> one
/// character other than /, <c>**</c> any number of whole segments (<c>vendor/**</c>, <c>**/ci/*.docker</c>).
/// Everything else matches itself. Matching is ordinal and case-sensitive, like Git paths.
/// </summary>
public sealed class PathGlob
{
    private readonly Regex _regex;

    private PathGlob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    public string Pattern { get; }

    /// <summary>Compiles <paramref name="pattern"/>; returns null with a reason when it cannot match any path.</summary>
    public static PathGlob? TryCreate(string pattern, out string? error)
    {
        var normalized = Normalize(pattern.Trim());
        if (normalized.Length == 0)
        {
            error = "an empty glob matches nothing";
            return null;
        }

        error = null;
        // NonBacktracking: globs come from repositories we do not control, so matching must stay linear.
        return new PathGlob(pattern, new Regex(ToRegex(normalized), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
    }

    public bool IsMatch(string path) => _regex.IsMatch(Normalize(path));

    public override string ToString() => Pattern;

    /// <summary>/ separators, no leading ./ or /.</summary>
    internal static string Normalize(string path)
    {
        var result = path.Replace('\\', '/');
        while (result.StartsWith("./", StringComparison.Ordinal))
        {
            result = result[2..];
        }

        return result.TrimStart('/');
    }

    private static string ToRegex(string glob)
    {
        var builder = new StringBuilder("^");
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                bool segmentStart = i == 0 || glob[i - 1] == '/';
                int end = i + 2;
                while (end < glob.Length && glob[end] == '*')
                {
                    end++;
                }

                if (segmentStart && end < glob.Length && glob[end] == '/')
                {
                    builder.Append("(?:[^/]*/)*"); // "**/": zero or more whole segments
                    i = end;
                }
                else if (segmentStart && end == glob.Length)
                {
                    builder.Append(".*"); // trailing "**": everything below
                    i = end - 1;
                }
                else
                {
                    builder.Append("[^/]*"); // "**" inside a segment acts like "*"
                    i = end - 1;
                }
            }
            else if (c == '*')
            {
                builder.Append("[^/]*");
            }
            else if (c == '?')
            {
                builder.Append("[^/]");
            }
            else
            {
                builder.Append(Regex.Escape(c.ToString()));
            }
        }

        return builder.Append('$').ToString();
    }
}
