using System.Collections.Immutable;
using System.Text;

namespace ReviewBot.Analysis.Fixes;

/// <summary>Applies line edits against an original text.</summary>
public static class FixApplier
{
    /// <summary>
    /// Orders the edits of several fixes and drops any edit that overlaps one already taken,
    /// so the result can always be applied. Fixes are taken in the order given.
    /// </summary>
    public static ImmutableArray<TextEdit> Combine(IEnumerable<Fix> fixes)
    {
        var taken = new List<TextEdit>();
        foreach (var fix in fixes)
        {
            // A fix is all or nothing: half a fix can leave a broken image.
            if (fix.Edits.All(edit => !taken.Any(t => Overlaps(t, edit))) && !SelfOverlapping(fix.Edits))
            {
                taken.AddRange(fix.Edits);
            }
        }

        return Order(taken);
    }

    /// <summary>Applies non-overlapping edits; throws <see cref="ArgumentException"/> when two overlap.</summary>
    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        var ordered = Order(edits);
        if (SelfOverlapping(ordered))
        {
            throw new ArgumentException("Edits overlap.", nameof(edits));
        }

        var lines = LineTable.Split(text);
        var builder = new StringBuilder(text.Length + 256);
        int next = 1; // next original line to copy
        foreach (var edit in ordered)
        {
            if (edit.StartLine < 1 || edit.EndLine > lines.Count || edit.StartLine > edit.EndLine + 1)
            {
                throw new ArgumentOutOfRangeException(nameof(edits), $"Edit {edit.StartLine}..{edit.EndLine} is outside 1..{lines.Count}.");
            }

            for (; next < edit.StartLine; next++)
            {
                builder.Append(lines[next - 1]);
            }

            if (edit.NewText.Length > 0 && builder.Length > 0 && !EndsWithNewLine(builder))
            {
                // Inserting after a last line that had no line ending.
                builder.Append(LineTable.DetectNewLine(text));
            }

            builder.Append(edit.NewText);
            next = Math.Max(next, edit.EndLine + 1);
        }

        for (; next <= lines.Count; next++)
        {
            builder.Append(lines[next - 1]);
        }

        return builder.ToString();
    }

    private static bool EndsWithNewLine(StringBuilder builder) => builder[^1] is '\n' or '\r';

    private static ImmutableArray<TextEdit> Order(IEnumerable<TextEdit> edits) =>
        // Stable: insertions at the same point keep their given order; an insertion goes before a replacement starting there.
        [.. edits.Select((e, i) => (e, i)).OrderBy(x => x.e.StartLine).ThenBy(x => x.e.IsInsertion ? 0 : 1).ThenBy(x => x.i).Select(x => x.e)];

    private static bool SelfOverlapping(IReadOnlyList<TextEdit> edits)
    {
        for (int i = 0; i < edits.Count; i++)
        {
            for (int j = i + 1; j < edits.Count; j++)
            {
                if (Overlaps(edits[i], edits[j]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Two replacements overlap when they share a line; an insertion before line P overlaps a replacement of
    /// S..E when it would land inside it (S &lt; P &lt;= E). Insertions never overlap each other.
    /// </summary>
    private static bool Overlaps(TextEdit a, TextEdit b) => (a.IsInsertion, b.IsInsertion) switch
    {
        (true, true) => false,
        (true, false) => b.StartLine < a.StartLine && a.StartLine <= b.EndLine,
        (false, true) => a.StartLine < b.StartLine && b.StartLine <= a.EndLine,
        _ => a.StartLine <= b.EndLine && b.StartLine <= a.EndLine,
    };
}
