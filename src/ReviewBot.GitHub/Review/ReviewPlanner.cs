using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Configuration;
using ReviewBot.GitHub.Diff;

namespace ReviewBot.GitHub.Review;

/// <summary>
/// Turns the engine's findings for the changed files into what one run posts: inline comments with
/// ```suggestion blocks for fixes that fit inside a diff hunk, one file-level comment per file for
/// everything else (with the fix as a ```diff), the review body, and the check run. Pure: no I/O, so
/// the App and the CLI's <c>review</c> command produce the same plan from the same input.
/// </summary>
public static class ReviewPlanner
{
    /// <summary>A line span on the RIGHT side, both ends inclusive.</summary>
    private readonly record struct Span(int Start, int End)
    {
        public bool Overlaps(Span other) => Start <= other.End && other.Start <= End;
    }

    private sealed record Unplaced(Finding Finding, string Fingerprint, bool WithFix, string Reason);

    public static ReviewPlan Plan(IReadOnlyList<ReviewFile> files, ReviewPlanOptions options)
    {
        var candidates = new List<InlineComment>();
        var fileComments = ImmutableArray.CreateBuilder<FileComment>();
        var fingerprints = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);

        int fileLevelProblems = 0;
        foreach (var file in files)
        {
            fileLevelProblems += PlanFile(file, options, candidates, fileComments, fingerprints);
        }

        var fresh = candidates.Where(c => !options.PostedFingerprints.Contains(c.Fingerprint))
            .OrderByDescending(c => c.Severity).ThenBy(c => c.Path, StringComparer.Ordinal).ThenBy(c => c.Line)
            .ToList();
        var inline = fresh.Take(options.MaxInlineComments).OrderBy(c => c.Path, StringComparer.Ordinal).ThenBy(c => c.Line).ToImmutableArray();
        var overflow = fresh.Skip(options.MaxInlineComments).ToImmutableArray();

        var suppressions = SuppressionTable.Of(files).ToList();
        var check = CheckSummary.Build(
            [.. files.Select(f => new CheckSummary.FileFindings(f.Path, f.Analysis.Findings, f.Analysis.Diagnostics) { Omitted = f.Analysis.Omitted })],
            options.ConclusionOnError,
            options.Notes,
            ruleId => options.SeverityOverrides.TryGetValue(ruleId, out var severity) ? severity : CheckSummary.DefaultSeverity(ruleId),
            options.Subject,
            suppressions);

        var fileLevel = fileComments.ToImmutable();
        return new ReviewPlan(options.Event, Body(files, options.MaxInlineComments, inline, overflow, fileLevel, fileLevelProblems, suppressions), inline, overflow, fileLevel, check, fingerprints.ToImmutable());
    }

    /// <returns>How many new problems go to the file comment (some may only be counted there, when they do not all fit).</returns>
    private static int PlanFile(
        ReviewFile file,
        ReviewPlanOptions options,
        List<InlineComment> candidates,
        ImmutableArray<FileComment>.Builder fileComments,
        ImmutableHashSet<string>.Builder fingerprints)
    {
        var document = file.Analysis.Document;
        var lines = document.Lines;
        FilePatch patch;
        string? patchProblem = null;
        try
        {
            patch = FilePatch.Parse(file.Patch);
        }
        catch (FormatException e)
        {
            patch = FilePatch.Empty;
            patchProblem = "GitHub's diff for this file could not be read (" + Markdown.Prose(e.Message) + "), so nothing is shown inline.";
        }

        if (file.Patch is null)
        {
            patchProblem = "GitHub sent no diff for this file (it is too large or binary), so nothing is shown inline.";
        }

        var takenEdits = new List<TextEdit>();
        var placedSpans = new List<Span>();
        var unplaced = new List<Unplaced>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var finding in file.Analysis.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Range.Start).ThenBy(f => f.RuleId, StringComparer.Ordinal))
        {
            var fp = Fingerprint.Of(finding, file.Path, document);
            if (!seen.Add(fp))
            {
                continue; // the same rule on the same instruction twice says nothing new
            }

            fingerprints.Add(fp);
            var edits = finding.Fix?.Edits ?? [];
            bool fixUsable = !edits.IsEmpty && FixApplier.Combine([new Fix("", [.. takenEdits]), finding.Fix!]).Length == takenEdits.Count + edits.Length;

            if (fixUsable)
            {
                if (TryPlace(edits, patch, lines.Length) is { } span && !placedSpans.Any(s => s.Overlaps(span)))
                {
                    takenEdits.AddRange(edits);
                    placedSpans.Add(span);
                    var suggestion = SuggestionText.Build(lines, span.Start, span.End, edits);
                    var body = CommentText.Inline(finding, suggestion, fp, options.RuleDocsBaseUrl);
                    bool fits = body.Length <= ReviewPlanOptions.MaxBodyLength;
                    if (!fits)
                    {
                        // A suggestion must hold the exact lines or nothing: a cut one would break the file on "Commit suggestion".
                        body = CommentText.Inline(finding, null, fp, options.RuleDocsBaseUrl, TooLongForSuggestion(suggestion));
                    }

                    candidates.Add(new InlineComment(
                        file.Path,
                        span.Start == span.End ? null : span.Start,
                        span.End,
                        body,
                        fp,
                        finding.RuleId,
                        finding.Severity,
                        finding.Message)
                    { Suggestion = fits ? [.. suggestion] : null });
                }
                else
                {
                    takenEdits.AddRange(edits);
                    unplaced.Add(new Unplaced(finding, fp, true, "the lines the fix changes are not all inside one hunk of this pull request's diff"));
                }

                continue;
            }

            var range = finding.Range;
            string? note = edits.IsEmpty ? null : "The fix overlaps another suggestion here; apply that one first and the next run will suggest the rest.";
            if (range.Start >= 1 && patch.InOneHunk(range.Start, range.End))
            {
                candidates.Add(new InlineComment(
                    file.Path,
                    range.Start == range.End ? null : range.Start,
                    range.End,
                    CommentText.Inline(finding, null, fp, options.RuleDocsBaseUrl, note),
                    fp,
                    finding.RuleId,
                    finding.Severity,
                    finding.Message));
            }
            else
            {
                unplaced.Add(new Unplaced(finding, fp, false, "the line is outside this pull request's diff"));
            }
        }

        var fresh = unplaced.Where(u => !options.PostedFingerprints.Contains(u.Fingerprint)).ToList();
        if (fresh.Count > 0)
        {
            var (body, shown) = FileCommentBody(file.Path, lines, fresh, patchProblem, options.RuleDocsBaseUrl);
            fileComments.Add(new FileComment(file.Path, body, shown));
        }

        return fresh.Count;
    }

    /// <summary>
    /// The smallest span inside one hunk that covers every replaced line and, for each insertion before
    /// line N, touches line N-1 or N (the insertion then replaces that line with itself plus the new lines).
    /// </summary>
    private static Span? TryPlace(ImmutableArray<TextEdit> edits, FilePatch patch, int lineCount)
    {
        foreach (var hunk in patch.Hunks)
        {
            if (hunk.NewCount == 0)
            {
                continue;
            }

            int start = int.MaxValue, end = int.MinValue;
            foreach (var edit in edits.Where(e => !e.IsInsertion))
            {
                start = Math.Min(start, edit.StartLine);
                end = Math.Max(end, edit.EndLine);
            }

            bool fits = true;
            foreach (var insertion in edits.Where(e => e.IsInsertion).OrderBy(e => e.StartLine))
            {
                int n = insertion.StartLine;
                if (start <= end)
                {
                    if (n > end + 1)
                    {
                        end = n - 1;
                    }
                    else if (n < start)
                    {
                        start = n;
                    }
                }
                else if (hunk.ContainsNewLine(n - 1))
                {
                    start = end = n - 1;
                }
                else if (hunk.ContainsNewLine(n))
                {
                    start = end = n;
                }
                else
                {
                    fits = false;
                    break;
                }
            }

            if (fits && start <= end && start >= hunk.NewStart && end <= hunk.NewEnd && end <= lineCount)
            {
                return new Span(start, end);
            }
        }

        return null;
    }

    private static string TooLongForSuggestion(IReadOnlyList<string> suggestion) =>
        $"The suggested change ({Markdown.Count(suggestion.Count)} lines, {Markdown.Count(suggestion.Sum(l => l.Length + 1))} characters) is too long for a review comment "
        + $"(GitHub takes at most {Markdown.Count(ReviewPlanOptions.MaxBodyLength)}), so it is not offered as a suggestion: run `reviewbot scan --fix` on the file, or apply the fix by hand.";

    /// <summary>
    /// The file comment, within <see cref="ReviewPlanOptions.MaxBodyLength"/>: the problems that fit, each with its
    /// marker, "and N more" for the rest (their fingerprints are not claimed, so a later run comments on them),
    /// and the combined fix of those shown as a diff when that fits too.
    /// </summary>
    private static (string Body, ImmutableArray<string> Shown) FileCommentBody(string path, IReadOnlyList<string> lines, List<Unplaced> items, string? patchProblem, string docsBaseUrl)
    {
        const string Intended = "\nIntended? Put `# reviewbot ignore=<rule>` on the line above the instruction, or disable the rule in `.github/reviewbot.yml`.\n";
        const int Reserve = 1000; // the "and N more" line

        var text = new StringBuilder();
        text.Append("**ReviewBot** found ").Append(items.Count == 1 ? "a problem" : $"{Markdown.Count(items.Count)} problems")
            .Append(" in ").Append(Markdown.CodeSpan(path)).Append(" that cannot be shown on the changed lines:\n\n");
        if (patchProblem is not null)
        {
            text.Append("> ").Append(patchProblem).Append("\n\n");
        }

        var shown = new List<Unplaced>();
        int markers = 0;
        foreach (var item in items)
        {
            var f = item.Finding;
            var line = string.Create(CultureInfo.InvariantCulture, $"- line {f.Range}: {CommentText.Headline(f)} ([doc]({CommentText.DocUrl(f, docsBaseUrl)}); {item.Reason})\n");
            int marker = Fingerprint.Marker(item.Fingerprint).Length + 1;
            if (text.Length + line.Length + markers + marker + Intended.Length + Reserve > ReviewPlanOptions.MaxBodyLength)
            {
                break;
            }

            text.Append(line);
            markers += marker;
            shown.Add(item);
        }

        if (shown.Count < items.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"- and {Markdown.Count(items.Count - shown.Count)} more (a comment holds at most {Markdown.Count(ReviewPlanOptions.MaxBodyLength)} characters; a later run comments on them): {Markdown.Tally(items.Skip(shown.Count).Select(i => i.Finding.RuleId))}\n");
        }

        var edits = FixApplier.Combine(shown.Where(i => i.WithFix).Select(i => i.Finding.Fix!));
        if (!edits.IsEmpty)
        {
            var diff = UnifiedDiff.ToText(UnifiedDiff.Create(path, lines, edits));
            var block = "\nThe fix, to apply by hand:\n\n" + MarkdownFence.Block("diff", diff);
            text.Append(text.Length + block.Length + markers + Intended.Length <= ReviewPlanOptions.MaxBodyLength
                ? block
                : $"\nThe fix is too long to show here ({Markdown.Count(diff.Count(c => c == '\n'))} lines of diff): run `reviewbot scan --fix` on the file.\n");
        }

        text.Append(Intended);
        foreach (var item in shown)
        {
            text.Append(Fingerprint.Marker(item.Fingerprint)).Append('\n');
        }

        return (text.ToString(), [.. shown.Select(i => i.Fingerprint)]);
    }

    private static string Body(IReadOnlyList<ReviewFile> files, int maxInline, ImmutableArray<InlineComment> inline, ImmutableArray<InlineComment> overflow, ImmutableArray<FileComment> fileComments, int fileLevelProblems, IReadOnlyList<SuppressionTable.FileSuppressions> suppressions)
    {
        // The suppressions are said in every review, within a share of the body the overflow rows cannot take.
        var suppressed = SuppressionTable.Section(suppressions, CheckSubject.PullRequest);
        int reserve = 2000 + suppressed.Length; // the closing lines: "and N more", omitted counts, file comments, suppressions

        var text = new StringBuilder();
        int total = inline.Length + overflow.Length + fileLevelProblems;
        text.Append(CultureInfo.InvariantCulture, $"**ReviewBot** keeps containers from running as root: {Markdown.Count(total)} new {(total == 1 ? "problem" : "problems")} in {Markdown.Count(files.Count)} changed {(files.Count == 1 ? "Dockerfile" : "Dockerfiles")}.");
        if (inline.Any(c => c.Suggestion is not null))
        {
            text.Append(" Each suggestion below can be applied with one click; apply them together with **Add suggestion to batch**.");
        }

        text.Append('\n');
        if (!overflow.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nA review carries at most {maxInline} inline comments; {Markdown.Count(overflow.Length)} more are listed here and in the check run, and are commented on in a later run:\n\n");
            text.Append("| File | Line | Rule | Problem |\n|---|---|---|---|\n");
            int listed = 0;
            foreach (var c in overflow)
            {
                var row = string.Create(CultureInfo.InvariantCulture, $"| {Markdown.TableCodeSpan(c.Path)} | {c.Line} | {c.RuleId} | {Markdown.TableProse(c.Message)} |\n");
                if (text.Length + row.Length + reserve > ReviewPlanOptions.MaxBodyLength)
                {
                    break;
                }

                text.Append(row);
                listed++;
            }

            if (listed < overflow.Length)
            {
                text.Append(CultureInfo.InvariantCulture, $"\nAnd {Markdown.Count(overflow.Length - listed)} more: {Markdown.Tally(overflow.Skip(listed).Select(c => c.RuleId))}.\n");
            }
        }

        var omitted = files.SelectMany(f => f.Analysis.Omitted).Where(o => o.Count > 0).ToList();
        if (omitted.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nAnd {Markdown.Count(omitted.Sum(o => o.Count))} more that the engine counted but did not list (it keeps the most severe findings of a file): {Markdown.Tally(omitted.Select(o => (o.RuleId, o.Count)))}.\n");
        }

        if (!fileComments.IsEmpty)
        {
            text.Append("\nProblems outside the changed lines are in file comments with the fix as a diff.\n");
        }

        text.Append(suppressed);

        return Markdown.TruncateLines(text.ToString(), ReviewPlanOptions.MaxBodyLength);
    }
}
