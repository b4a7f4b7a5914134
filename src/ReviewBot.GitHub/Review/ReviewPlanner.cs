using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Syntax;
using ReviewBot.GitHub.Checks;
using ReviewBot.Configuration;
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

    private sealed record Unplaced(Finding Finding, string Fingerprint, bool WithFix, string Reason, bool PreExisting);

    /// <summary>
    /// A document's lines made one at a time, as a suggestion or a diff reads them: all of a 4 MB file's lines as
    /// strings were 8 MB more per file, held by the document until the review was posted.
    /// </summary>
    private sealed class LinesOf(DockerfileDocument document) : IReadOnlyList<string>
    {
        public string this[int index] => document.Line(index + 1);

        public int Count => document.LineCount;

        public IEnumerator<string> GetEnumerator()
        {
            for (int line = 1; line <= document.LineCount; line++)
            {
                yield return document.Line(line);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public static ReviewPlan Plan(IReadOnlyList<ReviewFile> files, ReviewPlanOptions options)
    {
        var candidates = new List<InlineComment>();
        var fileComments = ImmutableArray.CreateBuilder<FileComment>();
        var fingerprints = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);

        var fileLevelProblems = new List<(string Path, Unplaced Problem)>();
        foreach (var file in files)
        {
            fileLevelProblems.AddRange(PlanFile(file, options, candidates, fileComments, fingerprints).Select(f => (file.Path, f)));
        }

        var fresh = candidates.Where(c => !options.PostedFingerprints.Contains(c.Fingerprint))
            .OrderByDescending(c => c.Severity).ThenBy(c => c.Path, StringComparer.Ordinal).ThenBy(c => c.Line)
            .ToList();
        var inline = fresh.Take(options.MaxInlineComments).OrderBy(c => c.Path, StringComparer.Ordinal).ThenBy(c => c.Line).ToImmutableArray();
        var overflow = fresh.Skip(options.MaxInlineComments).ToImmutableArray();

        var suppressions = SuppressionTable.Of(files).ToList();
        var check = CheckSummary.Build(
            [.. files.Select(f => new CheckSummary.FileFindings(f.Path, f.Analysis.Findings, f.Analysis.Diagnostics) { Omitted = f.Analysis.Omitted, PreExisting = f.PreExisting })],
            options.ConclusionOnError,
            options.Notes,
            ruleId => options.SeverityOverrides.TryGetValue(ruleId, out var severity) ? severity : CheckSummary.DefaultSeverity(ruleId),
            options.Subject,
            suppressions,
            Places(candidates, inline, options.PostedFingerprints),
            options.RuleDocsBaseUrl,
            options.Links,
            options.Complete);

        var fileLevel = fileComments.ToImmutable();
        var body = Body(files, options.MaxInlineComments, inline, overflow, fileLevel, fileLevelProblems, suppressions, check.Conclusion);
        return new ReviewPlan(options.Event, body, inline, overflow, fileLevel, check, fingerprints.ToImmutable());
    }

    /// <summary>
    /// Where each finding's review comment sits, for the check's annotations: those of this review (on the comment's
    /// lines, with or without its one-click fix) and those an earlier review posted. Overflow rows are no comment.
    /// </summary>
    private static Dictionary<(string Path, Finding Finding), CheckSummary.CommentPlace> Places(List<InlineComment> candidates, ImmutableArray<InlineComment> inline, IReadOnlySet<string> posted)
    {
        var posting = inline.Select(c => c.Fingerprint).ToHashSet(StringComparer.Ordinal);
        var places = new Dictionary<(string, Finding), CheckSummary.CommentPlace>();
        foreach (var c in candidates)
        {
            if (c.Finding is { } finding && (posting.Contains(c.Fingerprint) || posted.Contains(c.Fingerprint)))
            {
                places[(c.Path, finding)] = new CheckSummary.CommentPlace(c.FirstLine, c.Line, c.Suggestion is not null, Earlier: !posting.Contains(c.Fingerprint));
            }
        }

        return places;
    }

    /// <returns>The new problems that go to the file comment (some may only be counted there, when they do not all fit).</returns>
    private static List<Unplaced> PlanFile(
        ReviewFile file,
        ReviewPlanOptions options,
        List<InlineComment> candidates,
        ImmutableArray<FileComment>.Builder fileComments,
        ImmutableHashSet<string>.Builder fingerprints)
    {
        var document = file.Analysis.Document;
        var lines = new LinesOf(document);
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
            bool old = file.PreExisting.Contains(finding);
            var edits = finding.Fix?.Edits ?? [];
            bool fixUsable = !edits.IsEmpty && FixApplier.Combine([new Fix("", [.. takenEdits]), finding.Fix!]).Length == takenEdits.Count + edits.Length;

            if (fixUsable)
            {
                if (TryPlace(edits, patch, lines.Count) is { } span && !placedSpans.Any(s => s.Overlaps(span)))
                {
                    takenEdits.AddRange(edits);
                    placedSpans.Add(span);
                    var suggestion = SuggestionText.Build(lines, span.Start, span.End, edits);
                    var body = CommentText.Inline(finding, suggestion, fp, options.RuleDocsBaseUrl, preExisting: old);
                    bool fits = body.Length <= GitHubLimits.BodyLength;
                    if (!fits)
                    {
                        // A suggestion must hold the exact lines or nothing: a cut one would break the file on "Commit suggestion".
                        body = CommentText.Inline(finding, null, fp, options.RuleDocsBaseUrl, TooLongForSuggestion(suggestion), old);
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
                    { Suggestion = fits ? [.. suggestion] : null, Finding = finding, PreExisting = old });
                }
                else
                {
                    takenEdits.AddRange(edits);
                    unplaced.Add(new Unplaced(finding, fp, true, "the lines the fix changes are not all inside one hunk of this pull request's diff", old));
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
                    CommentText.Inline(finding, null, fp, options.RuleDocsBaseUrl, note, old),
                    fp,
                    finding.RuleId,
                    finding.Severity,
                    finding.Message)
                { Finding = finding, PreExisting = old });
            }
            else
            {
                unplaced.Add(new Unplaced(finding, fp, false, "the line is outside this pull request's diff", old));
            }
        }

        var fresh = unplaced.Where(u => !options.PostedFingerprints.Contains(u.Fingerprint)).ToList();
        if (fresh.Count > 0)
        {
            var (body, shown) = FileCommentBody(file.Path, lines, fresh, patchProblem, options.RuleDocsBaseUrl);
            fileComments.Add(new FileComment(file.Path, body, shown));
        }

        return fresh;
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
        + $"(GitHub takes at most {Markdown.Count(GitHubLimits.BodyLength)}), so it is not offered as a suggestion: run `reviewbot scan --fix` on the file, or apply the fix by hand.";

    /// <summary>
    /// The file comment, within <see cref="GitHubLimits.BodyLength"/>: the problems that fit, each with its
    /// marker, "and N more" for the rest (their fingerprints are not claimed, so a later run comments on them),
    /// and the combined fix of those shown as a diff when that fits too.
    /// </summary>
    private static (string Body, ImmutableArray<string> Shown) FileCommentBody(string path, IReadOnlyList<string> lines, List<Unplaced> items, string? patchProblem, string docsBaseUrl)
    {
        var ruleIds = items.Select(i => i.Finding.RuleId).Distinct(StringComparer.Ordinal).ToList();
        var intended = "\n" + (ruleIds.Count == 1
            ? CommentText.Silence(ruleIds[0])
            : $"Intended? Put {string.Join(" or ", ruleIds.Select(id => $"`{CommentText.SuppressionPragma(id)}`"))} on the line above the instruction, or disable the rule under `rules:` in `.github/reviewbot.yml`.") + "\n";
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
            var line = string.Create(CultureInfo.InvariantCulture, $"- line {f.Range}: {(item.PreExisting ? CommentText.AlreadyThereLabel + " " : "")}{CommentText.Headline(f)} ([{f.RuleId} doc]({CommentText.DocUrl(f, docsBaseUrl)}); {item.Reason})\n");
            int marker = Fingerprint.Marker(item.Fingerprint).Length + 1;
            if (text.Length + line.Length + markers + marker + intended.Length + Reserve > GitHubLimits.BodyLength)
            {
                break;
            }

            text.Append(line);
            markers += marker;
            shown.Add(item);
        }

        if (shown.Count < items.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"- and {Markdown.Count(items.Count - shown.Count)} more (a comment holds at most {Markdown.Count(GitHubLimits.BodyLength)} characters; a later run comments on them): {Markdown.Tally(items.Skip(shown.Count).Select(i => i.Finding.RuleId))}\n");
        }

        var edits = FixApplier.Combine(shown.Where(i => i.WithFix).Select(i => i.Finding.Fix!));
        if (!edits.IsEmpty)
        {
            var diff = UnifiedDiff.ToText(UnifiedDiff.Create(path, lines, edits));
            var block = "\nThe fix, to apply by hand:\n\n" + MarkdownFence.Block("diff", diff);
            text.Append(text.Length + block.Length + markers + intended.Length <= GitHubLimits.BodyLength
                ? block
                : $"\nThe fix is too long to show here ({Markdown.Count(diff.Count(c => c == '\n'))} lines of diff): run `reviewbot scan --fix` on the file.\n");
        }

        text.Append(intended);
        foreach (var item in shown)
        {
            text.Append(Fingerprint.Marker(item.Fingerprint)).Append('\n');
        }

        return (text.ToString(), [.. shown.Select(i => i.Fingerprint)]);
    }

    private static string Body(IReadOnlyList<ReviewFile> files, int maxInline, ImmutableArray<InlineComment> inline, ImmutableArray<InlineComment> overflow, ImmutableArray<FileComment> fileComments, List<(string Path, Unplaced Problem)> fileLevelProblems, IReadOnlyList<SuppressionTable.FileSuppressions> suppressions, CheckConclusion conclusion)
    {
        // The suppressions are said in every review, within a share of the body the overflow rows cannot take.
        var suppressed = SuppressionTable.Section(suppressions, CheckSubject.PullRequest);
        int reserve = 2000 + suppressed.Length; // the closing lines: "and N more", omitted counts, file comments, suppressions

        var text = new StringBuilder();
        var problems = inline.Concat(overflow).Select(c => (c.Path, c.Severity, c.RuleId, c.PreExisting))
            .Concat(fileLevelProblems.Select(p => (p.Path, p.Problem.Finding.Severity, p.Problem.Finding.RuleId, p.Problem.PreExisting)))
            .ToList();
        text.Append(Verdict(problems, conclusion));
        int fixes = inline.Count(c => c.Suggestion is not null);
        if (fixes == 1)
        {
            text.Append(" 1 comment carries a one-click fix.");
        }
        else if (fixes > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $" {(fixes == inline.Length ? fixes == 2 ? "Both comments" : "All " + Markdown.Count(fixes) + " comments" : Markdown.Count(fixes) + " comments")} carry a one-click fix; commit them together with *Add suggestion to batch*.");
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
                if (text.Length + row.Length + reserve > GitHubLimits.BodyLength)
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

        return Markdown.TruncateLines(text.ToString(), GitHubLimits.BodyLength);
    }

    /// <summary>
    /// The review's first line: how many new problems, whether they block the pull request, and what the errors are:
    /// "**1 error blocks this pull request**: container runs as root in `web/Dockerfile`; 4 warnings." No zero counts.
    /// </summary>
    private static string Verdict(List<(string Path, Severity Severity, string RuleId, bool PreExisting)> all, CheckConclusion conclusion)
    {
        // Problems the base commit already had are said apart: they do not block (check.fail_on: new).
        int old = all.Count(p => p.PreExisting);
        string already = old == 0 ? "" : $" {(old == 1 ? "1 problem was" : Markdown.Count(old) + " problems were")} already there before this pull request (not blocking with `check.fail_on: new`); {(old == 1 ? "its comment is" : "their comments are")} labelled *already there*.";
        var problems = all.Where(p => !p.PreExisting).ToList();
        var errors = problems.Where(p => p.Severity == Severity.Error).ToList();
        var parts = new List<string>();
        int warnings = problems.Count(p => p.Severity == Severity.Warning), notices = problems.Count(p => p.Severity == Severity.Notice);
        if (warnings > 0)
        {
            parts.Add(Plural(warnings, "warning"));
        }

        if (notices > 0)
        {
            parts.Add(Plural(notices, "notice"));
        }

        string others = string.Join(" and ", parts);
        if (errors.Count == 0)
        {
            return (problems.Count == 0 ? "No new problems." : $"{others}, nothing that blocks this pull request.") + already;
        }

        bool blocks = conclusion == CheckConclusion.Failure;
        string head = blocks
            ? $"**{Plural(errors.Count, "error")} {(errors.Count == 1 ? "blocks" : "block")} this pull request**"
            : $"**{Plural(errors.Count, "error")}** (the check does not block: `check.conclusion_on_error: neutral`)";
        var what = errors.GroupBy(e => e.RuleId, StringComparer.Ordinal).Select(g =>
        {
            var rule = Analysis.Rules.RuleRunner.Find(g.Key);
            var paths = g.Select(e => e.Path).Distinct(StringComparer.Ordinal).ToList();
            string where = paths.Count <= 3 ? string.Join(", ", paths.Select(Markdown.CodeSpan)) : $"{Markdown.Count(paths.Count)} Dockerfiles";
            return $"{(rule is null ? Markdown.Word(g.Key) : CommentText.TitleInSentence(rule))} in {where}";
        });
        return $"{head}: {string.Join("; ", what)}{(others.Length > 0 ? "; also " + others : "")}.{already}";
    }

    private static string Plural(int count, string noun) => Markdown.Count(count) + " " + (count == 1 ? noun : noun + "s");
}
