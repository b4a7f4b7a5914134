using System.Collections.Immutable;

namespace ReviewBot.Analysis;

/// <summary>How serious a finding is. Ordered: a higher value is more serious.</summary>
public enum Severity
{
    Notice = 0,
    Warning = 1,
    Error = 2,
}

/// <summary>A 1-based, inclusive range of lines in the original text.</summary>
public readonly record struct LineRange(int Start, int End)
{
    public static LineRange Single(int line) => new(line, line);
    public override string ToString() => Start == End ? Start.ToString() : $"{Start}-{End}";
}

/// <summary>
/// Replaces lines <see cref="StartLine"/>..<see cref="EndLine"/> (1-based, inclusive) of the original text
/// with <see cref="NewText"/>. An insertion before line N is <c>StartLine = N, EndLine = N - 1</c>;
/// an insertion at the end of a file with L lines is <c>StartLine = L + 1, EndLine = L</c>.
/// <see cref="NewText"/> is whole lines, each ending in the document's own line ending; empty deletes.
/// </summary>
public sealed record TextEdit(int StartLine, int EndLine, string NewText)
{
    public bool IsInsertion => EndLine == StartLine - 1;
}

/// <summary>A fix: exact edits against the original text, applied together.</summary>
public sealed record Fix(string Description, ImmutableArray<TextEdit> Edits);

/// <summary>
/// One problem a rule found. <see cref="Severity"/> may differ from the rule's default. <see cref="Message"/> is the
/// fact, said once: every output (review, check, CLI, SARIF) shows it after the rule's id and title, code quoted in
/// backticks (see <see cref="Wording"/>); the rule's <c>Why</c> is shown apart, so the message does not repeat it.
/// </summary>
public sealed record Finding(Rules.RuleDescriptor Rule, Severity Severity, LineRange Range, string Message, Fix? Fix = null)
{
    public string RuleId => Rule.Id;

    /// <summary>What to do, in the same voice, for a finding whose fix is not offered (or needs a step the fix cannot take); null when the fix says it all.</summary>
    public string? Advice { get; init; }
}

/// <summary>Findings of one rule left out of a result over <see cref="AnalyzerOptions.MaxFindingsPerFile"/>.</summary>
public sealed record OmittedFindings(string RuleId, int Count);

/// <summary>A problem reading the text itself (not a rule finding). Line 0 means the whole file.</summary>
public sealed record ParseDiagnostic(int Line, string Message);
