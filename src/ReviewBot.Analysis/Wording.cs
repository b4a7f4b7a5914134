using System.Text;

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

        var plain = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] != '`')
            {
                plain.Append(text[i++]);
                continue;
            }

            int open = Run(text, i);
            int close = Closing(text, i + open, open);
            if (close < 0)
            {
                plain.Append(text, i, open);
                i += open;
                continue;
            }

            var content = text.AsSpan(i + open, close - i - open);
            if (content.Length >= 2 && content[0] == ' ' && content[^1] == ' ' && content.ContainsAnyExcept(' '))
            {
                content = content[1..^1];
            }

            plain.Append(content);
            i = close + open;
        }

        return plain.ToString();
    }

    /// <summary>
    /// A finding as plain text that stands alone: its message without backticks, starting with a capital, then
    /// <paramref name="then"/> (what to do, in the same voice) when given.
    /// </summary>
    public static string PlainSentence(Finding finding, string? then)
    {
        var message = Plain(finding.Message);
        message = message.Length > 1 && char.IsLower(message[0]) ? char.ToUpperInvariant(message[0]) + message[1..] : message;
        return then is null ? message : message + " " + Plain(then);
    }

    /// <summary>The length of the backtick run at <paramref name="start"/>.</summary>
    public static int Run(string text, int start)
    {
        int end = start;
        while (end < text.Length && text[end] == '`')
        {
            end++;
        }

        return end - start;
    }

    /// <summary>CommonMark: a code span closes at the next backtick run of exactly the opening length; -1 when none does.</summary>
    public static int Closing(string text, int from, int length)
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
