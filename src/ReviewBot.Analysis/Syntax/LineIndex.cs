using System.Buffers;
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

    /// <summary>
    /// The start of each line, then where the text ends (none at all for no lines). A line ends before the terminator
    /// that precedes the next start: the starts alone say it, and a table of ends as well was half of what the index
    /// allocated (a 100,000-line corpus, 800 KB a pass).
    /// </summary>
    private readonly int[] _starts;

    private LineIndex(string text, int[] starts)
    {
        _text = text;
        _starts = starts;
    }

    /// <summary>No lines (a text that was not read).</summary>
    public static LineIndex None(string text) => new(text, []);

    public int Count => Math.Max(0, _starts.Length - 1);

    /// <summary>Line <paramref name="index"/> (0-based), read in place.</summary>
    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            int start = _starts[index];
            return _text.AsSpan(start, End(index, start) - start);
        }
    }

    /// <summary>Line <paramref name="index"/> (0-based) as a string of its own.</summary>
    public string ToString(int index)
    {
        int start = _starts[index];
        return _text.Substring(start, End(index, start) - start);
    }

    /// <summary>
    /// Where line <paramref name="index"/> (0-based) starts, its terminator included up to the next start;
    /// <see cref="Count"/> gives where the last line ends.
    /// </summary>
    public int Start(int index) => _starts[index];

    /// <summary>Line <paramref name="index"/> (0-based) with its terminator, as a string of its own.</summary>
    public string WithTerminator(int index) => _text[_starts[index].._starts[index + 1]];

    /// <summary>Where line <paramref name="index"/> ends: before the \n, \r\n or lone \r that ends it (a last line may have none).</summary>
    private int End(int index, int start)
    {
        int next = _starts[index + 1];
        if (next == start)
        {
            return start;
        }

        char last = _text[next - 1];
        if (last == '\n')
        {
            return next - 2 >= start && _text[next - 2] == '\r' ? next - 2 : next - 1;
        }

        return last == '\r' ? next - 1 : next;
    }

    public ImmutableArray<string> ToStrings()
    {
        var lines = ImmutableArray.CreateBuilder<string>(Count);
        for (int i = 0; i < Count; i++)
        {
            lines.Add(ToString(i));
        }

        return lines.MoveToImmutable();
    }

    /// <summary>
    /// The lines of <paramref name="text"/> from <paramref name="from"/> on (past a BOM): one per terminator, plus an
    /// unterminated last line; and the text's dominant line ending, as <see cref="LineTable.DetectNewLine"/> counts it.
    /// </summary>
    /// <remarks>
    /// One pass finds the lines and counts their terminators: counting lines first (to size the table) and
    /// detecting the line ending each scanned every file's whole text again. The table is gathered in a pooled
    /// buffer and copied once into its exact size.
    /// </remarks>
    public static LineIndex Split(string text, int from, out string newLine)
    {
        var buffer = ArrayPool<int>.Shared.Rent(InitialBounds);
        int n = 0;
        int crlf = 0;
        int lf = 0;
        int start = from;
        while (start < text.Length)
        {
            int at = text.AsSpan(start).IndexOfAny('\r', '\n');
            int end = at < 0 ? text.Length : start + at;
            // Room for this start and the closing end of text.
            if (n + 2 > buffer.Length)
            {
                var larger = ArrayPool<int>.Shared.Rent(2 * buffer.Length);
                buffer.AsSpan(0, n).CopyTo(larger);
                ArrayPool<int>.Shared.Return(buffer);
                buffer = larger;
            }

            buffer[n++] = start;
            if (at < 0)
            {
                break;
            }

            if (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n')
            {
                crlf++;
                start = end + 2;
            }
            else
            {
                lf += text[end] == '\n' ? 1 : 0;
                start = end + 1;
            }
        }

        // Where the text ends closes the last line (none when there are no lines).
        if (n > 0)
        {
            buffer[n++] = text.Length;
        }

        var starts = buffer.AsSpan(0, n).ToArray();
        ArrayPool<int>.Shared.Return(buffer);
        newLine = crlf > lf ? "\r\n" : "\n";
        return new LineIndex(text, starts);
    }

    /// <summary>Room for 1,023 lines before the pooled table grows: most Dockerfiles are shorter.</summary>
    private const int InitialBounds = 1024;
}
