using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace ReviewBot.Analysis.Syntax;

/// <summary>A <c>--name=value</c> flag of an instruction (<c>--chown=app:app</c>); Value is null for a bare flag.</summary>
public sealed record InstructionFlag(string Name, string? Value);

/// <summary>A heredoc body attached to RUN/COPY/ADD. Its body is data, never instructions.</summary>
/// <param name="Delimiter">The word after &lt;&lt; or &lt;&lt;-, without quotes.</param>
/// <param name="StripTabs">&lt;&lt;- form: leading tabs are stripped from the body.</param>
/// <param name="Quoted">The delimiter was quoted: no expansion in the body.</param>
/// <param name="StartLine">Line of the first body line (1-based).</param>
/// <param name="EndLine">Line of the terminator, or the last line of the file when unterminated.</param>
/// <param name="Body">The body text, lines joined with \n.</param>
public sealed record Heredoc(string Delimiter, bool StripTabs, bool Quoted, int StartLine, int EndLine, string Body);

/// <summary>One instruction with its exact place in the original text.</summary>
/// <remarks>
/// What most instructions lack (indentation, flags, the JSON form, heredocs, ONBUILD's inner instruction) is kept apart,
/// made only for an instruction that has one of them: each instruction was 88 bytes with those as fields of its own,
/// 48 without, and a 4 MiB file has 200,000 of them.
/// </remarks>
public sealed record Instruction
{
    /// <summary>Upper-case keyword: FROM, RUN, USER … (unknown keywords are kept as written, upper-cased).</summary>
    public required string Keyword { get; init; }

    /// <summary>First line (1-based) of the instruction in the original text.</summary>
    public required int StartLine { get; init; }

    /// <summary>Last line (1-based), including continuation lines and heredoc bodies.</summary>
    public required int EndLine { get; init; }

    /// <summary>
    /// The arguments after keyword and flags as one logical line: continuations joined, comment lines
    /// inside a continuation dropped, heredoc bodies excluded. Not variable-expanded.
    /// </summary>
    public string Arguments { get; init; } = "";

    private Rare? _rare;

    /// <summary>Leading whitespace of the first line, so fixes can match indentation.</summary>
    public string Indent
    {
        get => _rare?.Indent ?? "";
        init => _rare = value.Length == 0 && _rare is null ? null : (_rare ?? Rare.None) with { Indent = value };
    }

    /// <summary>Flags before the arguments (<c>--from=build</c>, <c>--chown=…</c>, <c>--platform=…</c>).</summary>
    public ImmutableArray<InstructionFlag> Flags
    {
        get => _rare?.Flags ?? [];
        init => _rare = value.IsDefaultOrEmpty && _rare is null ? null : (_rare ?? Rare.None) with { Flags = value.IsDefault ? [] : value };
    }

    /// <summary>True for the JSON (exec) form <c>["a","b"]</c>; then <see cref="JsonArguments"/> holds the items.</summary>
    public bool IsJsonForm
    {
        get => _rare?.IsJsonForm ?? false;
        init => _rare = !value && _rare is null ? null : (_rare ?? Rare.None) with { IsJsonForm = value };
    }

    public ImmutableArray<string> JsonArguments
    {
        get => _rare?.JsonArguments ?? [];
        init => _rare = value.IsDefaultOrEmpty && _rare is null ? null : (_rare ?? Rare.None) with { JsonArguments = value.IsDefault ? [] : value };
    }

    public ImmutableArray<Heredoc> Heredocs
    {
        get => _rare?.Heredocs ?? [];
        init => _rare = value.IsDefaultOrEmpty && _rare is null ? null : (_rare ?? Rare.None) with { Heredocs = value.IsDefault ? [] : value };
    }

    /// <summary>For ONBUILD, the instruction it carries (which does not apply to the image being built).</summary>
    public Instruction? OnBuild
    {
        get => _rare?.OnBuild;
        init => _rare = value is null && _rare is null ? null : (_rare ?? Rare.None) with { OnBuild = value };
    }

    /// <summary>An instruction as the parser makes it: its rare parts made once, and only when it has any.</summary>
    /// <remarks>Each init accessor above sets a part on a copy of the others (a <c>with</c> copy of an instruction shares them).</remarks>
    [SetsRequiredMembers]
    internal Instruction(
        string keyword,
        int startLine,
        int endLine,
        string arguments,
        string indent,
        ImmutableArray<InstructionFlag> flags = default,
        bool isJsonForm = false,
        ImmutableArray<string> jsonArguments = default,
        ImmutableArray<Heredoc> heredocs = default,
        Instruction? onBuild = null)
    {
        Keyword = keyword;
        StartLine = startLine;
        EndLine = endLine;
        Arguments = arguments;
        if (indent.Length > 0 || !flags.IsDefaultOrEmpty || isJsonForm || !jsonArguments.IsDefaultOrEmpty || !heredocs.IsDefaultOrEmpty || onBuild is not null)
        {
            _rare = new Rare
            {
                Indent = indent,
                Flags = flags.IsDefault ? [] : flags,
                IsJsonForm = isJsonForm,
                JsonArguments = jsonArguments.IsDefault ? [] : jsonArguments,
                Heredocs = heredocs.IsDefault ? [] : heredocs,
                OnBuild = onBuild,
            };
        }
    }

    public Instruction()
    {
    }

    /// <summary>The rare parts of an instruction, compared by value with it.</summary>
    private sealed record Rare
    {
        public static readonly Rare None = new();

        public string Indent { get; init; } = "";

        public ImmutableArray<InstructionFlag> Flags { get; init; } = [];

        public bool IsJsonForm { get; init; }

        public ImmutableArray<string> JsonArguments { get; init; } = [];

        public ImmutableArray<Heredoc> Heredocs { get; init; } = [];

        public Instruction? OnBuild { get; init; }
    }

    public LineRange Range => new(StartLine, EndLine);

    public string? GetFlag(string name)
    {
        foreach (var flag in Flags)
        {
            if (string.Equals(flag.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return flag.Value ?? "";
            }
        }

        return null;
    }

    public bool Is(string keyword) => string.Equals(Keyword, keyword, StringComparison.Ordinal);

    public override string ToString() => $"{StartLine}: {Keyword} {Arguments}";
}

/// <summary>A parser directive at the top of the file (<c># syntax=…</c>, <c># escape=`</c>).</summary>
public sealed record ParserDirective(string Name, string Value, int Line);

/// <summary>A whole-line comment outside heredoc bodies (pragmas such as <c># reviewbot ignore=RB001</c> live here).</summary>
public sealed record Comment(int Line, string Text);
