using System.Globalization;
using System.Text;
using ReviewBot.Analysis;

namespace ReviewBot.GitHub.Review;

/// <summary>Writes the unified diff that non-overlapping line edits make to a text.</summary>
public static class UnifiedDiff
{
    /// <summary>Unchanged lines shown around each change, as git does.</summary>
    public const int ContextLines = 3;

    /// <summary>The diff of <paramref name="edits"/> (already non-overlapping) against <paramref name="original"/>, with a/ b/ headers.</summary>
    public static string Write(string path, IReadOnlyList<string> original, IReadOnlyList<TextEdit> edits)
    {
        var ordered = edits.OrderBy(e => e.StartLine).ThenBy(e => e.IsInsertion ? 0 : 1).ToList();
        var output = new StringBuilder();
        output.Append("--- a/").Append(path).Append('\n').Append("+++ b/").Append(path).Append('\n');

        int delta = 0; // new line number minus old line number, before the current group
        int i = 0;
        while (i < ordered.Count)
        {
            int lo = Math.Max(1, ordered[i].StartLine - ContextLines);
            int hi = Math.Min(original.Count, ordered[i].EndLine + ContextLines);
            int j = i + 1;
            while (j < ordered.Count && ordered[j].StartLine - ContextLines <= hi + 1)
            {
                hi = Math.Min(original.Count, Math.Max(hi, ordered[j].EndLine + ContextLines));
                j++;
            }

            var body = new StringBuilder();
            int oldCount = 0, newCount = 0, line = lo, groupDelta = 0;
            for (int k = i; k < j; k++)
            {
                var edit = ordered[k];
                for (; line < edit.StartLine; line++, oldCount++, newCount++)
                {
                    body.Append(' ').Append(original[line - 1]).Append('\n');
                }

                for (; line <= edit.EndLine; line++, oldCount++)
                {
                    body.Append('-').Append(original[line - 1]).Append('\n');
                }

                var added = SuggestionText.Lines(edit.NewText);
                foreach (var newLine in added)
                {
                    body.Append('+').Append(newLine).Append('\n');
                }

                newCount += added.Count;
                groupDelta += added.Count - (edit.EndLine - edit.StartLine + 1);
            }

            for (; line <= hi; line++, oldCount++, newCount++)
            {
                body.Append(' ').Append(original[line - 1]).Append('\n');
            }

            // Unified diff convention: an empty side names the line before it.
            int oldStart = oldCount == 0 ? lo - 1 : lo;
            int newStart = newCount == 0 ? lo - 1 + delta : lo + delta;
            output.Append(CultureInfo.InvariantCulture, $"@@ -{oldStart},{oldCount} +{newStart},{newCount} @@\n").Append(body);
            delta += groupDelta;
            i = j;
        }

        return output.ToString();
    }
}
