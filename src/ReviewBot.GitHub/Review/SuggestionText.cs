using ReviewBot.Analysis;

namespace ReviewBot.GitHub.Review;

/// <summary>The replacement text of a ```suggestion block for a span of lines with edits applied.</summary>
public static class SuggestionText
{
    /// <summary>
    /// Lines <paramref name="start"/>..<paramref name="end"/> of <paramref name="lines"/> after applying
    /// <paramref name="edits"/>, which must all lie in (or, for insertions, touch) that span.
    /// </summary>
    public static List<string> Build(IReadOnlyList<string> lines, int start, int end, IReadOnlyList<TextEdit> edits)
    {
        var result = new List<string>();
        for (int line = start; line <= end + 1; line++)
        {
            foreach (var insertion in edits.Where(e => e.IsInsertion && e.StartLine == line))
            {
                result.AddRange(Lines(insertion.NewText));
            }

            if (line > end)
            {
                break;
            }

            if (edits.FirstOrDefault(e => !e.IsInsertion && e.StartLine == line) is { } replacement)
            {
                result.AddRange(Lines(replacement.NewText));

                // An insertion point inside a replaced range follows the replacement, as FixApplier does.
                foreach (var inside in edits.Where(e => e.IsInsertion && e.StartLine > line && e.StartLine <= replacement.EndLine))
                {
                    result.AddRange(Lines(inside.NewText));
                }

                line = replacement.EndLine;
            }
            else
            {
                result.Add(lines[line - 1]);
            }
        }

        return result;
    }

    /// <summary>Whole lines of an edit's text without their terminators; empty text is no line.</summary>
    public static List<string> Lines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = LineTable.Split(text).Select(l => l.TrimEnd('\r', '\n')).ToList();
        return lines;
    }
}
