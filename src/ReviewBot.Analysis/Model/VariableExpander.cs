using System.Collections.Immutable;
using System.Text;

namespace ReviewBot.Analysis.Model;

/// <summary>A variable's value in scope: null Value means declared (an ARG without default) but unknown.</summary>
/// <param name="Value">The value, or null when it cannot be known.</param>
/// <param name="OverBudget">Unknown because expanding it went past the budget (hostile or broken), not because a build argument decides it.</param>
public readonly record struct VariableValue(string? Value, bool OverBudget = false)
{
    /// <summary>The value an expansion declares: unknown when it did not resolve, over budget when it or a variable it read was.</summary>
    public static VariableValue From(Expansion expanded, Func<string, VariableValue?> lookup) =>
        From(expanded, new VariableExpander.Lookup(lookup));

    internal static VariableValue From(Expansion expanded, VariableExpander.Lookup lookup) =>
        new(expanded.IsResolved ? expanded.Text : null, IsOverBudget(expanded, lookup));

    /// <summary>Whether the expansion stopped at the budget, or read a variable that had.</summary>
    public static bool IsOverBudget(Expansion expanded, Func<string, VariableValue?> lookup) =>
        IsOverBudget(expanded, new VariableExpander.Lookup(lookup));

    internal static bool IsOverBudget(Expansion expanded, VariableExpander.Lookup lookup)
    {
        if (expanded.OverBudget is not null)
        {
            return true;
        }

        // An indexed loop, not Any with a lambda: this runs for every ARG, ENV and USER, and the lambda was a closure
        // (and the enumerator a box) each time.
        var unresolved = expanded.Unresolved;
        for (int i = 0; i < unresolved.Count; i++)
        {
            if (lookup.Find(unresolved[i]) is { OverBudget: true })
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The result of expanding a word: its text, and the names whose values could not be known.</summary>
public sealed record Expansion(string Text, IReadOnlyList<string> Unresolved)
{
    /// <summary>
    /// Why the expansion was abandoned (too deep, too long), or null. An abandoned expansion keeps the text as
    /// written and names in <see cref="Unresolved"/> the variable it stopped at, so it is never read as a value.
    /// </summary>
    public string? OverBudget { get; init; }

    public bool IsResolved => Unresolved.Count == 0 && OverBudget is null;
}

/// <summary>
/// What all the expansions of one analysis may substitute in total, and the notes on those that went over.
/// One per analysis: not thread-safe, like the model that owns it.
/// </summary>
public sealed class ExpansionBudget
{
    /// <summary>
    /// Characters substituted across one file. Real files substitute a few kilobytes; a pull request that makes
    /// every line expand a long value would otherwise cost memory and time in proportion to lines × value. Each value
    /// a chain of ENV lines makes is kept (the stage's scope, the USER that names it): at 16 Mi characters a 4 MiB
    /// chain (<c>ENV A2=${A1}y</c>, <c>USER ${A2}</c> …) kept 32 MB of strings alive and took 0.64 s.
    /// </summary>
    public const int MaxSubstitutedPerFile = 4 * 1024 * 1024;

    /// <summary>Over-budget notes kept per file; the rest are counted in one last note.</summary>
    public const int MaxNotes = 10;

    private readonly HashSet<int> _notedLines = [];
    private readonly List<ParseDiagnostic> _notes = [];
    private int _moreNotes;

    public ExpansionBudget(int maxSubstituted = MaxSubstitutedPerFile)
    {
        Remaining = maxSubstituted;
    }

    /// <summary>Characters the file's expansions may still substitute.</summary>
    public int Remaining { get; private set; }

    /// <summary>Expands within this budget, noting an abandoned expansion against <paramref name="line"/>.</summary>
    public Expansion Expand(int line, string text, Func<string, VariableValue?> lookup, char escape)
    {
        var expansion = VariableExpander.Expand(text, new VariableExpander.Lookup(lookup), escape, this, keepIf: null)!;
        Note(line, expansion);
        return expansion;
    }

    /// <summary>Expands within this budget, reading values through <paramref name="lookup"/>.</summary>
    /// <remarks>A scope or dictionary itself, not a closure over it: the model, the rules and the fix expand thousands of times a scan.</remarks>
    internal Expansion Expand(int line, string text, VariableExpander.Lookup lookup, char escape)
    {
        var expansion = VariableExpander.Expand(text, lookup, escape, this, keepIf: null)!;
        Note(line, expansion);
        return expansion;
    }

    /// <summary>
    /// Expands as <see cref="Expand"/> does, spending the same budget, but makes the expanded text a string only when
    /// <paramref name="keepIf"/> wants it; null otherwise. Every RUN script with a <c>$</c> is expanded to look for a
    /// few rare words (useradd, /etc/passwd), and a copy of each script would be most of what a model allocates.
    /// </summary>
    public string? ExpandIf(int line, string text, Func<string, VariableValue?> lookup, char escape, VariableExpander.TextTest keepIf) =>
        ExpandIf(line, text, new VariableExpander.Lookup(lookup), escape, keepIf);

    internal string? ExpandIf(int line, string text, VariableExpander.Lookup lookup, char escape, VariableExpander.TextTest keepIf)
    {
        if (text.IndexOf('$') < 0)
        {
            // Nothing to expand, nothing to note: the text itself, without an Expansion around it.
            return keepIf(text) ? text : null;
        }

        var expansion = VariableExpander.Expand(text, lookup, escape, this, keepIf);
        if (expansion is null)
        {
            return null;
        }

        Note(line, expansion);
        return expansion.Text;
    }

    internal void Spend(int substituted) => Remaining = Math.Max(0, Remaining - substituted);

    /// <summary>Records why the expansion of something on <paramref name="line"/> was abandoned (once per line).</summary>
    public void Note(int line, Expansion expansion)
    {
        if (expansion.OverBudget is null || !_notedLines.Add(line))
        {
            return;
        }

        if (_notes.Count < MaxNotes)
        {
            _notes.Add(new ParseDiagnostic(line, $"Variable expansion stopped: {expansion.OverBudget}. The value is treated as unknown (neither root nor non-root)."));
        }
        else
        {
            _moreNotes++;
        }
    }

    public ImmutableArray<ParseDiagnostic> Notes =>
        _moreNotes == 0 ? [.. _notes] : [.. _notes, new ParseDiagnostic(0, $"Variable expansion stopped on {_moreNotes} more line(s) for the same reasons.")];
}

/// <summary>
/// Dockerfile variable substitution: <c>$X</c>, <c>${X}</c>, <c>${X:-default}</c>, <c>${X-default}</c>,
/// <c>${X:+alt}</c>, <c>${X+alt}</c>, <c>${X:?message}</c>, and the escaped <c>\$</c> (with the file's escape character).
/// A declared variable whose value is unknown (an ARG with no default) takes the default of <c>:-</c>
/// and is otherwise reported as unresolved. Bounded on any input: see <see cref="MaxExpansionDepth"/>,
/// <see cref="MaxExpandedLength"/> and <see cref="ExpansionBudget"/>.
/// </summary>
public static class VariableExpander
{
    /// <summary>
    /// Nested <c>${X:-${Y:-…}}</c> levels. Real files nest two or three; the nesting is followed by recursion,
    /// so this also bounds the stack (a 100,000-deep word once overflowed it and killed the process).
    /// </summary>
    public const int MaxExpansionDepth = 16;

    /// <summary>
    /// Characters one expansion may substitute. <c>ENV A=$A$A</c> repeated doubles a value per line: 40 lines
    /// asked for a terabyte. 64 KiB is far beyond any real user name, path or PATH.
    /// </summary>
    public const int MaxExpandedLength = 64 * 1024;

    public static Expansion Expand(string text, Func<string, VariableValue?> lookup, char escape = '\\') =>
        Expand(text, lookup, escape, budget: null);

    public static Expansion Expand(string text, Func<string, VariableValue?> lookup, char escape, ExpansionBudget? budget) =>
        Expand(text, new Lookup(lookup), escape, budget, keepIf: null)!;

    /// <summary>Whether an expanded text is wanted as a string (<see cref="ExpansionBudget.ExpandIf"/>).</summary>
    public delegate bool TextTest(ReadOnlySpan<char> text);

    /// <summary>
    /// <see cref="Expand(string, Func{string, VariableValue?}, char, ExpansionBudget?)"/>, except that a resolved text
    /// <paramref name="keepIf"/> rejects is never made a string: null is returned instead. An expansion over budget is
    /// always returned (it keeps the text as written, and its reason must be noted).
    /// </summary>
    internal static Expansion? Expand(string text, Lookup lookup, char escape, ExpansionBudget? budget, TextTest? keepIf)
    {
        if (text.IndexOf('$') < 0)
        {
            return keepIf is null || keepIf(text) ? new Expansion(text, []) : null;
        }

        // This thread's state, like its builder: one was allocated for every expansion with a $ (taken while in use, so
        // a lookup that expands again gets a fresh one).
        var state = _cachedState ?? new State();
        _cachedState = null;
        state.Start(text, lookup, escape, Math.Min(MaxExpandedLength, budget?.Remaining ?? int.MaxValue));
        // Every RUN with a $ is expanded: reusing this thread's builder leaves one copy of the text, the result.
        // Room for some substitution up front: a builder that grows into a second chunk is not kept (clearing it
        // would allocate its whole capacity again).
        var builder = _cachedBuilder is { } cached && cached.Capacity >= text.Length ? cached : new StringBuilder(text.Length + (text.Length / 4));
        _cachedBuilder = null;
        builder.Clear();
        int i = 0;
        var unresolved = default(Unknowns);
        ExpandInto(state, ref i, builder, ref unresolved, depth: 0);
        budget?.Spend(state.Substituted);
        var expansion = state.OverBudget is { } reason
            ? new Expansion(text, VariableNames.Alone(state.StoppedAt ?? "?")) { OverBudget = reason }
            : keepIf is null || Wanted(builder, keepIf) ? new Expansion(TextOf(builder, text), unresolved.ToList()) : null;
        if (builder.Capacity <= MaxExpandedLength && IsOneChunk(builder))
        {
            _cachedBuilder = builder;
        }

        state.Start("", default, '\\', 0);
        _cachedState = state;
        return expansion;
    }

    /// <summary>
    /// The expanded text: <paramref name="text"/> itself when nothing changed it (every name unknown, as in a chain of
    /// unresolved ENV lines), else a new string.
    /// </summary>
    private static string TextOf(StringBuilder builder, string text)
    {
        if (builder.Length == text.Length)
        {
            int at = 0;
            foreach (var chunk in builder.GetChunks())
            {
                if (!chunk.Span.SequenceEqual(text.AsSpan(at, chunk.Length)))
                {
                    return builder.ToString();
                }

                at += chunk.Length;
            }

            return text;
        }

        return builder.ToString();
    }

    /// <summary>
    /// The names an expansion could not resolve, in order: the first one inline, more in a list. A list per expansion
    /// with an unknown name (its array too) was most of what a file of unresolved ENV and USER lines allocated.
    /// </summary>
    private struct Unknowns
    {
        private string? _first;
        private List<string>? _more;

        public void Add(string name)
        {
            if (_first is null)
            {
                _first = name;
            }
            else
            {
                (_more ??= []).Add(name);
            }
        }

        public void AddAll(in Unknowns other)
        {
            if (other._first is not null)
            {
                Add(other._first);
                foreach (var name in other._more ?? [])
                {
                    Add(name);
                }
            }
        }

        public readonly IReadOnlyList<string> ToList() =>
            _first is null ? [] : _more is null ? VariableNames.Alone(_first) : [_first, .. _more];
    }

    /// <summary>Asks <paramref name="keepIf"/> about the builder's text, read in place when it is in one piece.</summary>
    private static bool Wanted(StringBuilder builder, TextTest keepIf)
    {
        foreach (var chunk in builder.GetChunks())
        {
            if (chunk.Length == builder.Length)
            {
                return keepIf(chunk.Span);
            }

            break;
        }

        return keepIf(builder.ToString());
    }

    private static bool IsOneChunk(StringBuilder builder)
    {
        int chunks = 0;
        foreach (var _ in builder.GetChunks())
        {
            chunks++;
        }

        return chunks <= 1;
    }

    /// <summary>One builder per thread (the engine runs files in parallel); kept only while it stays small.</summary>
    [ThreadStatic]
    private static StringBuilder? _cachedBuilder;

    /// <summary>Where an expansion reads values: a caller's function, a stage's scope before an instruction, or a table.</summary>
    internal readonly struct Lookup
    {
        private readonly Func<string, VariableValue?>? _function;
        private readonly StageScope? _scope;
        private readonly int _at;
        private readonly IReadOnlyDictionary<string, VariableValue>? _values;

        public Lookup(Func<string, VariableValue?> function)
        {
            _function = function;
        }

        public Lookup(StageScope scope, int at)
        {
            _scope = scope;
            _at = at;
        }

        public Lookup(IReadOnlyDictionary<string, VariableValue> values)
        {
            _values = values;
        }

        public VariableValue? Find(string name) =>
            _function is { } function ? function(name)
            : _scope is { } scope ? scope.Lookup(name, _at)
            : _values!.TryGetValue(name, out var value) ? value : null;
    }

    [ThreadStatic]
    private static State? _cachedState;

    private sealed class State
    {
        private int _allowance;

        public string Text { get; private set; } = "";
        public Lookup Lookup { get; private set; }
        public char Escape { get; private set; }
        public int Substituted { get; private set; }
        public string? OverBudget { get; private set; }
        public string? StoppedAt { get; private set; }

        /// <summary>Readies the state for one expansion (and, between expansions, holds on to no text or scope).</summary>
        public void Start(string text, Lookup lookup, char escape, int allowance)
        {
            Text = text;
            Lookup = lookup;
            Escape = escape;
            _allowance = allowance;
            Substituted = 0;
            OverBudget = null;
            StoppedAt = null;
        }

        public bool Stopped => OverBudget is not null;

        /// <summary>Appends a variable's value, or stops the expansion when the allowance is spent.</summary>
        public void Substitute(StringBuilder output, string name, string value)
        {
            if (value.Length > _allowance - Substituted)
            {
                Stop(name, _allowance < MaxExpandedLength
                    ? $"the file's variables expand to more than {ExpansionBudget.MaxSubstitutedPerFile / (1024 * 1024)} MiB in total"
                    : $"${{{name}}} would expand to more than {MaxExpandedLength / 1024} KiB");
                return;
            }

            Substituted += value.Length;
            output.Append(value);
        }

        public void Stop(string name, string reason)
        {
            OverBudget ??= reason;
            StoppedAt ??= name;
        }
    }

    private static void ExpandInto(State state, ref int i, StringBuilder output, ref Unknowns unresolved, int depth)
    {
        string text = state.Text;
        bool stopAtBrace = depth > 0;
        while (i < text.Length && !state.Stopped)
        {
            char c = text[i];
            if (c != '$' && c != '}' && c != state.Escape)
            {
                // Copy the plain text up to the next character that may matter in one piece.
                int run = text.AsSpan(i).IndexOfAny('$', '}', state.Escape);
                int end = run < 0 ? text.Length : i + run;
                output.Append(text, i, end - i);
                i = end;
                continue;
            }

            if (stopAtBrace && c == '}')
            {
                return;
            }

            if (c == state.Escape && i + 1 < text.Length && text[i + 1] == '$')
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
                ExpandBraced(state, ref i, output, ref unresolved, depth);
            }
            else if (IsNameStart(next))
            {
                int start = i + 1;
                int end = start;
                while (end < text.Length && IsNameChar(text[end]))
                {
                    end++;
                }

                string name = VariableNames.Get(text.AsSpan(start, end - start));
                var value = state.Lookup.Find(name);
                if (value?.Value is { } known)
                {
                    state.Substitute(output, name, known);
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

    private static void ExpandBraced(State state, ref int i, StringBuilder output, ref Unknowns unresolved, int depth)
    {
        string text = state.Text;
        int start = i + 2;
        int end = start;
        while (end < text.Length && IsNameChar(text[end]))
        {
            end++;
        }

        string name = VariableNames.Get(text.AsSpan(start, end - start));
        if (name.Length == 0 || end >= text.Length)
        {
            // Not a substitution BuildKit accepts; keep it as written.
            output.Append(text, i, Math.Min(text.Length, end + 1) - i);
            i = Math.Min(text.Length, end + 1);
            return;
        }

        var value = state.Lookup.Find(name);
        bool known = value?.Value is not null;
        bool set = value is not null; // declared, even without a known value
        string? current = value?.Value;

        char op = text[end];
        if (op == '}')
        {
            if (known)
            {
                state.Substitute(output, name, current!);
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

        if (depth + 1 > MaxExpansionDepth)
        {
            state.Stop(name, $"${{…}} is nested more than {MaxExpansionDepth} levels deep");
            return;
        }

        // The word is expanded into the output itself and cut off again when the value is used instead: a builder
        // for each ${X:-default} was the one allocation left in expanding it.
        int wordStart = output.Length;
        int j = opIndex + 1;
        var wordUnresolved = default(Unknowns);
        ExpandInto(state, ref j, output, ref wordUnresolved, depth + 1);
        i = Math.Min(text.Length, j + 1);
        if (state.Stopped)
        {
            return;
        }

        bool empty = known && current!.Length == 0;
        switch (kind)
        {
            case '-':
                // An unknown value (no default, no build arg we can see) takes the written default.
                if (!known || (colon && empty))
                {
                    unresolved.AddAll(wordUnresolved);
                }
                else
                {
                    output.Length = wordStart;
                    state.Substitute(output, name, current!);
                }

                break;
            case '+':
                if (known && !(colon && empty))
                {
                    unresolved.AddAll(wordUnresolved);
                }
                else
                {
                    output.Length = wordStart;
                    if (!known && set)
                    {
                        unresolved.Add(name);
                    }
                }

                break;
            default: // '?': the value or a build error
                output.Length = wordStart;
                if (known && !(colon && empty))
                {
                    state.Substitute(output, name, current!);
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
