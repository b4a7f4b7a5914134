using System.Buffers;

namespace ReviewBot.Analysis.Model;

/// <summary>A redirection of a simple command: its operator (&gt;, &gt;&gt;, &lt;&lt; …) and its target word (for &lt;&lt;, the heredoc's delimiter).</summary>
internal readonly record struct Redirect(string Operator, string Target);

/// <summary>One simple command of a shell script: its words with quotes removed, and its redirections.</summary>
internal sealed record SimpleCommand(List<string> Words, IReadOnlyList<Redirect> Redirects);

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

    /// <summary>Shells whose <c>-c</c> takes a command string.</summary>
    private static readonly HashSet<string> Shells = new(StringComparer.Ordinal) { "sh", "bash", "ash", "dash", "zsh", "ksh" };

    // Looked up by a path's last part in place.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ShellNames = Shells.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether a program (a path's last part, <see cref="BasenameSpan"/>) is a shell: sh, bash …</summary>
    public static bool IsShell(ReadOnlySpan<char> program) => ShellNames.Contains(program);

    /// <summary>
    /// Where the string after <c>-c</c> (or <c>-ec</c>, <c>-xc</c> …) is among a shell's words, its options read from
    /// <paramref name="i"/> on; -1 when the shell runs no command string (a script file, or nothing).
    /// </summary>
    public static int CommandStringAt(ReadOnlySpan<string> words, int i)
    {
        for (; i < words.Length && words[i].StartsWith('-') && words[i] != "--"; i++)
        {
            if (words[i] == "-o")
            {
                // -o pipefail: an option with a value.
                i++;
            }
            else if (!words[i].StartsWith("--", StringComparison.Ordinal) && words[i].Contains('c'))
            {
                return i + 1 < words.Length ? i + 1 : -1;
            }
        }

        return -1;
    }

    /// <summary>Shell keywords and prefixes that come before the program of a command.</summary>
    private static readonly HashSet<string> Prefixes = new(StringComparer.Ordinal)
    {
        "if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "exec", "command", "nohup", "builtin",
    };

    /// <summary>
    /// The simple commands of <paramref name="text"/> in order, or null when it has more than <see cref="MaxCommands"/>.
    /// With <paramref name="only"/>, only the commands whose words hold one of those strings are made: a RUN's script is
    /// most of a Dockerfile, and the callers look for one name in it, so the other commands are read in a reused buffer
    /// and never become strings.
    /// </summary>
    public static List<SimpleCommand>? Commands(string text, string[]? only = null)
    {
        var reader = new Reader(text, only);
        try
        {
            return reader.Read();
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <summary>The reading state of <see cref="Commands"/>: the current command's characters and where its words end.</summary>
    private struct Reader(string text, string[]? only)
    {
        private readonly List<SimpleCommand> _commands = [];
        private char[] _chars = ArrayPool<char>.Shared.Rent(256);
        private Token[] _tokens = ArrayPool<Token>.Shared.Rent(16);
        private int _length;
        private int _tokenCount;
        private int _wordStart;
        private bool _inWord;
        private int _seen;

        /// <summary>A word (Operator null) or a redirection's target, as a range of the command's characters.</summary>
        private readonly record struct Token(int Start, int End, string? Operator);

        public void Dispose()
        {
            ArrayPool<char>.Shared.Return(_chars);
            ArrayPool<Token>.Shared.Return(_tokens);
        }

        public List<SimpleCommand>? Read()
        {
            List<(string Delimiter, bool StripTabs)>? pendingHeredocs = null;
            int i = 0;
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
                            Append(text[i + 1]);
                        }

                        _inWord = true;
                        i += 2;
                        continue;
                    case '#' when !_inWord:
                        i = text.IndexOf('\n', i) is var end and >= 0 ? end : text.Length;
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
                        i = AppendSingleQuoted(i + 1);
                        _inWord = true;
                        continue;
                    case '"':
                        i = AppendDoubleQuoted(i + 1);
                        _inWord = true;
                        continue;
                    case '$' when i + 1 < text.Length && text[i + 1] == '(':
                    case '`':
                        // A command substitution: what it runs is not this command's program, so it stays in the word.
                        i = AppendSubstitution(i);
                        _inWord = true;
                        continue;
                    case '>' or '<':
                        {
                            // A word of digits just before is the descriptor (2>&1), not a word of the command.
                            if (_inWord && _length > _wordStart && _chars.AsSpan(_wordStart, _length - _wordStart).IndexOfAnyExceptInRange('0', '9') < 0)
                            {
                                _length = _wordStart;
                                _inWord = false;
                            }

                            EndWord();
                            int start = i;
                            while (i < text.Length && text[i] is '>' or '<' or '&' or '-' && i - start < 3)
                            {
                                i++;
                            }

                            string op = Operator(text.AsSpan(start, i - start));
                            while (i < text.Length && text[i] is ' ' or '\t')
                            {
                                i++;
                            }

                            int targetStart = _length;
                            i = AppendWord(i);
                            AddToken(new Token(targetStart, _length, op));
                            _wordStart = _length;
                            if (op is "<<" or "<<-" && _length > targetStart)
                            {
                                (pendingHeredocs ??= []).Add((new string(_chars, targetStart, _length - targetStart), op == "<<-"));
                            }

                            continue;
                        }

                    default:
                        Append(c);
                        _inWord = true;
                        i++;
                        continue;
                }
            }

            return EndCommand() ? _commands : null;
        }

        private static string Operator(ReadOnlySpan<char> op) => op switch
        {
            ">" => ">",
            ">>" => ">>",
            "<" => "<",
            "<<" => "<<",
            "<<-" => "<<-",
            "<<<" => "<<<",
            ">&" => ">&",
            ">|" => ">|",
            _ => op.ToString(),
        };

        private void Append(char c)
        {
            Grow(ref _chars, _length);
            _chars[_length++] = c;
        }

        /// <summary>A pooled array twice as large, with its first <paramref name="count"/> items, when it is full.</summary>
        private static void Grow<T>(ref T[] array, int count)
        {
            if (count == array.Length)
            {
                var larger = ArrayPool<T>.Shared.Rent(array.Length * 2);
                array.AsSpan(0, count).CopyTo(larger);
                ArrayPool<T>.Shared.Return(array);
                array = larger;
            }
        }

        private void Append(ReadOnlySpan<char> span)
        {
            foreach (char c in span)
            {
                Append(c);
            }
        }

        private void AddToken(Token token)
        {
            Grow(ref _tokens, _tokenCount);
            _tokens[_tokenCount++] = token;
        }

        private void EndWord()
        {
            if (_inWord)
            {
                AddToken(new Token(_wordStart, _length, null));
                _inWord = false;
            }

            _wordStart = _length;
        }

        /// <summary>Ends the command: made into strings when it is one the caller wants. False past <see cref="MaxCommands"/>.</summary>
        private bool EndCommand()
        {
            EndWord();
            if (_tokenCount > 0)
            {
                if (only is null || UserCommands.ContainsAny(_chars.AsSpan(0, _length), only))
                {
                    var words = new List<string>(_tokenCount);
                    List<Redirect>? redirects = null;
                    foreach (var token in _tokens.AsSpan(0, _tokenCount))
                    {
                        string value = new(_chars, token.Start, token.End - token.Start);
                        if (token.Operator is null)
                        {
                            words.Add(value);
                        }
                        else
                        {
                            (redirects ??= []).Add(new Redirect(token.Operator, value));
                        }
                    }

                    // Most commands redirect nothing: they share one empty list.
                    _commands.Add(new SimpleCommand(words, (IReadOnlyList<Redirect>?)redirects ?? []));
                }

                _seen++;
            }

            _length = _tokenCount = _wordStart = 0;
            return _seen <= MaxCommands;
        }

        private int AppendSingleQuoted(int i)
        {
            int end = text.IndexOf('\'', i);
            end = end < 0 ? text.Length : end;
            Append(text.AsSpan(i, end - i));
            return end + 1;
        }

        /// <summary>Appends a double-quoted string from <paramref name="i"/> (just past the quote); returns the index past its end.</summary>
        private int AppendDoubleQuoted(int i)
        {
            while (i < text.Length && text[i] != '"')
            {
                if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`' or '\n')
                {
                    if (text[i + 1] != '\n')
                    {
                        Append(text[i + 1]);
                    }

                    i += 2;
                    continue;
                }

                Append(text[i]);
                i++;
            }

            return i + 1;
        }

        /// <summary>Appends a $( … ) or ` … ` substitution; returns the index past its end.</summary>
        private int AppendSubstitution(int i)
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

            i = Math.Min(i, text.Length);
            Append(text.AsSpan(start, i - start));
            return i;
        }

        /// <summary>Appends one word (a redirection's target) from <paramref name="i"/>; returns the index past it.</summary>
        private int AppendWord(int i)
        {
            while (i < text.Length)
            {
                char c = text[i];
                if (c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>')
                {
                    break;
                }

                i = c switch
                {
                    '\'' => AppendSingleQuoted(i + 1),
                    '"' => AppendDoubleQuoted(i + 1),
                    _ => AppendAndNext(c, i),
                };
            }

            return i;
        }

        private int AppendAndNext(char c, int i)
        {
            Append(c);
            return i + 1;
        }
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
        var name = BasenameSpan(path);
        return name.Length == path.Length ? path : name.ToString();
    }

    /// <summary><see cref="Basename"/> in place, for lookups that make no string.</summary>
    public static ReadOnlySpan<char> BasenameSpan(string path)
    {
        var trimmed = path.AsSpan().TrimEnd('/');
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
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
