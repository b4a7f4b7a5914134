using System.Collections.Immutable;

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
public sealed record Instruction
{
    /// <summary>Upper-case keyword: FROM, RUN, USER … (unknown keywords are kept as written, upper-cased).</summary>
    public required string Keyword { get; init; }

    /// <summary>First line (1-based) of the instruction in the original text.</summary>
    public required int StartLine { get; init; }

    /// <summary>Last line (1-based), including continuation lines and heredoc bodies.</summary>
    public required int EndLine { get; init; }

    /// <summary>Leading whitespace of the first line, so fixes can match indentation.</summary>
    public string Indent { get; init; } = "";

    /// <summary>Flags before the arguments (<c>--from=build</c>, <c>--chown=…</c>, <c>--platform=…</c>).</summary>
    public ImmutableArray<InstructionFlag> Flags { get; init; } = [];

    /// <summary>
    /// The arguments after keyword and flags as one logical line: continuations joined, comment lines
    /// inside a continuation dropped, heredoc bodies excluded. Not variable-expanded.
    /// </summary>
    public string Arguments { get; init; } = "";

    /// <summary>True for the JSON (exec) form <c>["a","b"]</c>; then <see cref="JsonArguments"/> holds the items.</summary>
    public bool IsJsonForm { get; init; }

    public ImmutableArray<string> JsonArguments { get; init; } = [];

    public ImmutableArray<Heredoc> Heredocs { get; init; } = [];

    /// <summary>For ONBUILD, the instruction it carries (which does not apply to the image being built).</summary>
    public Instruction? OnBuild { get; init; }

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
