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
            if (n + 2 > buffer.Length)
            {
                var larger = ArrayPool<int>.Shared.Rent(2 * buffer.Length);
                buffer.AsSpan(0, n).CopyTo(larger);
                ArrayPool<int>.Shared.Return(buffer);
                buffer = larger;
            }

            buffer[n++] = start;
            buffer[n++] = end;
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

        var bounds = buffer.AsSpan(0, n).ToArray();
        ArrayPool<int>.Shared.Return(buffer);
        newLine = crlf > lf ? "\r\n" : "\n";
        return new LineIndex(text, bounds);
    }

    /// <summary>Room for 512 lines before the pooled table grows: most Dockerfiles are shorter.</summary>
    private const int InitialBounds = 1024;
}
