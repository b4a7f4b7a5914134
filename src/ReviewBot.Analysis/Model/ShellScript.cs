using System.Text;

namespace ReviewBot.Analysis.Model;

/// <summary>A redirection of a simple command: its operator (&gt;, &gt;&gt;, &lt;&lt; …) and its target word (for &lt;&lt;, the heredoc's delimiter).</summary>
internal readonly record struct Redirect(string Operator, string Target);

/// <summary>One simple command of a shell script: its words with quotes removed, and its redirections.</summary>
internal sealed record SimpleCommand(List<string> Words, List<Redirect> Redirects);

/// <summary>
/// Splits shell text into simple commands the way sh reads them, well enough to tell which program a command runs:
/// quotes make one word (<c>echo "gosu app x"</c> runs echo), comments and heredoc bodies are no commands, and a
/// command substitution stays inside the word that holds it. Not an interpreter: no expansion, and <c>if</c>,
/// <c>case</c> … are left to the caller as words.
/// </summary>
internal static class ShellScript
{
    /// <summary>
    /// Simple commands read from one text at most. A script is the pull request author's; what is past this is not read
    /// (callers then treat it as a script they cannot read). Official images' entrypoint scripts have a few hundred.
    /// </summary>
    public const int MaxCommands = 10_000;

    /// <summary>Shell keywords and prefixes that come before the program of a command.</summary>
    private static readonly HashSet<string> Prefixes = new(StringComparer.Ordinal)
    {
        "if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "exec", "command", "nohup", "builtin",
    };

    /// <summary>The simple commands of <paramref name="text"/> in order, or null when it has more than <see cref="MaxCommands"/>.</summary>
    public static List<SimpleCommand>? Commands(string text)
    {
        var commands = new List<SimpleCommand>();
        var words = new List<string>();
        var redirects = new List<Redirect>();
        var word = new StringBuilder();
        bool inWord = false;
        List<(string Delimiter, bool StripTabs)>? pendingHeredocs = null;
        int i = 0;

        bool EndCommand()
        {
            EndWord();
            if (words.Count > 0 || redirects.Count > 0)
            {
                commands.Add(new SimpleCommand(words, redirects));
                words = [];
                redirects = [];
            }

            return commands.Count <= MaxCommands;
        }

        void EndWord()
        {
            if (inWord)
            {
                words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
        }

        while (i < text.Length)
        {
            char c = text[i];
            switch (c)
            {
                case '\\' when i + 1 < text.Length && text[i + 1] == '\n':
                    i += 2;
                    continue;
                case '\\':
                    if (i + 1 < text.Length)
                    {
                        word.Append(text[i + 1]);
                    }

                    inWord = true;
                    i += 2;
                    continue;
                case '#' when !inWord:
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    continue;
                case ' ' or '\t' or '\r':
                    EndWord();
                    i++;
                    continue;
                case '\n':
                    if (!EndCommand())
                    {
                        return null;
                    }

                    i++;
                    if (pendingHeredocs is not null)
                    {
                        i = SkipHeredocBodies(text, i, pendingHeredocs);
                        pendingHeredocs = null;
                    }

                    continue;
                case ';' or '&' or '|' or '(' or ')':
                    if (!EndCommand())
                    {
                        return null;
                    }

                    i++;
                    continue;
                case '\'':
                    {
                        int end = text.IndexOf('\'', i + 1);
                        end = end < 0 ? text.Length : end;
                        word.Append(text, i + 1, end - i - 1);
                        inWord = true;
                        i = end + 1;
                        continue;
                    }

                case '"':
                    i = ReadDoubleQuoted(text, i + 1, word);
                    inWord = true;
                    continue;
                case '$' when i + 1 < text.Length && text[i + 1] == '(':
                case '`':
                    // A command substitution: what it runs is not this command's program, so it stays in the word.
                    i = SkipSubstitution(text, i, word);
                    inWord = true;
                    continue;
                case '>' or '<':
                    {
                        // A word of digits just before is the descriptor (2>&1), not a word of the command.
                        if (inWord && word.Length > 0 && word.ToString().All(char.IsAsciiDigit))
                        {
                            word.Clear();
                            inWord = false;
                        }

                        EndWord();
                        int start = i;
                        while (i < text.Length && text[i] is '>' or '<' or '&' or '-' && i - start < 3)
                        {
                            i++;
                        }

                        string op = text[start..i];
                        while (i < text.Length && text[i] is ' ' or '\t')
                        {
                            i++;
                        }

                        var target = new StringBuilder();
                        i = ReadWord(text, i, target);
                        redirects.Add(new Redirect(op, target.ToString()));
                        if (op.StartsWith("<<", StringComparison.Ordinal) && !op.StartsWith("<<<", StringComparison.Ordinal) && target.Length > 0)
                        {
                            (pendingHeredocs ??= []).Add((target.ToString(), op.EndsWith('-')));
                        }

                        continue;
                    }

                default:
                    word.Append(c);
                    inWord = true;
                    i++;
                    continue;
            }
        }

        return EndCommand() ? commands : null;
    }

    /// <summary>
    /// The index of the program word of <paramref name="words"/> from <paramref name="start"/> on: past shell keywords,
    /// <c>exec</c> and its options, and variable assignments (<c>A=1 prog</c>); <c>words.Count</c> when there is none.
    /// </summary>
    public static int ProgramIndex(List<string> words, int start = 0)
    {
        int i = start;
        while (i < words.Count)
        {
            string w = words[i];
            if (Prefixes.Contains(w))
            {
                i++;
                if (w == "exec")
                {
                    // exec -a NAME, exec -c, exec -l.
                    while (i < words.Count && words[i].StartsWith('-'))
                    {
                        i += words[i] == "-a" ? 2 : 1;
                    }
                }
            }
            else if (IsAssignment(w))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return Math.Min(i, words.Count);
    }

    /// <summary>The last part of a program's path: /usr/local/bin/gosu is gosu.</summary>
    public static string Basename(string path)
    {
        string trimmed = path.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    private static bool IsAssignment(string word)
    {
        int eq = word.IndexOf('=');
        if (eq <= 0 || !(char.IsAsciiLetter(word[0]) || word[0] == '_'))
        {
            return false;
        }

        for (int i = 1; i < eq; i++)
        {
            if (!char.IsAsciiLetterOrDigit(word[i]) && word[i] != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a double-quoted string from <paramref name="i"/> (just past the quote) into <paramref name="word"/>; returns the index past its end.</summary>
    private static int ReadDoubleQuoted(string text, int i, StringBuilder word)
    {
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`' or '\n')
            {
                if (text[i + 1] != '\n')
                {
                    word.Append(text[i + 1]);
                }

                i += 2;
                continue;
            }

            word.Append(text[i]);
            i++;
        }

        return i + 1;
    }

    /// <summary>Copies a $( … ) or ` … ` substitution into <paramref name="word"/>; returns the index past its end.</summary>
    private static int SkipSubstitution(string text, int i, StringBuilder word)
    {
        int start = i;
        if (text[i] == '`')
        {
            int end = text.IndexOf('`', i + 1);
            i = end < 0 ? text.Length : end + 1;
        }
        else
        {
            int depth = 0;
            for (i += 1; i < text.Length; i++)
            {
                if (text[i] == '(')
                {
                    depth++;
                }
                else if (text[i] == ')' && --depth == 0)
                {
                    i++;
                    break;
                }
            }
        }

        word.Append(text, start, Math.Min(i, text.Length) - start);
        return i;
    }

    /// <summary>Reads one word (a redirection's target) from <paramref name="i"/>; returns the index past it.</summary>
    private static int ReadWord(string text, int i, StringBuilder word)
    {
        while (i < text.Length)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>')
            {
                break;
            }

            if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                end = end < 0 ? text.Length : end;
                word.Append(text, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (c == '"')
            {
                i = ReadDoubleQuoted(text, i + 1, word);
            }
            else
            {
                word.Append(c);
                i++;
            }
        }

        return i;
    }

    /// <summary>Skips the bodies of the heredocs a line opened, each up to its delimiter line; returns where commands go on.</summary>
    private static int SkipHeredocBodies(string text, int i, List<(string Delimiter, bool StripTabs)> heredocs)
    {
        foreach (var (delimiter, stripTabs) in heredocs)
        {
            while (i < text.Length)
            {
                int end = text.IndexOf('\n', i);
                end = end < 0 ? text.Length : end;
                var line = text.AsSpan(i, end - i).TrimEnd('\r');
                i = Math.Min(end + 1, text.Length);
                if ((stripTabs ? line.TrimStart('\t') : line).SequenceEqual(delimiter))
                {
                    break;
                }
            }
        }

        return i;
    }
}
