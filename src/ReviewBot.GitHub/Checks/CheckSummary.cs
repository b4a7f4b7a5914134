using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Rules;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Checks;

/// <summary>
/// Builds the check run's title, summary table and annotations from the findings of a run. Paths and messages
/// quote the pull request, so they reach the markdown summary only through <see cref="Markdown"/>; what does not
/// fit GitHub's limits is counted per rule ("and 2,950 more: RB005 × 2,950"), never dropped silently.
/// </summary>
public static class CheckSummary
{
    /// <summary>
    /// At most this many annotations per check run. Each 50 take one request (<see cref="GitHubLimits.AnnotationsPerRequest"/>)
    /// and GitHub allows about 80 content-creating requests a minute and 500 an hour, so 20 requests is the most
    /// one review should spend on them; the rest are counted in the summary.
    /// </summary>
    public const int MaxAnnotations = 1000;

    /// <summary>Room kept at the end of the summary for the "and N more" line and the omitted counts.</summary>
    private const int SummaryReserve = 2000;

    /// <summary>Notes (config problems, unread files …) take at most this much of the summary, so the findings keep the rest.</summary>
    private const int MaxNotesLength = 16_000;

    /// <summary>Where a finding's review comment sits (lines <paramref name="Start"/>..<paramref name="End"/>), whether it carries a one-click fix, and whether an earlier review posted it.</summary>
    public sealed record CommentPlace(int Start, int End, bool HasFix, bool Earlier);

    /// <summary>One analyzed file's findings, for the check run.</summary>
    public sealed record FileFindings(string Path, ImmutableArray<Finding> Findings, ImmutableArray<ParseDiagnostic> Diagnostics)
    {
        /// <summary>Findings the engine's per-file cap left out, counted per rule.</summary>
        public ImmutableArray<OmittedFindings> Omitted { get; init; } = [];

        /// <summary>Findings already there before the pull request (<c>check.fail_on: new</c>): listed and annotated as notices, never failing the check.</summary>
        public ImmutableHashSet<Finding> PreExisting { get; init; } = [];
    }

    /// <param name="files">The analyzed files.</param>
    /// <param name="conclusionOnError">Conclusion when an error-level finding remains, listed or omitted.</param>
    /// <param name="notes">Lines put at the top of the summary; they may quote the pull request.</param>
    /// <param name="omittedSeverity">The severity an omitted finding of a rule counts with; by default the rule's own.</param>
    /// <param name="subject">What the check is on; a pull request by default.</param>
    /// <param name="suppressions">The findings pragmas suppressed, listed at the end of the summary (room for them is kept when the findings' rows are cut).</param>
    /// <param name="places">Where the review's comments sit: their findings are annotated on the comment's lines, briefly.</param>
    /// <param name="docsBaseUrl">Where rule docs live.</param>
    /// <param name="links">Where each row's <c>file:line</c> links to (the file at the judged commit); null: not linked.</param>
    public static CheckRunPlan Build(
        IReadOnlyList<FileFindings> files,
        CheckConclusion conclusionOnError,
        IReadOnlyList<string> notes,
        Func<string, Severity>? omittedSeverity = null,
        CheckSubject? subject = null,
        IReadOnlyList<SuppressionTable.FileSuppressions>? suppressions = null,
        IReadOnlyDictionary<(string Path, Finding Finding), CommentPlace>? places = null,
        string docsBaseUrl = ReviewPlanOptions.DefaultRuleDocsBaseUrl,
        SourceLinks? links = null,
        bool complete = true)
    {
        places ??= new Dictionary<(string, Finding), CommentPlace>();
        suppressions ??= [];
        omittedSeverity ??= DefaultSeverity;
        subject ??= CheckSubject.PullRequest;
        var all = files.SelectMany(f => f.Findings.Select(x => (f.Path, Finding: x))).OrderBy(x => x.Path, StringComparer.Ordinal).ThenBy(x => x.Finding.Range.Start).ToList();
        var preExisting = files.SelectMany(f => f.PreExisting.Select(x => (f.Path, Finding: x))).ToHashSet();
        bool IsOld((string Path, Finding Finding) x) => preExisting.Contains(x);
        var old = all.Where(IsOld).ToList();
        var omitted = files.SelectMany(f => f.Omitted).Where(o => o.Count > 0).ToList();
        int omittedCount = omitted.Sum(o => o.Count);
        // What the check judges: the new findings, and those the engine only counted (they cannot be compared with the base).
        int Count(Severity severity) => all.Count(x => x.Finding.Severity == severity && !IsOld(x)) + omitted.Where(o => omittedSeverity(o.RuleId) == severity).Sum(o => o.Count);
        int errors = Count(Severity.Error);
        int warnings = Count(Severity.Warning);
        int notices = Count(Severity.Notice);
        var conclusion = errors > 0 ? conclusionOnError : CheckConclusion.Success;

        string title = files.Count == 0
            ? subject == CheckSubject.PullRequest ? "No Dockerfile changed" : "No Dockerfile"
            : all.Count + omittedCount == 0
                ? $"No problems in {Plural(files.Count, "Dockerfile")}"
                : errors + warnings + notices == 0
                    ? $"No new problems in {Plural(files.Count, "Dockerfile")}"
                    : Verdict(files, [.. all.Where(x => !IsOld(x))], errors, warnings, notices);
        if (old.Count > 0)
        {
            title += $" ({Markdown.Count(old.Count)} already there)";
        }

        int suppressed = SuppressionTable.Honoured(suppressions);
        if (suppressed > 0)
        {
            title += $" ({Markdown.Count(suppressed)} suppressed)";
        }

        var suppressionSection = SuppressionTable.Section(suppressions, subject);

        // The most severe findings are annotated first, then the parse problems, up to MaxAnnotations.
        var ranked = all.OrderByDescending(x => x.Finding.Severity).ToList();
        var annotated = ranked.Take(MaxAnnotations).ToList();
        var unannotated = ranked.Skip(MaxAnnotations).Select(x => x.Finding.RuleId).ToList();
        var diagnostics = files.SelectMany(f => f.Diagnostics.Select(d => (f.Path, Diagnostic: d))).ToList();
        var annotations = Annotations(annotated, diagnostics.Take(MaxAnnotations - annotated.Count), places, preExisting);
        int unannotatedDiagnostics = diagnostics.Count - (annotations.Length - annotated.Count);

        var summary = new StringBuilder();
        int notesShown = 0;
        foreach (var note in notes)
        {
            var quoted = "> " + Markdown.Prose(note) + "\n\n";
            if (summary.Length + quoted.Length > MaxNotesLength)
            {
                break;
            }

            summary.Append(quoted);
            notesShown++;
        }

        if (notesShown < notes.Count)
        {
            summary.Append(CultureInfo.InvariantCulture, $"> And {Markdown.Count(notes.Count - notesShown)} more notes.\n\n");
        }

        if (files.Count == 0)
        {
            // Incomplete, "nothing to check" would contradict the notes above and the check's failure.
            summary.Append(complete
                ? $"This {subject.Noun} {subject.Has} no Dockerfile, so there is nothing to check.\n"
                : $"No Dockerfile of this {subject.Noun} was checked: the notes above say why.\n");
        }
        else if (all.Count + omittedCount == 0)
        {
            summary.Append(suppressed > 0
                ? $"No problem counts against this check, but pragmas suppressed {Plural(suppressed, "finding")} (listed below).\n"
                : $"Every {subject.Changed}Dockerfile runs as a non-root user.\n");
        }
        else if (all.Count > 0)
        {
            summary.Append(NextStep(all, places, subject));
            if (old.Count > 0)
            {
                summary.Append(CultureInfo.InvariantCulture, $"\n\n{(old.Count == 1 ? "1 problem was" : Markdown.Count(old.Count) + " problems were")} already there before this {subject.Noun} (not blocking with `check.fail_on: new`): they are marked *already there* below and annotated as notices.");
            }

            summary.Append("\n\n| | Where | Rule |\n|---|---|---|\n");
            int listed = 0;
            foreach (var (path, finding, line) in all
                .Select(x => (x.Path, x.Finding, Line: places.TryGetValue(x, out var place) ? place.Start : x.Finding.Range.Start))
                .OrderBy(x => x.Path, StringComparer.Ordinal).ThenBy(x => x.Line))
            {
                string where = $"{Markdown.TableCodeSpan(path)}:{line.ToString(CultureInfo.InvariantCulture)}";
                if (links is not null)
                {
                    where = $"[{where}]({links.Line(path, line)})";
                }

                var row = $"| {Icon(finding.Severity)} | {where}{(IsOld((path, finding)) ? " (already there)" : "")} | [{finding.RuleId} · {Markdown.TableProse(finding.Rule.Title)}]({CommentText.DocUrl(finding, docsBaseUrl)}) |\n";
                if (summary.Length + row.Length + SummaryReserve + suppressionSection.Length > GitHubLimits.CheckRunSummaryLength)
                {
                    break;
                }

                summary.Append(row);
                listed++;
            }

            if (listed < all.Count)
            {
                summary.Append(CultureInfo.InvariantCulture, $"\nAnd {Markdown.Count(all.Count - listed)} more (GitHub limits a check summary to {Markdown.Count(GitHubLimits.CheckRunSummaryLength)} characters): {Markdown.Tally(all.Skip(listed).Select(x => x.Finding.RuleId))}.\n");
            }
        }

        if (unannotated.Count + unannotatedDiagnostics > 0)
        {
            var left = Markdown.Tally(unannotated) + (unannotatedDiagnostics > 0 ? $"{(unannotated.Count > 0 ? ", " : "")}parse problems × {Markdown.Count(unannotatedDiagnostics)}" : "");
            summary.Append(CultureInfo.InvariantCulture, $"\n{Markdown.Count(unannotated.Count + unannotatedDiagnostics)} more are not annotated (a check run here carries at most {Markdown.Count(MaxAnnotations)} annotations, to stay within GitHub's request limits): {left}.\n");
        }

        if (omittedCount > 0)
        {
            summary.Append(CultureInfo.InvariantCulture, $"\nAnd {Markdown.Count(omittedCount)} more that the engine counted but did not list (it keeps the most severe findings of a file): {Markdown.Tally(omitted.Select(o => (o.RuleId, o.Count)))}.\n");
        }

        summary.Append(suppressionSection);
        return new CheckRunPlan(conclusion, Markdown.Truncate(title, GitHubLimits.CheckRunTitleLength), Markdown.TruncateLines(summary.ToString(), GitHubLimits.CheckRunSummaryLength), annotations);
    }

    /// <summary>
    /// Annotations in file order, each field within GitHub's limits, in plain text (GitHub shows an annotation's
    /// message as it is, backticks and all). A finding the review comments on is annotated on the comment's lines and
    /// points there, rather than repeating it beside it in the diff.
    /// </summary>
    private static ImmutableArray<CheckAnnotation> Annotations(List<(string Path, Finding Finding)> findings, IEnumerable<(string Path, ParseDiagnostic Diagnostic)> diagnostics, IReadOnlyDictionary<(string Path, Finding Finding), CommentPlace> places, HashSet<(string Path, Finding Finding)> preExisting) =>
    [
        .. findings
            .OrderBy(x => x.Path, StringComparer.Ordinal).ThenBy(x => x.Finding.Range.Start)
            .Select(x => places.TryGetValue(x, out var place)
                ? new CheckAnnotation(x.Path, place.Start, place.End, Level(x, preExisting), AnnotationTitle(x.Finding), Pointer(place))
                : new CheckAnnotation(
                    x.Path,
                    Math.Max(1, x.Finding.Range.Start),
                    Math.Max(1, x.Finding.Range.End),
                    Level(x, preExisting),
                    AnnotationTitle(x.Finding),
                    Utf8Truncate((preExisting.Contains(x) ? AlreadyThere : "") + Wording.PlainSentence(x.Finding, CommentText.WhatToDo(x.Finding)), GitHubLimits.AnnotationMessageLength))),
        .. diagnostics.Select(x => new CheckAnnotation(
            x.Path, Math.Max(1, x.Diagnostic.Line), Math.Max(1, x.Diagnostic.Line), AnnotationLevel.Warning, "Dockerfile could not be read fully", Utf8Truncate(x.Diagnostic.Message, GitHubLimits.AnnotationMessageLength))),
    ];

    /// <summary>What a finding the base commit already had is told first, so it reads as a notice that does not block.</summary>
    public const string AlreadyThere = "Already there before this pull request (not blocking with check.fail_on: new). ";

    /// <summary>A finding's annotation level: a notice when it was already there, whatever its severity, so only new problems read as failures.</summary>
    private static AnnotationLevel Level((string Path, Finding Finding) x, HashSet<(string Path, Finding Finding)> preExisting) =>
        preExisting.Contains(x) ? AnnotationLevel.Notice : Level(x.Finding.Severity);

    private static string Pointer(CommentPlace place) =>
        (place.HasFix ? "One-click fix in ReviewBot's " : "Explained in ReviewBot's ") + (place.Earlier ? "earlier review." : "review.");

    private static string AnnotationTitle(Finding finding) => Markdown.Truncate($"{finding.RuleId} · {finding.Rule.Title}", GitHubLimits.CheckRunTitleLength);

    private static string Icon(Severity severity) => severity switch
    {
        Severity.Error => "❌",
        Severity.Warning => "⚠️",
        _ => "ℹ️",
    };

    /// <summary>
    /// The title: the counts that are not zero, the Dockerfiles they are in, and what the errors are
    /// ("2 errors, 3 warnings in 2 Dockerfiles: container runs as root").
    /// </summary>
    private static string Verdict(IReadOnlyList<FileFindings> files, List<(string Path, Finding Finding)> all, int errors, int warnings, int notices)
    {
        var counts = new List<string>();
        if (errors > 0)
        {
            counts.Add(Plural(errors, "error"));
        }

        if (warnings > 0)
        {
            counts.Add(Plural(warnings, "warning"));
        }

        if (notices > 0)
        {
            counts.Add(Plural(notices, "notice"));
        }

        var withFindings = all.Select(x => x.Path).ToHashSet(StringComparer.Ordinal);
        int withProblems = files.Count(f => withFindings.Contains(f.Path) || f.Omitted.Any(o => o.Count > 0));
        var title = $"{string.Join(", ", counts)} in {Plural(withProblems, "Dockerfile")}";
        var errorRules = all.Where(x => x.Finding.Severity == Severity.Error).Select(x => x.Finding.Rule).DistinctBy(r => r.Id).ToList();
        return errorRules.Count == 0 ? title : title + ": " + string.Join(", ", errorRules.Select(CommentText.TitleInSentence));
    }

    /// <summary>What to do next: where the one-click fixes are, and the command that fixes the files locally.</summary>
    private static string NextStep(List<(string Path, Finding Finding)> all, IReadOnlyDictionary<(string Path, Finding Finding), CommentPlace> places, CheckSubject subject)
    {
        var fixable = all.Where(x => x.Finding.Fix is { Edits.IsEmpty: false }).Select(x => x.Path).Distinct(StringComparer.Ordinal).ToList();
        string local = fixable.Count == 0
            ? "Each problem is explained in its annotation below."
            : $"Fix locally with {Markdown.CodeSpan("reviewbot scan --fix " + (fixable.Count <= 3 && fixable.All(IsShellWord) ? string.Join(' ', fixable) : "."))}.";
        bool inReview = subject == CheckSubject.PullRequest && places.Values.Any(p => p.HasFix);
        return "**Next step:** " + (inReview ? "commit the one-click fixes in ReviewBot's review, or " + char.ToLowerInvariant(local[0]) + local[1..] : local);
    }

    /// <summary>A path a shell takes as one word without quoting.</summary>
    private static bool IsShellWord(string path) => path.Length > 0 && path[0] != '-' && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '_' or '-');

    public static AnnotationLevel Level(Severity severity) => severity switch
    {
        Severity.Error => AnnotationLevel.Failure,
        Severity.Warning => AnnotationLevel.Warning,
        _ => AnnotationLevel.Notice,
    };

    /// <summary>A rule's default severity; an id the engine does not know counts as an error, so nothing unknown passes.</summary>
    public static Severity DefaultSeverity(string ruleId) => RuleRunner.Find(ruleId)?.DefaultSeverity ?? Severity.Error;

    private static string Plural(int count, string noun) => Markdown.Count(count) + " " + (count == 1 ? noun : noun + "s");

    /// <summary>
    /// GitHub states the annotation message limit as 64 KB: cut so the UTF-8 form fits, which also keeps it
    /// within 64 K characters, never between the halves of a surrogate pair.
    /// </summary>
    private static string Utf8Truncate(string text, int maxBytes)
    {
        if (text.Length * 3 <= maxBytes || System.Text.Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        int bytes = 3; // the "…"
        int keep = 0;
        while (keep < text.Length)
        {
            int width = char.IsHighSurrogate(text[keep]) && keep + 1 < text.Length && char.IsLowSurrogate(text[keep + 1]) ? 2 : 1;
            int size = width == 2 ? 4 : text[keep] < 0x80 ? 1 : text[keep] < 0x800 ? 2 : 3;
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            keep += width;
        }

        return text[..keep] + "…";
    }
}
