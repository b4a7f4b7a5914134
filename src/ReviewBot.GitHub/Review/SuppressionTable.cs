using System.Globalization;
using System.Text;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Checks;

namespace ReviewBot.GitHub.Review;

/// <summary>
/// The findings pragmas suppressed, for the check summary and the review body alike: rule, file, line, the pragma,
/// and whether the pull request added it; a pragma <c>check.suppressions: base</c> ignored is said to be ignored. A
/// pragma silences the gate, so it is never silent itself. Paths and pragmas are the author's text: code spans only.
/// Bounded in rows and characters; the rest are counted per rule.
/// </summary>
public static class SuppressionTable
{
    /// <summary>Rows listed at most; the rest are counted ("and 12 more").</summary>
    public const int MaxRows = 50;

    /// <summary>A pragma is one comment line of any length: it is shown cut to this many characters.</summary>
    public const int MaxPragmaLength = 120;

    /// <summary>A path shown cut to this many characters (GitHub's paths may be 4,096 long).</summary>
    public const int MaxPathLength = 200;

    /// <summary>
    /// The section takes at most this many characters of a check summary (65,535) or a review body (65,536), so the
    /// notes (16,000) and the findings keep the rest.
    /// </summary>
    public const int MaxLength = 16_000;

    /// <summary>One file's suppressions: the listed ones and how many the engine only counted.</summary>
    public sealed record FileSuppressions(string Path, IReadOnlyList<SuppressedFinding> Suppressed, int Omitted);

    public static IEnumerable<FileSuppressions> Of(IEnumerable<ReviewFile> files) =>
        files.Where(f => !f.Analysis.Suppressed.IsEmpty || f.Analysis.SuppressedOmitted > 0)
            .Select(f => new FileSuppressions(f.Path, f.Analysis.Suppressed, f.Analysis.SuppressedOmitted));

    /// <summary>Findings a pragma silenced (ignored ones not counted: they count as findings).</summary>
    public static int Honoured(IEnumerable<FileSuppressions> files) =>
        files.Sum(f => f.Suppressed.Count(s => !s.Ignored) + f.Omitted);

    /// <summary>The section, within <see cref="MaxLength"/> characters; empty when nothing was suppressed.</summary>
    public static string Section(IReadOnlyList<FileSuppressions> files, CheckSubject subject)
    {
        var all = files.SelectMany(f => f.Suppressed.Select(s => (f.Path, Suppressed: s)))
            .OrderBy(x => x.Path, StringComparer.Ordinal).ThenBy(x => x.Suppressed.Finding.Range.Start).ThenBy(x => x.Suppressed.Finding.RuleId, StringComparer.Ordinal)
            .ToList();
        int omitted = files.Sum(f => f.Omitted);
        if (all.Count + omitted == 0)
        {
            return "";
        }

        const int Reserve = 600; // the "and N more" line
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"\n**Suppressed by pragmas:** {Markdown.Count(all.Count + omitted)} {(all.Count + omitted == 1 ? "finding" : "findings")}.");
        int ignored = all.Count(x => x.Suppressed.Ignored);
        if (ignored > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Markdown.Count(ignored)} of them {(ignored == 1 ? "has a pragma" : "have pragmas")} this {subject.Noun} added, which {(ignored == 1 ? "was" : "were")} **ignored** because `check.suppressions: base` in the base branch's config honours only pragmas already in the base branch's version of the file: {(ignored == 1 ? "that finding counts" : "those findings count")}.");
        }

        text.Append(CultureInfo.InvariantCulture, $"\n\n| File | Line | Rule | Pragma | Added by this {subject.Noun} |\n|---|---|---|---|---|\n");
        int listed = 0;
        foreach (var (path, s) in all)
        {
            var row = string.Create(CultureInfo.InvariantCulture, $"| {Markdown.TableCodeSpan(Markdown.Truncate(path, MaxPathLength))} | {s.Finding.Range} | {s.Finding.RuleId} {Markdown.TableProse(s.Finding.Rule.Name)} | {Markdown.TableCodeSpan(Markdown.Truncate(s.Pragma.Text, MaxPragmaLength))} (line {s.Pragma.Line}) | {Origin(s)} |\n");
            if (listed == MaxRows || text.Length + row.Length + Reserve > MaxLength)
            {
                break;
            }

            text.Append(row);
            listed++;
        }

        if (listed < all.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nAnd {Markdown.Count(all.Count - listed)} more suppressed: {Markdown.Tally(all.Skip(listed).Select(x => x.Suppressed.Finding.RuleId))}.\n");
        }

        if (omitted > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nAnd {Markdown.Count(omitted)} more suppressed that the engine counted but did not list.\n");
        }

        return text.ToString();
    }

    private static string Origin(SuppressedFinding s) => s switch
    {
        { Ignored: true, Origin: PragmaOrigin.Added } => "yes: **ignored** (`check.suppressions: base`)",
        { Ignored: true } => "unknown: **ignored** (`check.suppressions: base`)",
        { Origin: PragmaOrigin.Added } => "yes",
        { Origin: PragmaOrigin.Base } => "no",
        _ => "not compared",
    };
}
