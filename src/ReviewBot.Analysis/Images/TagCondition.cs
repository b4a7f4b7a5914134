using System.Globalization;

namespace ReviewBot.Analysis.Images;

/// <summary>
/// One alternative of an entry's <c>tags</c> list: space-separated terms that must all hold. A term is a glob
/// over the tag (<c>*alpine*</c>, <c>latest</c>) or a comparison of the tag's leading version number
/// (<c>&gt;=24.04</c>, <c>&lt;8</c>; <c>8.0.30-alpine</c> has version 8.0.30, <c>latest</c> has none and fails every comparison).
/// </summary>
internal sealed class TagCondition
{
    private readonly string[] _globs;
    private readonly (string Op, int[] Version)[] _comparisons;

    /// <summary>A condition already parsed: <see cref="TryParse"/> makes them, and the built-in catalog has them compiled in.</summary>
    internal TagCondition(string text, string[] globs, (string Op, int[] Version)[] comparisons)
    {
        Text = text;
        _globs = globs;
        _comparisons = comparisons;
    }

    public string Text { get; }

    /// <summary>The glob terms, in order (for the catalog's generator).</summary>
    internal ReadOnlySpan<string> Globs => _globs;

    /// <summary>The version comparisons, in order (for the catalog's generator).</summary>
    internal ReadOnlySpan<(string Op, int[] Version)> Comparisons => _comparisons;

    public static TagCondition? TryParse(string text)
    {
        var globs = new List<string>();
        var comparisons = new List<(string, int[])>();
        foreach (var term in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var op = term.StartsWith(">=", StringComparison.Ordinal) || term.StartsWith("<=", StringComparison.Ordinal) ? term[..2]
                : term[0] is '>' or '<' or '=' ? term[..1]
                : null;
            if (op is null)
            {
                globs.Add(term);
                continue;
            }

            var version = LeadingVersion(term.AsSpan(op.Length), out var consumed);
            if (version is null || consumed != term.Length - op.Length)
            {
                return null;
            }

            comparisons.Add((op, version));
        }

        return globs.Count + comparisons.Count == 0 ? null : new TagCondition(text, [.. globs], [.. comparisons]);
    }

    public bool IsMatch(string tag)
    {
        foreach (var glob in _globs)
        {
            if (!Glob.IsMatch(glob, tag))
            {
                return false;
            }
        }

        if (_comparisons.Length == 0)
        {
            return true;
        }

        var version = LeadingVersion(tag, out _);
        if (version is null)
        {
            return false;
        }

        foreach (var (op, bound) in _comparisons)
        {
            var order = Compare(version, bound);
            var holds = op switch
            {
                ">=" => order >= 0,
                "<=" => order <= 0,
                ">" => order > 0,
                "<" => order < 0,
                _ => order == 0,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The dotted number at the start of <paramref name="text"/> (<c>24.04</c> → [24, 4]), or null.</summary>
    private static int[]? LeadingVersion(ReadOnlySpan<char> text, out int consumed)
    {
        var parts = new List<int>();
        consumed = 0;
        while (true)
        {
            var start = consumed;
            while (consumed < text.Length && char.IsAsciiDigit(text[consumed]))
            {
                consumed++;
            }

            if (consumed == start || !int.TryParse(text[start..consumed], NumberStyles.None, CultureInfo.InvariantCulture, out var part))
            {
                if (parts.Count > 0 && consumed == start)
                {
                    consumed--; // give back the dot that no digit followed
                }

                break;
            }

            parts.Add(part);
            if (consumed < text.Length && text[consumed] == '.')
            {
                consumed++;
            }
            else
            {
                break;
            }
        }

        return parts.Count == 0 ? null : [.. parts];
    }

    private static int Compare(int[] left, int[] right)
    {
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var a = i < left.Length ? left[i] : 0;
            var b = i < right.Length ? right[i] : 0;
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        return 0;
    }
}
