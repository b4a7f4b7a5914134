using System.Buffers;
using System.Globalization;
using System.Text;

namespace ReviewBot.GitHub.Review;

/// <summary>
/// Puts text we did not write (Dockerfile text, paths, finding messages that quote it, config notes) into
/// GitHub markdown as data: inside code spans, where no mention, link, image, emphasis or HTML is rendered.
/// Lengths are UTF-16 code units, as GitHub counts characters, and nothing is cut inside a surrogate pair.
/// </summary>
public static class Markdown
{
    /// <summary>What a finding message or note may take in prose before it is cut; a 70 KB USER line is quoted in part.</summary>
    public const int MaxProseLength = 1000;

    /// <summary>
    /// One line of text: line breaks, control characters and bidirectional overrides become spaces (a code
    /// span cannot hold a line break, and a bidi override would make the shown text lie), and an unpaired
    /// surrogate becomes U+FFFD (JSON cannot carry it).
    /// </summary>
    public static string Flat(string text)
    {
        StringBuilder? flat = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            char replacement = c;
            if (char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069')
            {
                replacement = ' ';
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                flat?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            else if (char.IsSurrogate(c))
            {
                replacement = '\uFFFD';
            }

            if (replacement != c && flat is null)
            {
                flat = new StringBuilder(text.Length).Append(text, 0, i);
            }

            flat?.Append(replacement);
        }

        return flat?.ToString() ?? text;
    }

    /// <summary>
    /// A code span showing <paramref name="text"/> literally (on one line): delimited by a backtick run longer
    /// than any inside, and padded with a space where CommonMark would otherwise eat a backtick or a space.
    /// </summary>
    public static string CodeSpan(string text) => Span(Flat(text), inTable: false);

    /// <summary>
    /// A code span for a GFM table cell: GitHub splits cells at a <c>|</c> even inside a code span, so each is
    /// written <c>\|</c>, and a backslash run right before one is doubled so the escape is not itself escaped.
    /// (Such a run then shows doubled: there is no exact spelling of <c>\|</c> in a table cell.)
    /// </summary>
    public static string TableCodeSpan(string text) => Span(Flat(text), inTable: true);

    private static string Span(string text, bool inTable)
    {
        if (text.Length == 0)
        {
            return "` `";
        }

        var fence = new string('`', LongestRun(text, '`') + 1);
        bool pad = text[0] == '`' || text[^1] == '`' || (text[0] == ' ' && text[^1] == ' ' && text.AsSpan().ContainsAnyExcept(' '));
        var span = new StringBuilder(text.Length + (2 * fence.Length) + 2).Append(fence);
        if (pad)
        {
            span.Append(' ');
        }

        if (inTable)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '|')
                {
                    span.Append("\\|");
                }
                else if (text[i] == '\\' && BackslashRunEndsInPipe(text, i))
                {
                    span.Append("\\\\");
                }
                else
                {
                    span.Append(text[i]);
                }
            }
        }
        else
        {
            span.Append(text);
        }

        if (pad)
        {
            span.Append(' ');
        }

        return span.Append(fence).ToString();
    }

    private static bool BackslashRunEndsInPipe(string text, int i)
    {
        while (i < text.Length && text[i] == '\\')
        {
            i++;
        }

        return i < text.Length && text[i] == '|';
    }

    /// <summary>
    /// A message that quotes user text, as readable prose that renders nothing from it: words made only of
    /// letters, digits and sentence punctuation stay plain; any other word (one with <c>@</c>, <c>/</c>,
    /// <c>&lt;</c>, <c>[</c>, <c>*</c>, <c>_</c>, <c>$</c>, <c>#</c>, a backtick, a <c>www.</c> autolink …) and every
    /// backtick-quoted part becomes a code span of its own. Cut to <paramref name="maxLength"/> characters first.
    /// </summary>
    public static string Prose(string text, int maxLength = MaxProseLength) => Prose(text, maxLength, inTable: false);

    /// <summary><see cref="Prose(string, int)"/> for a GFM table cell: its code spans escape <c>|</c> as <see cref="TableCodeSpan"/> does.</summary>
    public static string TableProse(string text, int maxLength = MaxProseLength) => Prose(text, maxLength, inTable: true);

    private static string Prose(string text, int maxLength, bool inTable)
    {
        var flat = Truncate(Flat(text), maxLength);
        var result = new StringBuilder(flat.Length + 16);
        int textStart = 0, i = 0;
        while (i < flat.Length)
        {
            if (flat[i] != '`')
            {
                i++;
                continue;
            }

            int open = Analysis.Wording.Run(flat, i);
            int close = Analysis.Wording.Closing(flat, i + open, open);
            if (close < 0)
            {
                i += open; // an unmatched run is literal text, and the word holding it becomes a code span
                continue;
            }

            ProseWords(flat[textStart..i], result, inTable);
            result.Append(Span(StripOneSpace(flat[(i + open)..close]), inTable));
            i = textStart = close + open;
        }

        ProseWords(flat[textStart..], result, inTable);
        return result.ToString();
    }

    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="max"/> UTF-16 characters, ending in "…" when cut,
    /// never between the two halves of a surrogate pair.
    /// </summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        int keep = Math.Max(0, max - 1);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return text[..keep] + "…";
    }

    /// <summary>
    /// Markdown cut to at most <paramref name="max"/> characters at a line end, so no code span or link of ours is
    /// cut open (our spans never hold a line break); a fence cut open is closed, so the rest is not read as code
    /// and the text after it as prose.
    /// </summary>
    public static string TruncateLines(string markdown, int max)
    {
        const string Cut = "…\n";
        if (markdown.Length <= max)
        {
            return markdown;
        }

        // Room for the cut mark and for closing the longest fence the text could have open.
        int room = Cut.Length + 1 + LongestRun(markdown, '`') + LongestRun(markdown, '~');
        int end = Math.Max(0, markdown.LastIndexOf('\n', Math.Max(0, max - room - 1)) + 1);
        var kept = markdown[..end];
        string? open = null;
        foreach (var line in kept.Split('\n'))
        {
            var trimmed = line.TrimStart(' ');
            if (line.Length - trimmed.Length > 3 || trimmed.Length < 3 || trimmed[0] is not ('`' or '~'))
            {
                continue;
            }

            int run = 0;
            while (run < trimmed.Length && trimmed[run] == trimmed[0])
            {
                run++;
            }

            if (open is null && run >= 3)
            {
                open = trimmed[..run];
            }
            else if (open is not null && trimmed[0] == open[0] && run >= open.Length && trimmed[run..].Trim().Length == 0)
            {
                open = null;
            }
        }

        return open is null ? kept + Cut : kept + open + "\n" + Cut;
    }

    private static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var x in text)
        {
            run = x == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    /// <summary>A count as GitHub users read it: 2,950.</summary>
    public static string Count(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Counts per rule, most first: <c>RB005 × 2,950, RB003 × 12</c>.</summary>
    public static string Tally(IEnumerable<string> ruleIds) => Tally(ruleIds.Select(id => (id, 1)));

    /// <inheritdoc cref="Tally(IEnumerable{string})"/>
    public static string Tally(IEnumerable<(string RuleId, int Count)> counts) => string.Join(", ", counts
        .GroupBy(c => c.RuleId, StringComparer.Ordinal)
        .Select(g => (RuleId: g.Key, Count: g.Sum(c => c.Count)))
        .OrderByDescending(g => g.Count).ThenBy(g => g.RuleId, StringComparer.Ordinal)
        .Select(g => $"{Word(g.RuleId)} × {Count(g.Count)}"));

    /// <summary>A single word of ours or theirs: plain when it can render nothing, else a code span.</summary>
    public static string Word(string word) => word.Length > 0 && IsPlain(word) ? word : CodeSpan(word);

    private static void ProseWords(string text, StringBuilder result, bool inTable)
    {
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                result.Append(' ');
                i++;
                continue;
            }

            int end = text.IndexOf(' ', i);
            end = end < 0 ? text.Length : end;
            ProseWord(text[i..end], result, inTable);
            i = end;
        }
    }

    /// <summary>A word: opening and closing sentence punctuation stay outside, the rest is plain only when it can render nothing.</summary>
    private static void ProseWord(string word, StringBuilder result, bool inTable)
    {
        int start = 0, end = word.Length;
        while (start < end && "(\"'".Contains(word[start], StringComparison.Ordinal))
        {
            start++;
        }

        while (end > start && ".,;:!?)\"'".Contains(word[end - 1], StringComparison.Ordinal))
        {
            end--;
        }

        var core = word[start..end];
        result.Append(word, 0, start);
        result.Append(IsPlain(core) ? core : Span(core, inTable));
        result.Append(word, end, word.Length - end);
    }

    /// <summary>
    /// Letters, digits and punctuation that GitHub markdown gives no meaning inside a word. <c>www.</c> is
    /// excluded because GFM links it without a scheme; mentions, URLs and e-mail links need <c>@</c> or <c>/</c>,
    /// issue references <c>#</c> or <c>GH-</c>.
    /// </summary>
    private static bool IsPlain(string word) =>
        !word.AsSpan().ContainsAnyExcept(PlainCharacters)
        && !word.Contains("www.", StringComparison.OrdinalIgnoreCase)
        && !word.Contains("GH-", StringComparison.OrdinalIgnoreCase); // GitHub links GH-123 to issue 123 and marks it mentioned

    private static readonly SearchValues<char> PlainCharacters = SearchValues.Create(
        [.. Enumerable.Range(0, char.MaxValue + 1).Select(i => (char)i).Where(c => char.IsLetterOrDigit(c) || ".,;:!?'\"()-+=%{}…".Contains(c, StringComparison.Ordinal))]);

    /// <summary>CommonMark strips one space from both ends of a code span's content when both have one.</summary>
    private static string StripOneSpace(string content) =>
        content.Length >= 2 && content[0] == ' ' && content[^1] == ' ' && content.AsSpan().ContainsAnyExcept(' ') ? content[1..^1] : content;
}
