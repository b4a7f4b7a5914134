using System.Collections.Immutable;

namespace ReviewBot.Analysis.Syntax;

/// <summary>
/// Where each line of a text starts and ends, terminators (\n, \r\n, a lone \r) excluded. The parser reads the lines
/// in place; a line becomes a string of its own only when someone asks for it (a fix, a suppression comment), so the
/// text is not copied once more line by line for every file.
/// </summary>
internal sealed class LineIndex
{
    private readonly string _text;

    /// <summary>Start and end (exclusive) of each line, in pairs.</summary>
    private readonly int[] _bounds;

    private LineIndex(string text, int[] bounds)
    {
        _text = text;
        _bounds = bounds;
    }

    /// <summary>No lines (a text that was not read).</summary>
    public static LineIndex None(string text) => new(text, []);

    public int Count => _bounds.Length / 2;

    /// <summary>Line <paramref name="index"/> (0-based), read in place.</summary>
    public ReadOnlySpan<char> this[int index] => _text.AsSpan(_bounds[2 * index], _bounds[(2 * index) + 1] - _bounds[2 * index]);

    /// <summary>Line <paramref name="index"/> (0-based) as a string of its own.</summary>
    public string ToString(int index) => _text.Substring(_bounds[2 * index], _bounds[(2 * index) + 1] - _bounds[2 * index]);

    public ImmutableArray<string> ToStrings()
    {
        var lines = ImmutableArray.CreateBuilder<string>(Count);
        for (int i = 0; i < Count; i++)
        {
            lines.Add(ToString(i));
        }

        return lines.MoveToImmutable();
    }

    /// <summary>The lines of <paramref name="text"/> from <paramref name="from"/> on (past a BOM): one per terminator, plus an unterminated last line.</summary>
    public static LineIndex Split(string text, int from)
    {
        // Sized exactly, so the table is never regrown.
        var bounds = new int[2 * CountLines(text.AsSpan(from))];
        int start = from;
        int n = 0;
        while (start < text.Length)
        {
            int at = text.AsSpan(start).IndexOfAny('\r', '\n');
            int end = at < 0 ? text.Length : start + at;
            bounds[n++] = start;
            bounds[n++] = end;
            if (at < 0)
            {
                break;
            }

            start = end + (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1);
        }

        return new LineIndex(text, bounds);
    }

    private static int CountLines(ReadOnlySpan<char> span)
    {
        int count = span.Count('\n') + (span.Contains('\r') ? span.Count('\r') - span.Count("\r\n") : 0);
        return span.Length > 0 && span[^1] is not ('\n' or '\r') ? count + 1 : count;
    }
}
