using System.Collections.Immutable;
using ReviewBot.Analysis;

namespace ReviewBot.Cli.Scanning;

/// <summary>
/// What one scanned file gave. <see cref="Text"/> is the text the findings' lines refer to (after
/// <c>--fix</c>, the rewritten text); it is null when the file could not be read, or the scan did not keep texts
/// (<see cref="Scanner.KeepText"/>).
/// </summary>
/// <param name="Path">The path shown to the user: relative to the current folder when inside it, / separators; <c>&lt;stdin&gt;</c> for standard input.</param>
/// <param name="FullPath">Absolute path on disk, or null for standard input.</param>
/// <param name="ReadError">Why the file could not be read, analyzed or written (without the path), or null.</param>
/// <param name="FixedEdits">How many line edits <c>--fix</c> wrote to the file.</param>
public sealed record FileReport(
    string Path,
    string? FullPath,
    string? Text,
    ImmutableArray<Finding> Findings,
    ImmutableArray<ParseDiagnostic> Diagnostics,
    string? ReadError = null,
    int FixedEdits = 0)
{
    public const string StandardInputPath = "<stdin>";

    /// <summary>Findings left out over the engine's per-file cap, counted per rule.</summary>
    public ImmutableArray<OmittedFindings> Omitted { get; init; } = [];

    /// <summary>"RB004 × 19,900, RB005 × 3", or "" when nothing was left out.</summary>
    public string OmittedSummary => string.Join(", ", Omitted.Select(o => $"{o.RuleId} × {o.Count:N0}"));

    public int OmittedCount => Omitted.Sum(o => o.Count);

    /// <summary>
    /// What a scan keeps of a report once it is written out: any error with the path it is about, and each finding's
    /// rule, severity and lines (what the exit code and a summary count), without the text, messages, fixes,
    /// diagnostics or the path of a file read without error. A scan that streams thousands of files then does not carry
    /// them all to its end: every collection copies what is kept from generation to generation (the corpus scan kept
    /// 360 bytes a file, half of them the path).
    /// </summary>
    public FileReport Written() =>
        new(ReadError is null ? "" : Path, null, null, [.. Findings.Select(f => new Finding(f.Rule, f.Severity, f.Range, ""))], [], ReadError, FixedEdits) { Omitted = Omitted };

    public static FileReport Unreadable(string path, string? fullPath, string error) =>
        new(path, fullPath, null, [], [], error);
}

/// <summary>All files of one scan, in the order they were named and walked.</summary>
public sealed record ScanReport(ImmutableArray<FileReport> Files, string RootDirectory)
{
    public bool HasReadErrors => Files.Any(f => f.ReadError is not null);

    public IEnumerable<Finding> AllFindings => Files.SelectMany(f => f.Findings);

    public int Count(Severity severity) => AllFindings.Count(f => f.Severity == severity);
}
