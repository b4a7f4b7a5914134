using System.Text;

namespace ReviewBot.Analysis.Model;

/// <summary>A variable's value in scope: null Value means declared (an ARG without default) but unknown.</summary>
public readonly record struct VariableValue(string? Value);

/// <summary>The result of expanding a word: its text, and the names whose values could not be known.</summary>
public sealed record Expansion(string Text, IReadOnlyList<string> Unresolved)
{
    public bool IsResolved => Unresolved.Count == 0;
}

/// <summary>
/// Dockerfile variable substitution: <c>$X</c>, <c>${X}</c>, <c>${X:-default}</c>, <c>${X-default}</c>,
/// <c>${X:+alt}</c>, <c>${X+alt}</c>, <c>${X:?message}</c>, and the escaped <c>\$</c> (with the file's escape character).
/// A declared variable whose value is unknown (an ARG with no default) takes the default of <c>:-</c>
/// and is otherwise reported as unresolved.
/// </summary>
public static class VariableExpander
{
    public static Expansion Expand(string text, Func<string, VariableValue?> lookup, char escape = '\\')
    {
        if (text.IndexOf('$') < 0)
        {
            return new Expansion(text, []);
        }

        var unresolved = new List<string>();
        var builder = new StringBuilder(text.Length);
        int i = 0;
        ExpandInto(text, ref i, builder, lookup, escape, unresolved, stopAtBrace: false);
        return new Expansion(builder.ToString(), unresolved);
    }

    private static void ExpandInto(string text, ref int i, StringBuilder output, Func<string, VariableValue?> lookup, char escape, List<string> unresolved, bool stopAtBrace)
    {
        while (i < text.Length)
        {
            char c = text[i];
            if (stopAtBrace && c == '}')
            {
                return;
            }

            if (c == escape && i + 1 < text.Length && text[i + 1] == '$')
            {
                output.Append('$');
                i += 2;
                continue;
            }

            if (c != '$' || i + 1 >= text.Length)
            {
                output.Append(c);
                i++;
                continue;
            }

            char next = text[i + 1];
            if (next == '{')
            {
                ExpandBraced(text, ref i, output, lookup, escape, unresolved);
            }
            else if (IsNameStart(next))
            {
                int start = i + 1;
                int end = start;
                while (end < text.Length && IsNameChar(text[end]))
                {
                    end++;
                }

                string name = text[start..end];
                var value = lookup(name);
                if (value?.Value is { } known)
                {
                    output.Append(known);
                }
                else
                {
                    unresolved.Add(name);
                }

                i = end;
            }
            else
            {
                output.Append(c);
                i++;
            }
        }
    }

    private static void ExpandBraced(string text, ref int i, StringBuilder output, Func<string, VariableValue?> lookup, char escape, List<string> unresolved)
    {
        int start = i + 2;
        int end = start;
        while (end < text.Length && IsNameChar(text[end]))
        {
            end++;
        }

        string name = text[start..end];
        if (name.Length == 0 || end >= text.Length)
        {
            // Not a substitution BuildKit accepts; keep it as written.
            output.Append(text, i, Math.Min(text.Length, end + 1) - i);
            i = Math.Min(text.Length, end + 1);
            return;
        }

        var value = lookup(name);
        bool known = value?.Value is not null;
        bool set = value is not null; // declared, even without a known value
        string? current = value?.Value;

        char op = text[end];
        if (op == '}')
        {
            if (known)
            {
                output.Append(current);
            }
            else
            {
                unresolved.Add(name);
            }

            i = end + 1;
            return;
        }

        bool colon = op == ':';
        int opIndex = colon ? end + 1 : end;
        char kind = opIndex < text.Length ? text[opIndex] : '\0';
        if (kind is not ('-' or '+' or '?'))
        {
            output.Append(text, i, end - i);
            i = end;
            return;
        }

        int wordStart = opIndex + 1;
        var word = new StringBuilder();
        int j = wordStart;
        var wordUnresolved = new List<string>();
        ExpandInto(text, ref j, word, lookup, escape, wordUnresolved, stopAtBrace: true);
        i = Math.Min(text.Length, j + 1);

        bool empty = known && current!.Length == 0;
        switch (kind)
        {
            case '-':
                // An unknown value (no default, no build arg we can see) takes the written default.
                if (!known || (colon && empty))
                {
                    output.Append(word);
                    unresolved.AddRange(wordUnresolved);
                }
                else
                {
                    output.Append(current);
                }

                break;
            case '+':
                if (known && !(colon && empty))
                {
                    output.Append(word);
                    unresolved.AddRange(wordUnresolved);
                }
                else if (!known && set)
                {
                    unresolved.Add(name);
                }

                break;
            default: // '?': the value or a build error
                if (known && !(colon && empty))
                {
                    output.Append(current);
                }
                else
                {
                    unresolved.Add(name);
                }

                break;
        }
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
