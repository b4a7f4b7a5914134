using System.Collections.Immutable;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Fixes;

/// <summary>
/// A text with every fix applied (<see cref="FixApplier.FixAll"/>): what the analysis found in it then, the edits made,
/// and the findings whose fixes were offered in a pass that changed the text.
/// </summary>
public sealed record FixedText(string Text, AnalysisResult Result, int EditCount, ImmutableArray<Finding> Fixed);

/// <summary>Applies line edits against an original text.</summary>
public static class FixApplier
{
    /// <summary>
    /// Fix passes per text: fixes that overlap one already applied are dropped by <see cref="Combine"/> and offered
    /// again by the next analysis. Bounded so two rules can never ping-pong forever.
    /// </summary>
    public const int MaxPasses = 3;

    /// <summary>
    /// Applies every fix <paramref name="result"/> (the analysis of <paramref name="text"/>) offers, then those the
    /// analysis of the fixed text offers, up to <see cref="MaxPasses"/> times: the one way `reviewbot scan --fix`
    /// and onboarding fix a file. <paramref name="analyze"/> analyzes a text as <paramref name="result"/> was.
    /// </summary>
    public static FixedText FixAll(string text, AnalysisResult result, Func<string, AnalysisResult> analyze)
    {
        var fixedText = text;
        int editCount = 0;
        var fixedFindings = ImmutableArray.CreateBuilder<Finding>();
        for (int pass = 0; pass < MaxPasses; pass++)
        {
            var withFix = result.Findings.Where(f => f.Fix is not null).ToList();
            var edits = Combine(withFix.Select(f => f.Fix!));
            if (edits.IsEmpty)
            {
                break;
            }

            var next = Apply(fixedText, edits);
            if (next == fixedText)
            {
                break;
            }

            fixedText = next;
            editCount += edits.Length;
            fixedFindings.AddRange(withFix);
            result = analyze(fixedText);
        }

        return new FixedText(fixedText, result, editCount, fixedFindings.ToImmutable());
    }

    /// <summary>
    /// Orders the edits of several fixes and drops any edit that overlaps one already taken,
    /// so the result can always be applied. Fixes are taken in the order given.
    /// </summary>
    public static ImmutableArray<TextEdit> Combine(IEnumerable<Fix> fixes)
    {
        var taken = new List<TextEdit>();
        var occupied = new Occupied();
        foreach (var fix in fixes)
        {
            // A fix is all or nothing: half a fix can leave a broken image.
            if (!SelfOverlapping(Order(fix.Edits)) && fix.Edits.All(edit => !occupied.Overlaps(edit)))
            {
                taken.AddRange(fix.Edits);
                foreach (var edit in fix.Edits)
                {
                    occupied.Add(edit);
                }
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

        var lines = LineIndex.Split(text, 0, out string newLine);
        int lineCount = lines.Count;
        foreach (var edit in ordered)
        {
            if (edit.StartLine < 1 || edit.EndLine > lineCount || edit.StartLine > edit.EndLine + 1)
            {
                throw new ArgumentOutOfRangeException(nameof(edits), $"Edit {edit.StartLine}..{edit.EndLine} is outside 1..{lineCount}.");
            }
        }

        // Measured, then written once into a string of that length: the text is copied once, where splitting it into
        // lines and building it up copied a 4 MiB file three times over.
        var measure = new Writer([], measureOnly: true);
        Write(text, lines, newLine, ordered, ref measure);
        return string.Create(measure.Length, (text, lines, newLine, ordered), static (destination, state) =>
        {
            var writer = new Writer(destination, measureOnly: false);
            Write(state.text, state.lines, state.newLine, state.ordered, ref writer);
        });
    }

    private static void Write(string text, LineIndex lines, string newLine, ImmutableArray<TextEdit> ordered, ref Writer writer)
    {
        int next = 1; // next original line to copy
        foreach (var edit in ordered)
        {
            if (next < edit.StartLine)
            {
                writer.Append(text.AsSpan(lines.Start(next - 1), lines.Start(edit.StartLine - 1) - lines.Start(next - 1)));
            }

            if (edit.NewText.Length > 0 && writer.Length > 0 && writer.Last is not ('\n' or '\r'))
            {
                // Inserting after a last line that had no line ending.
                writer.Append(newLine);
            }

            writer.Append(edit.NewText);
            next = Math.Max(next, edit.EndLine + 1);
        }

        if (next <= lines.Count)
        {
            writer.Append(text.AsSpan(lines.Start(next - 1)));
        }
    }

    /// <summary>Writes into a span, or only counts what it would write.</summary>
    private ref struct Writer(Span<char> destination, bool measureOnly)
    {
        private readonly Span<char> _destination = destination;

        public int Length { get; private set; }

        public char Last { get; private set; }

        public void Append(ReadOnlySpan<char> part)
        {
            if (part.IsEmpty)
            {
                return;
            }

            if (!measureOnly)
            {
                part.CopyTo(_destination[Length..]);
            }

            Length = checked(Length + part.Length);
            Last = part[^1];
        }
    }

    private static ImmutableArray<TextEdit> Order(IEnumerable<TextEdit> edits) =>
        // Stable: insertions at the same point keep their given order; an insertion goes before a replacement starting there.
        [.. edits.Select((e, i) => (e, i)).OrderBy(x => x.e.StartLine).ThenBy(x => x.e.IsInsertion ? 0 : 1).ThenBy(x => x.i).Select(x => x.e)];

    /// <summary>One sweep over edits in <see cref="Order"/>: each is checked against the replacements before it.</summary>
    private static bool SelfOverlapping(ImmutableArray<TextEdit> ordered)
    {
        int lastReplaced = int.MinValue; // the furthest line a replacement so far reaches
        foreach (var edit in ordered)
        {
            // Replacements so far start at or before this edit (before it, for an insertion), so one that
            // reaches this edit's start overlaps it, exactly as Overlaps says.
            if (lastReplaced >= edit.StartLine)
            {
                return true;
            }

            if (!edit.IsInsertion)
            {
                lastReplaced = Math.Max(lastReplaced, edit.EndLine);
            }
        }

        return false;
    }

    /// <summary>
    /// The edits taken so far, for overlap queries in O(log n): the replacements are disjoint (an overlapping one
    /// is never taken), so only the one starting last at or before a line can reach it. (Immutable sorted sets
    /// give that neighbour by index in O(log n); SortedSet's views count their range on creation.)
    /// </summary>
    private sealed class Occupied
    {
        private ImmutableSortedSet<(int Start, int End)> _replacements = [];
        private ImmutableSortedSet<int> _insertions = [];

        public void Add(TextEdit edit)
        {
            if (edit.IsInsertion)
            {
                _insertions = _insertions.Add(edit.StartLine);
            }
            else
            {
                _replacements = _replacements.Add((edit.StartLine, edit.EndLine));
            }
        }

        /// <summary>
        /// Two replacements overlap when they share a line; an insertion before line P overlaps a replacement of
        /// S..E when it would land inside it (S &lt; P &lt;= E). Insertions never overlap each other.
        /// </summary>
        public bool Overlaps(TextEdit edit)
        {
            if (edit.IsInsertion)
            {
                // Inside a replacement S..E when S < P <= E.
                return ReachesFrom(edit.StartLine - 1, edit.StartLine);
            }

            // Shares a line with a replacement, or an insertion lands inside it (S < P <= E).
            return ReachesFrom(edit.EndLine, edit.StartLine) || FirstInsertionAfter(edit.StartLine) <= edit.EndLine;
        }

        /// <summary>Whether the replacement starting last at or before <paramref name="start"/> reaches <paramref name="line"/>.</summary>
        private bool ReachesFrom(int start, int line)
        {
            int index = _replacements.IndexOf((start, int.MaxValue));
            index = index < 0 ? ~index : index + 1; // the first one starting after start
            return index > 0 && _replacements[index - 1].End >= line;
        }

        private int FirstInsertionAfter(int line)
        {
            int index = _insertions.IndexOf(line + 1);
            index = index < 0 ? ~index : index;
            return index < _insertions.Count ? _insertions[index] : int.MaxValue;
        }
    }
}
