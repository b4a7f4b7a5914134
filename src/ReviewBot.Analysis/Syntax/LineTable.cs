namespace ReviewBot.Analysis;

/// <summary>Splits text into lines that keep their own terminators (\n, \r\n or a lone \r).</summary>
public static class LineTable
{
    /// <summary>Lines with their terminators; concatenated they give back the text exactly.</summary>
    public static List<string> Split(string text)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    /// <summary>
    /// Where each line starts, with the text's length last: line n (1-based) is <c>starts[n - 1]..starts[n]</c> with its
    /// terminator, the same lines as <see cref="Split"/> without a string for each.
    /// </summary>
    public static List<int> Starts(string text)
    {
        var starts = new List<int> { 0 };
        var span = text.AsSpan();
        int i = 0;
        while (i < span.Length)
        {
            int found = span[i..].IndexOfAny('\r', '\n');
            if (found < 0)
            {
                break;
            }

            i += found;
            i += span[i] == '\r' && i + 1 < span.Length && span[i + 1] == '\n' ? 2 : 1;
            starts.Add(i);
        }

        if (starts[^1] < text.Length)
        {
            starts.Add(text.Length);
        }

        return starts;
    }

    /// <summary>The text's dominant line ending: \r\n when most lines end so, else \n.</summary>
    public static string DetectNewLine(string text)
    {
        // Vectorized counts: this runs over every byte of every file.
        var span = text.AsSpan();
        int crlf = span.Contains('\r') ? span.Count("\r\n") : 0;
        int lf = span.Count('\n') - crlf;
        return crlf > lf ? "\r\n" : "\n";
    }
}
