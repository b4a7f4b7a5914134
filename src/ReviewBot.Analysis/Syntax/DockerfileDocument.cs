using System.Collections.Immutable;

namespace ReviewBot.Analysis.Syntax;

/// <summary>A parsed Dockerfile: the original text, its lines, directives, instructions and diagnostics.</summary>
public sealed class DockerfileDocument
{
    internal DockerfileDocument(
        string text,
        ImmutableArray<string> lines,
        string newLine,
        char escape,
        bool hasBom,
        ImmutableArray<ParserDirective> directives,
        ImmutableArray<Instruction> instructions,
        ImmutableArray<Comment> comments,
        ImmutableArray<ParseDiagnostic> diagnostics)
    {
        Text = text;
        Lines = lines;
        NewLine = newLine;
        EscapeChar = escape;
        HasBom = hasBom;
        Directives = directives;
        Instructions = instructions;
        Comments = comments;
        Diagnostics = diagnostics;
    }

    /// <summary>The original text, exactly as given (a BOM, if any, included).</summary>
    public string Text { get; }

    /// <summary>The lines without their terminators; <c>Lines[0]</c> is line 1.</summary>
    public ImmutableArray<string> Lines { get; }

    public int LineCount => Lines.Length;

    /// <summary>The dominant line ending, used for text a fix writes.</summary>
    public string NewLine { get; }

    /// <summary>The escape character: '\\' or '`' (from <c># escape=</c>).</summary>
    public char EscapeChar { get; }

    public bool HasBom { get; }

    public ImmutableArray<ParserDirective> Directives { get; }

    public ImmutableArray<Instruction> Instructions { get; }

    public ImmutableArray<Comment> Comments { get; }

    public ImmutableArray<ParseDiagnostic> Diagnostics { get; }

    /// <summary>Line <paramref name="line"/> (1-based) without its terminator.</summary>
    public string Line(int line) => Lines[line - 1];

    /// <summary>Parses any text; never throws. Problems become <see cref="Diagnostics"/>.</summary>
    public static DockerfileDocument Parse(string text) => DockerfileParser.Parse(text);
}
