using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Review;
using static ReviewBot.GitHub.Tests.Review.TestFindings;

namespace ReviewBot.GitHub.Tests.Review;

/// <summary>
/// GitHub refuses a review or comment body over 65,536 characters and a check summary over 65,535: whatever
/// a pull request holds, every body fits, and what does not fit is counted per rule instead of dropped.
/// </summary>
public partial class SizeLimitTests
{
    private const int Findings = 3000;

    private static string NewFilePatch(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        return $"@@ -0,0 +1,{lines.Length} @@\n" + string.Concat(lines.Select(l => "+" + l + "\n"));
    }

    /// <summary>A Dockerfile of <see cref="Findings"/> sudo lines, each with a finding whose message quotes a longish line.</summary>
    private static (string Text, Finding[] Findings) Many()
    {
        var text = "FROM a\n" + string.Concat(Enumerable.Range(0, Findings).Select(i => $"RUN sudo step{i} {new string('x', 40)}\n"));
        var findings = Enumerable.Range(2, Findings).Select(l => Finding(Sudo, l, l, $"RUN sudo step{l - 2} {new string('x', 40)} installs sudo: @octocat")).ToArray();
        return (text, findings);
    }

    private static int More(string markdown, string pattern)
    {
        var match = Regex.Match(markdown, pattern);
        Assert.True(match.Success, $"no '{pattern}' in:\n{markdown[^Math.Min(2000, markdown.Length)..]}");
        return int.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Three_thousand_findings_outside_the_diff_fit_one_file_comment_and_the_rest_are_counted()
    {
        var (text, findings) = Many();

        var plan = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, findings), null)], new ReviewPlanOptions());

        var file = Assert.Single(plan.FileComments);
        Assert.InRange(file.Body.Length, 1, GitHubLimits.BodyLength);
        MarkdownChecker.AssertSafe(file.Body);
        int listed = file.Body.Split('\n').Count(l => l.StartsWith("- line ", StringComparison.Ordinal));
        int more = More(file.Body, @"- and ([\d,]+) more .*: RB005 × ([\d,]+)\n");
        Assert.Equal(Findings, listed + more);
        Assert.True(listed > 50, $"only {listed} listed");
        Assert.Equal(file.Fingerprints, Fingerprint.Parse(file.Body)); // only those shown are claimed as posted
        Assert.Equal(listed, file.Fingerprints.Length);
        Assert.StartsWith("3,000 warnings, nothing that blocks this pull request.", plan.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_thousand_findings_in_the_diff_fit_the_review_body_and_the_check_summary()
    {
        var (text, findings) = Many();

        var plan = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, findings), NewFilePatch(text))], new ReviewPlanOptions());

        Assert.Equal(ReviewPlanOptions.MaxInlineCommentsPerReview, plan.Comments.Length);
        Assert.InRange(plan.Body.Length, 1, GitHubLimits.BodyLength);
        MarkdownChecker.AssertSafe(plan.Body);
        int rows = plan.Body.Split('\n').Count(l => l.StartsWith("| `Dockerfile` |", StringComparison.Ordinal));
        Assert.Equal(plan.Overflow.Length, rows + More(plan.Body, @"And ([\d,]+) more: RB005 × [\d,]+\."));

        Assert.InRange(plan.Check.Summary.Length, 1, GitHubLimits.CheckRunSummaryLength);
        MarkdownChecker.AssertSafe(plan.Check.Summary);
        int summaryRows = plan.Check.Summary.Split('\n').Count(l => l.StartsWith("| ⚠️ | `Dockerfile`:", StringComparison.Ordinal));
        Assert.Equal(Findings, summaryRows + More(plan.Check.Summary, @"And ([\d,]+) more \(GitHub limits.*\): RB005 × [\d,]+\."));
        Assert.All(plan.Comments, c => Assert.InRange(c.Body.Length, 1, GitHubLimits.BodyLength));
    }

    [Fact]
    public void More_annotations_than_the_cap_keep_the_most_severe_and_count_the_rest()
    {
        var (text, findings) = Many();
        var errors = findings.Take(100).Select(f => f with { Rule = RootUser, Severity = Severity.Error });
        var all = errors.Concat(findings.Skip(100)).ToArray();

        var plan = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, all), null)], new ReviewPlanOptions());

        Assert.Equal(CheckSummary.MaxAnnotations, plan.Check.Annotations.Length);
        Assert.Equal(100, plan.Check.Annotations.Count(a => a.Level == AnnotationLevel.Failure));
        Assert.Equal(Findings - CheckSummary.MaxAnnotations, More(plan.Check.Summary, @"\n([\d,]+) more are not annotated .*: RB005 × ([\d,]+)\."));
        Assert.Contains("RB005 × 2,000.", plan.Check.Summary, StringComparison.Ordinal);
        Assert.All(plan.Check.AnnotationBatches(), b => Assert.InRange(b.Length, 1, GitHubLimits.AnnotationsPerRequest));
        Assert.Equal(CheckSummary.MaxAnnotations / GitHubLimits.AnnotationsPerRequest, plan.Check.AnnotationBatches().Count());
    }

    [Fact]
    public void Between_50_and_the_cap_every_finding_is_annotated_and_nothing_is_said_missing()
    {
        var text = "FROM a\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"RUN sudo {i}\n"));
        var plan = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, [.. Enumerable.Range(2, 60).Select(l => Finding(Sudo, l, l, "sudo"))]), null)], new ReviewPlanOptions());

        Assert.Equal(60, plan.Check.Annotations.Length);
        Assert.DoesNotContain("not annotated", plan.Check.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_suggestion_too_long_for_a_comment_becomes_a_comment_without_it_that_says_why()
    {
        var text = "FROM debian\nRUN echo hi\n";
        var huge = "RUN echo " + new string('a', 70 * 1024);
        var finding = Finding(Sudo, 2, 2, "x", new TextEdit(2, 2, huge + "\n"));

        var comment = Assert.Single(ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, finding), NewFilePatch(text))], new ReviewPlanOptions()).Comments);

        Assert.Null(comment.Suggestion);
        Assert.InRange(comment.Body.Length, 1, GitHubLimits.BodyLength);
        Assert.DoesNotContain("```suggestion", comment.Body, StringComparison.Ordinal);
        Assert.Contains("too long for a review comment", comment.Body, StringComparison.Ordinal);
        Assert.Equal([comment.Fingerprint], Fingerprint.Parse(comment.Body));
    }

    [Fact]
    public void A_70_KB_line_quoted_in_a_message_is_cut_in_every_body_and_annotation()
    {
        var user = new string('u', 70 * 1024);
        var text = $"FROM debian\nUSER {user}\n";
        var finding = Finding(RootUser, 2, 2, $"USER {user} resolves to root.");

        var plan = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, finding), NewFilePatch(text))], new ReviewPlanOptions { MaxInlineComments = 0 });
        var inline = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, finding), NewFilePatch(text))], new ReviewPlanOptions());
        var fileLevel = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, finding), null)], new ReviewPlanOptions());

        Assert.InRange(plan.Body.Length, 1, GitHubLimits.BodyLength);
        Assert.InRange(Assert.Single(inline.Comments).Body.Length, 1, GitHubLimits.BodyLength);
        Assert.InRange(Assert.Single(fileLevel.FileComments).Body.Length, 1, GitHubLimits.BodyLength);
        Assert.InRange(plan.Check.Summary.Length, 1, GitHubLimits.CheckRunSummaryLength);
        var annotation = Assert.Single(plan.Check.Annotations);
        Assert.InRange(Encoding.UTF8.GetByteCount(annotation.Message), 1, GitHubLimits.AnnotationMessageLength);
        Assert.InRange(annotation.Title.Length, 1, GitHubLimits.CheckRunTitleLength);
    }

    [Fact]
    public void Cutting_never_splits_a_surrogate_pair()
    {
        var emoji = string.Concat(Enumerable.Repeat("🐳", 10)); // each is two UTF-16 characters

        for (int max = 1; max < emoji.Length; max++)
        {
            var cut = Markdown.Truncate(emoji, max);
            Assert.InRange(cut.Length, 1, max);
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(cut); // throws on half a pair
        }
    }

    [Fact]
    public void Findings_the_engine_omitted_are_counted_in_the_body_and_summary_and_an_error_fails_the_check()
    {
        var text = "FROM debian\nRUN sudo x\n";
        var result = Result(text, Finding(Sudo, 2, 2, "sudo")) with { Omitted = [new OmittedFindings("RB001", 2950), new OmittedFindings("RB005", 12)] };
        var file = new ReviewFile("Dockerfile", text, result, NewFilePatch(text));

        var plan = ReviewPlanner.Plan([file], new ReviewPlanOptions());

        Assert.Equal(CheckConclusion.Failure, plan.Check.Conclusion);
        Assert.Contains("And 2,962 more that the engine counted but did not list (it keeps the most severe findings of a file): RB001 × 2,950, RB005 × 12.", plan.Body, StringComparison.Ordinal);
        Assert.Contains("And 2,962 more that the engine counted but did not list (it keeps the most severe findings of a file): RB001 × 2,950, RB005 × 12.", plan.Check.Summary, StringComparison.Ordinal);
        Assert.StartsWith("2,950 errors, 13 warnings", plan.Check.Title, StringComparison.Ordinal);

        var downgraded = ReviewPlanner.Plan([file], new ReviewPlanOptions { SeverityOverrides = ImmutableDictionaryOf("RB001", Severity.Notice) });
        Assert.Equal(CheckConclusion.Success, downgraded.Check.Conclusion);
    }

    private static System.Collections.Immutable.ImmutableDictionary<string, Severity> ImmutableDictionaryOf(string ruleId, Severity severity) =>
        System.Collections.Immutable.ImmutableDictionary.Create<string, Severity>(StringComparer.OrdinalIgnoreCase).Add(ruleId, severity);
}
