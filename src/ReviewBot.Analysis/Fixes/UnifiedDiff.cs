using System.Text;
using ReviewBot.Analysis;

namespace ReviewBot.Analysis.Fixes;

/// <summary>Renders line edits against an original text as a unified diff (what <c>git diff</c> prints).</summary>
public static class UnifiedDiff
{
    private const int ContextLines = 3;

    /// <summary>One line of a diff: ' ' context, '-' removed, '+' added, '@' a hunk header, 'h' a file header.</summary>
    public readonly record struct DiffLine(char Kind, string Text);

    public static List<DiffLine> Create(string path, string originalText, IReadOnlyList<TextEdit> edits) =>
        Create(path, Lines(originalText), edits);

    /// <summary>The text's lines without terminators, for <see cref="Create(string, IReadOnlyList{string}, IReadOnlyList{TextEdit})"/>: split once, diff many.</summary>
    public static List<string> Lines(string text) => [.. LineTable.Split(text).Select(TrimNewLine)];

    /// <summary>The diff of <paramref name="edits"/> against the original's lines (without terminators).</summary>
    public static List<DiffLine> Create(string path, IReadOnlyList<string> lines, IReadOnlyList<TextEdit> edits)
    {
        var ordered = edits.OrderBy(e => e.StartLine).ThenBy(e => e.IsInsertion ? 0 : 1).ToList();
        var output = new List<DiffLine> { new('h', $"--- a/{path}"), new('h', $"+++ b/{path}") };

        int delta = 0; // new line number minus old line number before the current hunk
        for (int first = 0; first < ordered.Count;)
        {
            // Edits whose context windows touch go into one hunk.
            int last = first;
            while (last + 1 < ordered.Count && ordered[last + 1].StartLine - ContextLines <= ordered[last].EndLine + ContextLines + 1)
            {
                last++;
            }

            int from = Math.Max(1, ordered[first].StartLine - ContextLines);
            int to = Math.Min(lines.Count, Math.Max(ordered[last].EndLine, ordered[last].StartLine - 1) + ContextLines);
            var body = new List<DiffLine>();
            int oldCount = 0, newCount = 0, line = from;
            for (int i = first; i <= last; i++)
            {
                var edit = ordered[i];
                for (; line < edit.StartLine; line++)
                {
                    body.Add(new(' ', lines[line - 1]));
                    oldCount++;
                    newCount++;
                }

                for (int removed = edit.StartLine; removed <= edit.EndLine; removed++)
                {
                    body.Add(new('-', lines[removed - 1]));
                    oldCount++;
                }

                foreach (var added in LineTable.Split(edit.NewText))
                {
                    body.Add(new('+', TrimNewLine(added)));
                    newCount++;
                }

                line = Math.Max(line, edit.EndLine + 1);
            }

            for (; line <= to; line++)
            {
                body.Add(new(' ', lines[line - 1]));
                oldCount++;
                newCount++;
            }

            // An empty side starts at the line before it (diff's convention for "after line N").
            int oldStart = oldCount == 0 ? from - 1 : from;
            int newStart = newCount == 0 ? from + delta - 1 : from + delta;
            output.Add(new('@', $"@@ -{Range(oldStart, oldCount)} +{Range(newStart, newCount)} @@"));
            output.AddRange(RemovalsFirst(body));
            delta += newCount - oldCount;
            first = last + 1;
        }

        return output;
    }

    /// <summary>
    /// Each run of changed lines with its removals before its additions, as diff prints them (an insertion before a
    /// replaced line otherwise shows its new lines above the line it replaces).
    /// </summary>
    private static List<DiffLine> RemovalsFirst(List<DiffLine> body)
    {
        var result = new List<DiffLine>(body.Count);
        for (int i = 0; i < body.Count;)
        {
            if (body[i].Kind == ' ')
            {
                result.Add(body[i++]);
                continue;
            }

            int end = i;
            while (end < body.Count && body[end].Kind != ' ')
            {
                end++;
            }

            var run = body.GetRange(i, end - i);
            result.AddRange(run.Where(l => l.Kind == '-'));
            result.AddRange(run.Where(l => l.Kind != '-'));
            i = end;
        }

        return result;
    }

    public static string ToText(IEnumerable<DiffLine> diff)
    {
        var builder = new StringBuilder();
        foreach (var line in diff)
        {
            builder.Append(line.Kind is ' ' or '-' or '+' ? line.Kind + line.Text : line.Text).Append('\n');
        }

        return builder.ToString();
    }

    private static string Range(int start, int count) => count == 1 ? $"{start}" : $"{start},{count}";

    private static string TrimNewLine(string line) => line.TrimEnd('\r', '\n');
}
