using System.Buffers;

namespace ReviewBot.Analysis;

/// <summary>
/// The one voice of ReviewBot's findings: messages, advice and fix descriptions are written once, with code (an
/// instruction, an image, a user, a command) quoted in backticks. Markdown outputs show those parts as code spans;
/// plain-text outputs (the terminal, check annotations, SARIF's text) show them through <see cref="Plain"/>, without
/// the backticks, which there would be noise.
/// </summary>
public static class Wording
{
    /// <summary>
    /// <paramref name="text"/> without the backtick runs that quote code (a run closed by a run of the same length, as
    /// CommonMark reads a code span); an unmatched backtick is the text's own and stays.
    /// </summary>
    public static string Plain(string text)
    {
        if (!text.Contains('`', StringComparison.Ordinal))
        {
            return text;
        }

        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            return new string(buffer, 0, Plain(text, buffer));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes <see cref="Plain(string)"/> of <paramref name="text"/> into <paramref name="into"/>, which must be at least
    /// as long (the plain text never is longer), and returns its length: outputs that write a message as they go (JSON)
    /// need no string of it.
    /// </summary>
    public static int Plain(ReadOnlySpan<char> text, Span<char> into)
    {
        int length = 0;
        int i = 0;
        while (i < text.Length)
        {
            int tick = text[i..].IndexOf('`');
            var before = tick < 0 ? text[i..] : text.Slice(i, tick);
            before.CopyTo(into[length..]);
            length += before.Length;
            if (tick < 0)
            {
                break;
            }

            i += tick;
            int open = Run(text, i);
            int close = Closing(text, i + open, open);
            if (close < 0)
            {
                text.Slice(i, open).CopyTo(into[length..]);
                length += open;
                i += open;
                continue;
            }

            var content = text[(i + open)..close];
            if (content.Length >= 2 && content[0] == ' ' && content[^1] == ' ' && content.ContainsAnyExcept(' '))
            {
                content = content[1..^1];
            }

            content.CopyTo(into[length..]);
            length += content.Length;
            i = close + open;
        }

        return length;
    }

    /// <summary>
    /// A finding as plain text that stands alone: its message without backticks, starting with a capital, then
    /// <paramref name="then"/> (what to do, in the same voice) when given.
    /// </summary>
    public static string PlainSentence(Finding finding, string? then)
    {
        var buffer = ArrayPool<char>.Shared.Rent(finding.Message.Length + (then is null ? 0 : 1 + then.Length));
        try
        {
            int length = PlainSentence(finding.Message, buffer);
            if (then is not null)
            {
                buffer[length++] = ' ';
                length += Plain(then, buffer.AsSpan(length));
            }

            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes <paramref name="message"/> as <see cref="PlainSentence(Finding, string?)"/> writes it without advice into
    /// <paramref name="into"/> (at least as long as the message) and returns its length.
    /// </summary>
    public static int PlainSentence(ReadOnlySpan<char> message, Span<char> into)
    {
        int length = Plain(message, into);
        if (length > 1 && char.IsLower(into[0]))
        {
            into[0] = char.ToUpperInvariant(into[0]);
        }

        return length;
    }

    /// <summary>The length of the backtick run at <paramref name="start"/>.</summary>
    public static int Run(ReadOnlySpan<char> text, int start)
    {
        int end = start;
        while (end < text.Length && text[end] == '`')
        {
            end++;
        }

        return end - start;
    }

    /// <summary>CommonMark: a code span closes at the next backtick run of exactly the opening length; -1 when none does.</summary>
    public static int Closing(ReadOnlySpan<char> text, int from, int length)
    {
        int i = from;
        while (i < text.Length)
        {
            if (text[i] != '`')
            {
                i++;
                continue;
            }

            int run = Run(text, i);
            if (run == length)
            {
                return i;
            }

            i += run;
        }

        return -1;
    }
}
