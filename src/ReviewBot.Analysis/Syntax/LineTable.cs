namespace ReviewBot.Analysis;

/// <summary>Splits text into lines that keep their own terminators (\n, \r\n or a lone \r).</summary>
public static class LineTable
{
    /// <summary>Lines with their terminators; concatenated they give back the text exactly.</summary>
    public static List<string> Split(string text)
    {
        var index = Syntax.LineIndex.Split(text, 0, out _);
        var lines = new List<string>(index.Count);
        for (int i = 0; i < index.Count; i++)
        {
            lines.Add(index.WithTerminator(i));
        }

        return lines;
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
