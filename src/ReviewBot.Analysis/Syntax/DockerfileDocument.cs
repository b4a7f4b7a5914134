using System.Collections.Immutable;

namespace ReviewBot.Analysis.Syntax;

/// <summary>A parsed Dockerfile: the original text, its lines, directives, instructions and diagnostics.</summary>
public sealed class DockerfileDocument
{
    internal DockerfileDocument(
        string text,
        LineIndex lines,
        string newLine,
        char escape,
        bool hasBom,
        ImmutableArray<ParserDirective> directives,
        ImmutableArray<Instruction> instructions,
        ImmutableArray<int> commentLines,
        ImmutableArray<ParseDiagnostic> diagnostics)
    {
        Text = text;
        _lines = lines;
        NewLine = newLine;
        EscapeChar = escape;
        HasBom = hasBom;
        Directives = directives;
        Instructions = instructions;
        _commentLines = commentLines;
        Diagnostics = diagnostics;
    }

    /// <summary>The original text, exactly as given (a BOM, if any, included).</summary>
    public string Text { get; }

    private readonly LineIndex _lines;
    private ImmutableArray<string> _lineStrings;

    /// <summary>The lines without their terminators; <c>Lines[0]</c> is line 1. Made on first use (<see cref="Line"/> reads one).</summary>
    public ImmutableArray<string> Lines
    {
        get
        {
            if (_lineStrings.IsDefault)
            {
                ImmutableInterlocked.InterlockedInitialize(ref _lineStrings, _lines.ToStrings());
            }

            return _lineStrings;
        }
    }

    public int LineCount => _lines.Count;

    /// <summary>The dominant line ending, used for text a fix writes.</summary>
    public string NewLine { get; }

    /// <summary>The escape character: '\\' or '`' (from <c># escape=</c>).</summary>
    public char EscapeChar { get; }

    public bool HasBom { get; }

    public ImmutableArray<ParserDirective> Directives { get; }

    public ImmutableArray<Instruction> Instructions { get; }

    private readonly ImmutableArray<int> _commentLines;
    private ImmutableArray<Comment> _comments;

    /// <summary>The whole-line comments, in line order. Made on first use (the engine reads <see cref="CommentLines"/> in place).</summary>
    public ImmutableArray<Comment> Comments
    {
        get
        {
            if (_comments.IsDefault)
            {
                var comments = ImmutableArray.CreateBuilder<Comment>(_commentLines.Length);
                foreach (int line in _commentLines)
                {
                    comments.Add(new Comment(line, CommentText(line).ToString()));
                }

                ImmutableInterlocked.InterlockedInitialize(ref _comments, comments.MoveToImmutable());
            }

            return _comments;
        }
    }

    /// <summary>The lines (1-based) of the whole-line comments, in order.</summary>
    internal ImmutableArray<int> CommentLines => _commentLines;

    /// <summary>The text of the comment on <paramref name="line"/> (from its #, to the end of the line), read in place.</summary>
    internal ReadOnlySpan<char> CommentText(int line) => _lines[line - 1].TrimStart();

    public ImmutableArray<ParseDiagnostic> Diagnostics { get; }

    /// <summary>Line <paramref name="line"/> (1-based) without its terminator.</summary>
    public string Line(int line) => (uint)(line - 1) < (uint)_lines.Count ? _lines.ToString(line - 1) : throw new ArgumentOutOfRangeException(nameof(line), line, $"the text has {_lines.Count} lines");

    /// <summary>Parses any text; never throws. Problems become <see cref="Diagnostics"/>.</summary>
    public static DockerfileDocument Parse(string text) => DockerfileParser.Parse(text);

    /// <summary>
    /// A text that is not a Dockerfile (a Compose file, a Kubernetes manifest) as lines only, no instructions: its
    /// findings are placed, fingerprinted and fixed by line through the same outputs as a Dockerfile's.
    /// </summary>
    public static DockerfileDocument PlainText(string text)
    {
        bool hasBom = text.Length > 0 && text[0] == '\uFEFF';
        var lines = LineIndex.Split(text, hasBom ? 1 : 0, out string newLine);
        return new DockerfileDocument(text, lines, newLine, '\\', hasBom, [], [], [], []);
    }
}
