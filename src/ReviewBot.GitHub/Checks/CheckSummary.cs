using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ReviewBot.Analysis;

namespace ReviewBot.GitHub.Checks;

/// <summary>Builds the check run's title, summary table and annotations from the findings of a run.</summary>
public static class CheckSummary
{
    /// <summary>One analyzed file's findings, for the check run.</summary>
    public sealed record FileFindings(string Path, ImmutableArray<Finding> Findings, ImmutableArray<ParseDiagnostic> Diagnostics);

    public static CheckRunPlan Build(IReadOnlyList<FileFindings> files, CheckConclusion conclusionOnError, IReadOnlyList<string> notes)
    {
        var all = files.SelectMany(f => f.Findings.Select(x => (f.Path, Finding: x))).OrderBy(x => x.Path, StringComparer.Ordinal).ThenBy(x => x.Finding.Range.Start).ToList();
        int errors = all.Count(x => x.Finding.Severity == Severity.Error);
        int warnings = all.Count(x => x.Finding.Severity == Severity.Warning);
        int notices = all.Count - errors - warnings;
        var conclusion = errors > 0 ? conclusionOnError : CheckConclusion.Success;

        string title = files.Count == 0
            ? "No Dockerfile changed"
            : all.Count == 0
                ? $"No problems in {Plural(files.Count, "Dockerfile")}"
                : $"{Plural(errors, "error")}, {Plural(warnings, "warning")}, {Plural(notices, "notice")} in {Plural(files.Count, "Dockerfile")}";

        var summary = new StringBuilder();
        foreach (var note in notes)
        {
            summary.Append("> ").AppendLine(note.ReplaceLineEndings(" ")).AppendLine();
        }

        if (files.Count == 0)
        {
            summary.AppendLine("This pull request changes no Dockerfile, so there is nothing to check.");
        }
        else if (all.Count == 0)
        {
            summary.AppendLine("Every changed Dockerfile runs as a non-root user.");
        }
        else
        {
            summary.AppendLine("| File | Line | Rule | Severity | Problem |").AppendLine("|---|---|---|---|---|");
            foreach (var (path, finding) in all)
            {
                var row = $"| `{Cell(path)}` | {finding.Range} | {finding.RuleId} {Cell(finding.Rule.Name)} | {finding.Severity.ToString().ToLowerInvariant()} | {Cell(finding.Message)} |";
                if (summary.Length + row.Length + 200 > CheckRunPlan.MaxSummaryLength)
                {
                    summary.AppendLine().AppendLine("The table is cut here (GitHub limits a check summary to 65535 characters); the annotations list every finding.");
                    break;
                }

                summary.AppendLine(row);
            }
        }

        var diagnostics = files.SelectMany(f => f.Diagnostics.Select(d => (f.Path, d))).ToList();
        var annotations = all.Select(x => new CheckAnnotation(
                x.Path,
                Math.Max(1, x.Finding.Range.Start),
                Math.Max(1, x.Finding.Range.End),
                Level(x.Finding.Severity),
                Truncate($"{x.Finding.RuleId} {x.Finding.Rule.Title}", CheckRunPlan.MaxTitleLength),
                Truncate(x.Finding.Message, CheckRunPlan.MaxAnnotationMessageLength)))
            .Concat(diagnostics.Select(x => new CheckAnnotation(
                x.Path, Math.Max(1, x.d.Line), Math.Max(1, x.d.Line), AnnotationLevel.Warning, "Dockerfile could not be read fully", Truncate(x.d.Message, CheckRunPlan.MaxAnnotationMessageLength))))
            .ToImmutableArray();

        return new CheckRunPlan(conclusion, Truncate(title, CheckRunPlan.MaxTitleLength), summary.ToString(), annotations);
    }

    public static AnnotationLevel Level(Severity severity) => severity switch
    {
        Severity.Error => AnnotationLevel.Failure,
        Severity.Warning => AnnotationLevel.Warning,
        _ => AnnotationLevel.Notice,
    };

    private static string Plural(int count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");

    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
