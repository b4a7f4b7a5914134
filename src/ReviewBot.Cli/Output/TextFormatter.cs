using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Output;

/// <summary>
/// Human output: <c>path:line: severity RBnnn message</c>, then the fix as a unified diff, then one summary line.
/// ANSI colors only when asked (a terminal without NO_COLOR).
/// </summary>
public sealed class TextFormatter(bool useColor)
{
    private const string Reset = "\e[0m", Bold = "\e[1m", Red = "\e[31m", Green = "\e[32m", Yellow = "\e[33m", Blue = "\e[34m", Cyan = "\e[36m", Dim = "\e[2m";

    public void Write(ScanReport report, TextWriter output)
    {
        foreach (var file in report.Files)
        {
            if (file.ReadError is not null)
            {
                output.WriteLine($"{Paint(file.Path, Bold)}: {Paint("error", Red)} {file.ReadError}");
            }

            foreach (var diagnostic in file.Diagnostics)
            {
                var where = diagnostic.Line > 0 ? $"{file.Path}:{diagnostic.Line}" : file.Path;
                output.WriteLine($"{Paint(where, Bold)}: {Paint("diagnostic", Dim)} {diagnostic.Message}");
            }

            var lines = file.Text is null ? null : UnifiedDiff.Lines(file.Text); // once per file, not per finding
            foreach (var finding in file.Findings)
            {
                output.WriteLine($"{Paint($"{file.Path}:{finding.Range.Start}", Bold)}: {Paint(SeverityName(finding.Severity), SeverityColor(finding.Severity))} {finding.RuleId} {finding.Message}");
                if (finding.Fix is { Edits.IsEmpty: false } fix && file.Text is not null)
                {
                    output.WriteLine($"  fix: {fix.Description}");
                    foreach (var line in UnifiedDiff.Create(file.Path, lines!, fix.Edits))
                    {
                        var text = line.Kind is ' ' or '-' or '+' ? line.Kind + line.Text : line.Text;
                        output.WriteLine(line.Kind switch
                        {
                            '-' => Paint(text, Red),
                            '+' => Paint(text, Green),
                            '@' => Paint(text, Cyan),
                            'h' => Paint(text, Bold),
                            _ => text,
                        });
                    }
                }
            }

            if (!file.Omitted.IsEmpty)
            {
                output.WriteLine($"{Paint(file.Path, Bold)}: {Paint("note", Dim)} and {file.OmittedCount:N0} more findings not shown (the per-file limit): {file.OmittedSummary}");
            }
        }

        output.WriteLine(Summary(report));
    }

    public static string SeverityName(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "notice",
    };

    private static string SeverityColor(Severity severity) => severity switch
    {
        Severity.Error => Red,
        Severity.Warning => Yellow,
        _ => Blue,
    };

    private string Paint(string text, string color) => useColor ? color + text + Reset : text;

    /// <summary>e.g. "12 files scanned: 2 errors, 1 warning, 0 notices in 3 files; 1 file fixed; 1 file could not be read".</summary>
    public static string Summary(ScanReport report)
    {
        int scanned = report.Files.Count(f => f.ReadError is null || f.Text is not null);
        int withFindings = report.Files.Count(f => !f.Findings.IsEmpty);
        var text = $"{Plural(scanned, "file")} scanned: ";
        text += withFindings == 0
            ? "no findings"
            : $"{Plural(report.Count(Severity.Error), "error")}, {Plural(report.Count(Severity.Warning), "warning")}, {Plural(report.Count(Severity.Notice), "notice")} in {Plural(withFindings, "file")}";
        int fixedFiles = report.Files.Count(f => f.FixedEdits > 0);
        if (fixedFiles > 0)
        {
            text += $"; {Plural(fixedFiles, "file")} fixed";
        }

        int errors = report.Files.Count(f => f.ReadError is not null);
        if (errors > 0)
        {
            text += $"; {Plural(errors, "file")} could not be read or written";
        }

        return text;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
