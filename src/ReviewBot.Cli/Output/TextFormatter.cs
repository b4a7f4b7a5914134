using System.Text;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Output;

/// <summary>
/// Human output, the way grep-able linters print it: one first line per finding, <c>path:line RBnnn severity: title</c>,
/// then, indented beneath it, the fact, what to do and the fix as a unified diff; a blank line between findings; prose
/// wrapped to <paramref name="width"/>, in plain text (the findings' backtick quoting is for markdown); one honest last
/// line. ANSI colors only when asked (a terminal without NO_COLOR).
/// </summary>
/// <param name="width">Columns to wrap prose at (the terminal's, or <see cref="DefaultWidth"/>).</param>
/// <param name="showDiff">False for <c>--no-diff</c>: the fix is described, not printed.</param>
public sealed class TextFormatter(bool useColor, int width = TextFormatter.DefaultWidth, bool showDiff = true)
{
    /// <summary>Columns prose is wrapped at when the width of the output is not known (not a terminal, no COLUMNS).</summary>
    public const int DefaultWidth = 100;

    /// <summary>Narrower than this, wrapping would leave a word or two a line: the text is wrapped at this width instead.</summary>
    private const int MinWidth = 40;

    private const string Indent = "    ";
    private const string Reset = "\e[0m", Bold = "\e[1m", Red = "\e[31m", Green = "\e[32m", Yellow = "\e[33m", Blue = "\e[34m", Cyan = "\e[36m", Dim = "\e[2m";

    public void Write(ScanReport report, TextWriter output)
    {
        bool first = true;
        void Separate()
        {
            if (!first)
            {
                output.WriteLine();
            }

            first = false;
        }

        foreach (var file in report.Files)
        {
            if (file.ReadError is not null)
            {
                Separate();
                output.WriteLine($"{Paint(file.Path, Bold)} {Paint("error", Red)}: {file.ReadError}");
            }

            foreach (var diagnostic in file.Diagnostics)
            {
                Separate();
                var where = diagnostic.Line > 0 ? $"{file.Path}:{diagnostic.Line}" : file.Path;
                output.WriteLine($"{Paint(where, Bold)} {Paint("diagnostic", Dim)}: {diagnostic.Message}");
            }

            var lines = file.Text is null ? null : UnifiedDiff.Lines(file.Text); // once per file, not per finding
            foreach (var finding in file.Findings)
            {
                Separate();
                output.WriteLine($"{Paint($"{file.Path}:{finding.Range.Start}", Bold)} {finding.RuleId} {Paint(SeverityName(finding.Severity), SeverityColor(finding.Severity))}: {finding.Rule.Title}");
                WriteProse(output, Wording.PlainSentence(finding, then: null));
                bool hasFix = finding.Fix is { Edits.IsEmpty: false } && file.Text is not null;
                if (hasFix)
                {
                    WriteProse(output, "Fix: " + Wording.Plain(finding.Fix!.Description));
                    if (showDiff)
                    {
                        WriteDiff(output, UnifiedDiff.Create(file.Path, lines!, finding.Fix.Edits));
                    }
                }
                else if (finding.Advice is { } advice)
                {
                    WriteProse(output, Wording.Plain(advice));
                }
            }

            if (!file.Omitted.IsEmpty)
            {
                Separate();
                output.WriteLine($"{Paint(file.Path, Bold)} {Paint("note", Dim)}: and {file.OmittedCount:N0} more findings not shown (the per-file limit): {file.OmittedSummary}");
            }
        }

        if (!first)
        {
            output.WriteLine();
        }

        output.WriteLine(Summary(report));
    }

    private void WriteDiff(TextWriter output, List<UnifiedDiff.DiffLine> diff)
    {
        foreach (var line in diff)
        {
            var text = line.Kind is ' ' or '-' or '+' ? line.Kind + line.Text : line.Text;
            output.WriteLine(Indent + line.Kind switch
            {
                '-' => Paint(text, Red),
                '+' => Paint(text, Green),
                '@' => Paint(text, Cyan),
                'h' => Paint(text, Bold),
                _ => text,
            });
        }
    }

    /// <summary>Prose, indented beneath its finding and wrapped at word boundaries; a word longer than a line stays whole.</summary>
    private void WriteProse(TextWriter output, string text)
    {
        foreach (var line in Wrap(text, Math.Max(MinWidth, width) - Indent.Length))
        {
            output.WriteLine(Indent + line);
        }
    }

    /// <summary><paramref name="text"/> in lines of at most <paramref name="columns"/> characters, broken at spaces.</summary>
    public static List<string> Wrap(string text, int columns)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > columns)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
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

    /// <summary>
    /// e.g. "5 Dockerfiles scanned, 4 with problems: 4 errors, 2 warnings; 1 fixed; 1 could not be read": no zero
    /// counts, and the files with problems counted once.
    /// </summary>
    public static string Summary(ScanReport report)
    {
        int scanned = report.Files.Count(f => f.ReadError is null || f.Text is not null);
        int withFindings = report.Files.Count(f => !f.Findings.IsEmpty || !f.Omitted.IsEmpty);
        var text = scanned == 0 ? "No Dockerfile found" : $"{Plural(scanned, "Dockerfile")} scanned";
        if (withFindings == 0)
        {
            text += scanned == 0 ? "" : ", no problems";
        }
        else
        {
            var counts = new List<string>();
            foreach (var (severity, noun) in new[] { (Severity.Error, "error"), (Severity.Warning, "warning"), (Severity.Notice, "notice") })
            {
                int count = report.Count(severity);
                if (count > 0)
                {
                    counts.Add(Plural(count, noun));
                }
            }

            string which = scanned == 1 ? "" : withFindings == scanned ? ", all with problems" : $", {withFindings:N0} with problems";
            text += $"{which}: {string.Join(", ", counts)}";
        }

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

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count:N0} {noun}s";
}
