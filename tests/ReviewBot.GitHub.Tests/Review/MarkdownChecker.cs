using System.Text;
using System.Text.RegularExpressions;

namespace ReviewBot.GitHub.Tests.Review;

/// <summary>
/// Reads markdown the way GitHub does, as far as safety goes: fenced blocks, GFM table cells (split at unescaped
/// pipes, then <c>\|</c> unescaped) and CommonMark code spans. What is left is the prose, where a mention,
/// link, image or HTML would render; <see cref="AssertSafe"/> checks that it holds none beyond our own.
/// </summary>
internal static partial class MarkdownChecker
{
    public sealed record Parts(string Prose, List<string> Spans, List<string> Fences);

    public static Parts Parse(string markdown)
    {
        var prose = new StringBuilder();
        var spans = new List<string>();
        var fences = new List<string>();
        var lines = markdown.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var open = FenceOpen().Match(lines[i]);
            if (open.Success && !(open.Groups[1].Value[0] == '`' && open.Groups[2].Value.Contains('`', StringComparison.Ordinal)))
            {
                var fence = open.Groups[1].Value;
                var content = new StringBuilder();
                int j = i + 1;
                for (; j < lines.Length; j++)
                {
                    var close = lines[j].TrimStart(' ');
                    if (lines[j].Length - close.Length <= 3 && close.TrimEnd().Length >= fence.Length && close.TrimEnd().All(c => c == fence[0]))
                    {
                        break;
                    }

                    content.Append(lines[j]).Append('\n');
                }

                fences.Add(content.ToString());
                i = j; // an unclosed fence runs to the end, as in CommonMark
                continue;
            }

            if (lines[i].StartsWith('|'))
            {
                foreach (var cell in Cells(lines[i]))
                {
                    Inline(cell.Replace("\\|", "|", StringComparison.Ordinal), prose, spans);
                    prose.Append(" | ");
                }
            }
            else
            {
                Inline(lines[i], prose, spans);
            }

            prose.Append('\n');
        }

        return new Parts(prose.ToString(), spans, fences);
    }

    /// <summary>
    /// Fails when the prose of <paramref name="markdown"/> holds anything that renders from input: a mention,
    /// a link or autolink, an image, HTML or a comment. Ours are allowed: the rule doc links, &lt;sub&gt;, our &lt;details&gt; fold, and the
    /// fingerprint marker lines at the end.
    /// </summary>
    public static Parts AssertSafe(string markdown)
    {
        var parts = Parse(markdown);
        var prose = OwnMarker().Replace(parts.Prose, "");
        prose = OwnDocLink().Replace(prose, "]");
        prose = prose.Replace("<sub>", "", StringComparison.Ordinal).Replace("</sub>", "", StringComparison.Ordinal);
        prose = prose.Replace(OwnDetails, "", StringComparison.Ordinal).Replace("</details>", "", StringComparison.Ordinal);
        prose = BlockQuote().Replace(prose, "");
        prose = OwnHeading().Replace(prose, "").Replace("[!WARNING]", "", StringComparison.Ordinal);
        foreach (var bad in new[] { "@", "<", ">", "](", "![", "http", "www.", "`", "&", "\\", "#", "GH-" })
        {
            Assert.False(prose.Contains(bad, StringComparison.OrdinalIgnoreCase), $"prose holds '{bad}':\n{prose}");
        }

        return parts;
    }

    /// <summary>Our fold around each comment's why.</summary>
    private const string OwnDetails = "<details><summary>Why this matters, and how to silence it</summary>";

    private static IEnumerable<string> Cells(string row)
    {
        var cell = new StringBuilder();
        for (int i = 1; i < row.Length; i++)
        {
            if (row[i] == '\\' && i + 1 < row.Length)
            {
                cell.Append(row, i, 2);
                i++;
            }
            else if (row[i] == '|')
            {
                yield return cell.ToString();
                cell.Clear();
            }
            else
            {
                cell.Append(row[i]);
            }
        }

        if (cell.Length > 0)
        {
            yield return cell.ToString();
        }
    }

    /// <summary>CommonMark code spans on one line: a backtick run opens, the next run of the same length closes.</summary>
    private static void Inline(string text, StringBuilder prose, List<string> spans)
    {
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] != '`')
            {
                prose.Append(text[i++]);
                continue;
            }

            int run = Run(text, i);
            int close = i + run;
            while (close < text.Length && !(text[close] == '`' && Run(text, close) == run && (close == 0 || text[close - 1] != '`')))
            {
                close += text[close] == '`' ? Run(text, close) : 1;
            }

            if (close >= text.Length)
            {
                prose.Append(text, i, run); // no closer: literal backticks, in the prose
                i += run;
                continue;
            }

            var content = text[(i + run)..close];
            if (content.Length >= 2 && content[0] == ' ' && content[^1] == ' ' && content.Any(c => c != ' '))
            {
                content = content[1..^1];
            }

            spans.Add(content);
            i = close + run;
        }
    }

    private static int Run(string text, int i)
    {
        int end = i;
        while (end < text.Length && text[end] == '`')
        {
            end++;
        }

        return end - i;
    }

    [GeneratedRegex(@"^ {0,3}(`{3,}|~{3,})(.*)$")]
    private static partial Regex FenceOpen();

    [GeneratedRegex(@"^<!-- reviewbot:fp=[0-9a-f]{20} -->$", RegexOptions.Multiline)]
    private static partial Regex OwnMarker();

    [GeneratedRegex(@"\]\(https://github\.com/reviewbot/reviewbot/blob/main/docs/rules/RB\d{3}\.md\)")]
    private static partial Regex OwnDocLink();

    [GeneratedRegex(@"^> ", RegexOptions.Multiline)]
    private static partial Regex BlockQuote();

    /// <summary>Our headings: a few plain words, nothing quoted from the input.</summary>
    [GeneratedRegex(@"^#{2,3} [A-Za-z ]+$", RegexOptions.Multiline)]
    private static partial Regex OwnHeading();
}
