using System.Collections.Immutable;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Rules;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Diff;
using ReviewBot.GitHub.Review;
using static ReviewBot.GitHub.Tests.Review.TestFindings;

namespace ReviewBot.GitHub.Tests.Review;

public class ReviewPlannerTests
{
    private const string Dockerfile = "FROM debian:bookworm-slim\nCOPY app /app\nCMD [\"/app/run\"]\n";

    private static readonly TextEdit[] RootFix =
    [
        new(2, 1, "RUN groupadd --system --gid 10001 appgroup && useradd --system --uid 10001 --gid appgroup --no-create-home appuser\n"),
        new(2, 2, "COPY --chown=appuser:appgroup app /app\n"),
        new(3, 2, "USER appuser\n"),
    ];

    private static string NewFilePatch(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        return $"@@ -0,0 +1,{lines.Length} @@\n" + string.Concat(lines.Select(l => "+" + l + "\n"));
    }

    private static ReviewPlan PlanOne(string text, string? patch, params Finding[] findings) =>
        ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, findings), patch)], new ReviewPlanOptions());

    /// <summary>Applies a planned suggestion the way GitHub does: lines start..line replaced by the suggested lines.</summary>
    private static string ApplySuggestion(string text, InlineComment comment)
    {
        var lines = text.TrimEnd('\n').Split('\n').ToList();
        lines.RemoveRange(comment.FirstLine - 1, comment.Line - comment.FirstLine + 1);
        lines.InsertRange(comment.FirstLine - 1, comment.Suggestion!.Value.ToArray());
        return lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";
    }

    [Fact]
    public void A_fix_inside_one_hunk_becomes_one_suggestion_equal_to_the_engine_fix()
    {
        var finding = Finding(RootUser, 3, 3, "The image runs as root.", RootFix);

        var plan = PlanOne(Dockerfile, NewFilePatch(Dockerfile), finding);

        var comment = Assert.Single(plan.Comments);
        Assert.Equal("Dockerfile", comment.Path);
        Assert.Null(comment.StartLine); // both insertions touch the replaced line 2: one line is enough
        Assert.Equal(2, comment.Line);
        Assert.Equal(FixApplier.Apply(Dockerfile, RootFix), ApplySuggestion(Dockerfile, comment));
        Assert.Contains("```suggestion\nRUN groupadd", comment.Body);
        Assert.Contains("COPY --chown=appuser:appgroup app /app\nUSER appuser\n```", comment.Body);
        Assert.Contains("docs/rules/RB001.md", comment.Body);
        Assert.Contains("# reviewbot ignore=RB001", comment.Body);
        Assert.EndsWith(Fingerprint.Marker(comment.Fingerprint), comment.Body);
        Assert.Empty(plan.FileComments);
        Assert.Equal(CheckConclusion.Failure, plan.Check.Conclusion);
    }

    [Fact]
    public void An_insertion_alone_replaces_the_line_before_it_with_itself_plus_the_new_line()
    {
        var finding = Finding(RootUser, 3, 3, "The image runs as root.", new TextEdit(3, 2, "USER nobody\n"));

        var comment = Assert.Single(PlanOne(Dockerfile, NewFilePatch(Dockerfile), finding).Comments);

        Assert.Equal(2, comment.Line);
        Assert.Equal(["COPY app /app", "USER nobody"], comment.Suggestion!.Value.ToArray());
    }

    [Fact]
    public void An_insertion_at_the_top_of_a_hunk_uses_the_line_after_it()
    {
        // Only CMD (line 3) is in the diff; the USER line goes before it.
        var patch = "@@ -3 +3 @@\n-CMD [\"/app/old\"]\n+CMD [\"/app/run\"]\n";
        var finding = Finding(RootUser, 3, 3, "The image runs as root.", new TextEdit(3, 2, "USER nobody\n"));

        var comment = Assert.Single(PlanOne(Dockerfile, patch, finding).Comments);

        Assert.Null(comment.StartLine);
        Assert.Equal(3, comment.Line);
        Assert.Equal(["USER nobody", "CMD [\"/app/run\"]"], comment.Suggestion!.Value.ToArray());
    }

    [Fact]
    public void Edits_spread_over_a_hunk_become_a_multi_line_suggestion_with_start_line()
    {
        var text = "FROM debian\nRUN a\nRUN b\nRUN c\nCMD x\n";
        var edits = new[] { new TextEdit(2, 2, "RUN a2\n"), new TextEdit(4, 4, "RUN c2\n") };

        var comment = Assert.Single(PlanOne(text, NewFilePatch(text), Finding(Sudo, 2, 4, "sudo", edits)).Comments);

        Assert.Equal(2, comment.StartLine);
        Assert.Equal(4, comment.Line);
        Assert.Equal(["RUN a2", "RUN b", "RUN c2"], comment.Suggestion!.Value.ToArray());
        Assert.Equal(FixApplier.Apply(text, edits), ApplySuggestion(text, comment));
    }

    [Fact]
    public void A_fix_outside_the_diff_goes_into_one_file_comment_with_the_fix_as_a_diff()
    {
        // The PR only touched CMD; the fix must also change line 2, which is not in the diff.
        var patch = "@@ -3 +3 @@\n-CMD [\"/app/old\"]\n+CMD [\"/app/run\"]\n";
        var finding = Finding(RootUser, 3, 3, "The image runs as root.", RootFix);
        var sudo = Finding(Sudo, 1, 1, "sudo is installed.");

        var plan = PlanOne(Dockerfile, patch, finding, sudo);

        Assert.Empty(plan.Comments);
        var file = Assert.Single(plan.FileComments);
        Assert.Equal("Dockerfile", file.Path);
        Assert.Equal(2, file.Fingerprints.Length);
        Assert.Contains("RB001", file.Body);
        Assert.Contains("RB005", file.Body);
        Assert.Contains(
            "```diff\n--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,5 @@\n FROM debian:bookworm-slim\n" +
            "-COPY app /app\n+RUN groupadd --system --gid 10001 appgroup && useradd --system --uid 10001 --gid appgroup --no-create-home appuser\n" +
            "+COPY --chown=appuser:appgroup app /app\n+USER appuser\n CMD [\"/app/run\"]\n```",
            file.Body);
        Assert.All(file.Fingerprints, fp => Assert.Contains(Fingerprint.Marker(fp), file.Body));
        Assert.Equal(2, plan.Check.Annotations.Length); // and the check run still lists both
    }

    [Fact]
    public void Without_a_patch_nothing_is_inline_and_the_file_comment_says_why()
    {
        var plan = PlanOne(Dockerfile, null, Finding(RootUser, 3, 3, "root", RootFix));

        Assert.Empty(plan.Comments);
        Assert.Contains("GitHub sent no diff", Assert.Single(plan.FileComments).Body);
    }

    [Fact]
    public void A_finding_without_a_fix_inside_the_diff_is_an_inline_comment_without_suggestion()
    {
        var text = "FROM debian\nRUN apt-get install -y \\\n    sudo\nUSER app\n";
        var comment = Assert.Single(PlanOne(text, NewFilePatch(text), Finding(Sudo, 2, 3, "sudo is installed.")).Comments);

        Assert.Equal(2, comment.StartLine);
        Assert.Equal(3, comment.Line);
        Assert.Null(comment.Suggestion);
        Assert.DoesNotContain("```suggestion", comment.Body);
    }

    [Theory]
    [InlineData("RUN echo ok\n", "```")]
    [InlineData("RUN echo ```x```\n", "````")]
    [InlineData("RUN echo `````\n", "``````")]
    public void The_suggestion_fence_is_longer_than_any_backtick_run_in_the_text(string newLine, string fence)
    {
        var text = "FROM debian\nRUN echo hi\n";
        var comment = Assert.Single(PlanOne(text, NewFilePatch(text), Finding(Sudo, 2, 2, "x", new TextEdit(2, 2, newLine))).Comments);

        Assert.Contains("\n" + fence + "suggestion\n" + newLine + fence + "\n", comment.Body);
        Assert.DoesNotContain(fence + "`", comment.Body.Replace(newLine, "", StringComparison.Ordinal));
    }

    [Fact]
    public void Overlapping_fixes_do_not_both_become_suggestions()
    {
        var chown = Finding(CopyWithoutChown, 2, 2, "COPY without --chown.", new TextEdit(2, 2, "COPY --chown=a:a app /app\n"));

        var plan = PlanOne(Dockerfile, NewFilePatch(Dockerfile), Finding(RootUser, 3, 3, "root", RootFix), chown);

        Assert.Equal(2, plan.Comments.Length);
        Assert.Single(plan.Comments, c => c.Suggestion is not null && c.RuleId == "RB001");
        var rest = Assert.Single(plan.Comments, c => c.RuleId == "RB003");
        Assert.Null(rest.Suggestion);
        Assert.Contains("overlaps another suggestion", rest.Body);
    }

    [Fact]
    public void More_than_30_comments_keeps_30_inline_and_summarizes_the_rest_in_the_body()
    {
        var text = "FROM a\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"RUN sudo step{i}\n"));
        var findings = Enumerable.Range(2, 40).Select(line => Finding(Sudo, line, line, $"sudo on line {line}")).ToArray();

        var plan = PlanOne(text, NewFilePatch(text), findings);

        Assert.Equal(ReviewPlanOptions.MaxInlineCommentsPerReview, plan.Comments.Length);
        Assert.Equal(10, plan.Overflow.Length);
        Assert.Equal(40, plan.Fingerprints.Count);
        Assert.All(plan.Overflow, c => Assert.Contains($"| `Dockerfile` | {c.Line} | RB005 | sudo on line {c.Line} |", plan.Body));
        Assert.Contains("at most 30 inline comments", plan.Body);
        Assert.Equal(40, plan.Check.Annotations.Length);
    }

    [Fact]
    public void Errors_are_inline_before_notices_when_the_limit_is_hit()
    {
        var text = string.Concat(Enumerable.Range(0, 31).Select(i => $"RUN step{i}\n"));
        var findings = Enumerable.Range(1, 30).Select(l => Finding(CopyWithoutChown, l, l, "notice")).Append(Finding(RootUser, 31, 31, "root")).ToArray();

        var plan = PlanOne(text, NewFilePatch(text), findings);

        Assert.Contains(plan.Comments, c => c.RuleId == "RB001");
        Assert.Equal("RB003", Assert.Single(plan.Overflow).RuleId);
    }

    [Fact]
    public void Already_posted_fingerprints_are_not_posted_again_but_stay_in_the_check()
    {
        var finding = Finding(RootUser, 3, 3, "root", RootFix);
        var first = PlanOne(Dockerfile, NewFilePatch(Dockerfile), finding);

        var second = ReviewPlanner.Plan(
            [new ReviewFile("Dockerfile", Dockerfile, Result(Dockerfile, finding), NewFilePatch(Dockerfile))],
            new ReviewPlanOptions { PostedFingerprints = first.PostedFingerprints.ToHashSet() });

        Assert.Empty(second.Comments);
        Assert.False(second.HasReview);
        Assert.Equal(first.Fingerprints, second.Fingerprints);
        Assert.Equal(CheckConclusion.Failure, second.Check.Conclusion);
    }

    [Fact]
    public void Fingerprints_ignore_line_moves_and_whitespace_but_not_rule_path_or_instruction()
    {
        string Fp(string text, int line, RuleDescriptor rule, string path = "Dockerfile") =>
            Fingerprint.Of(Finding(rule, line, line, "m"), path, Result(text).Document);

        var original = Fp("FROM a\nCOPY app /app\n", 2, CopyWithoutChown);

        Assert.Equal(original, Fp("FROM a\nRUN x\n\nCOPY   app  /app\n", 4, CopyWithoutChown));
        Assert.Equal(original, Fp("FROM a\nCOPY app \\\n  /app\n", 2, CopyWithoutChown));
        Assert.NotEqual(original, Fp("FROM a\nCOPY app /app\n", 2, Sudo));
        Assert.NotEqual(original, Fp("FROM a\nCOPY app /app\n", 2, CopyWithoutChown, "web/Dockerfile"));
        Assert.NotEqual(original, Fp("FROM a\nCOPY other /app\n", 2, CopyWithoutChown));
        Assert.Equal([original], Fingerprint.Parse("text\n" + Fingerprint.Marker(original)));
    }

    [Fact]
    public void Check_conclusions_follow_severity_and_config()
    {
        var error = Finding(RootUser, 3, 3, "root");
        var warning = Finding(Sudo, 1, 1, "sudo");
        ReviewFile File(params Finding[] f) => new("Dockerfile", Dockerfile, Result(Dockerfile, f), NewFilePatch(Dockerfile));

        Assert.Equal(CheckConclusion.Failure, ReviewPlanner.Plan([File(error)], new()).Check.Conclusion);
        Assert.Equal(CheckConclusion.Neutral, ReviewPlanner.Plan([File(error)], new() { ConclusionOnError = CheckConclusion.Neutral }).Check.Conclusion);
        Assert.Equal(CheckConclusion.Success, ReviewPlanner.Plan([File(warning)], new()).Check.Conclusion);
        var clean = ReviewPlanner.Plan([File()], new());
        Assert.Equal(CheckConclusion.Success, clean.Check.Conclusion);
        Assert.False(clean.HasReview);
        var none = ReviewPlanner.Plan([], new());
        Assert.Equal("No Dockerfile changed", none.Check.Title);
        Assert.Equal(CheckConclusion.Success, none.Check.Conclusion);
    }

    [Fact]
    public void Check_annotations_come_in_batches_of_50()
    {
        var text = "FROM a\n" + string.Concat(Enumerable.Range(0, 110).Select(i => $"RUN sudo {i}\n"));
        var plan = PlanOne(text, null, [.. Enumerable.Range(2, 110).Select(l => Finding(Sudo, l, l, "sudo"))]);

        var batches = plan.Check.AnnotationBatches().ToList();

        Assert.Equal([50, 50, 10], batches.Select(b => b.Length));
        Assert.Equal(plan.Check.Annotations, batches.SelectMany(b => b));
        Assert.All(plan.Check.Annotations, a => Assert.Equal(AnnotationLevel.Warning, a.Level));
        Assert.Contains("| ⚠️ | `Dockerfile`:2 | [RB005 · sudo in an image](", plan.Check.Summary);
    }

    [Fact]
    public void Any_single_fix_inside_a_new_file_is_placed_and_its_suggestion_equals_the_applied_fix()
    {
        // Exhaustive over small edits: every replacement, deletion and insertion (alone and in pairs)
        // on a six-line file added by the PR must come out as one suggestion that gives FixApplier's text.
        var text = "FROM a\nRUN 1\nRUN 2\nRUN 3\nRUN 4\nCMD x\n";
        var patch = NewFilePatch(text);
        var single = new List<TextEdit>();
        for (int start = 1; start <= 7; start++)
        {
            single.Add(new TextEdit(start, start - 1, "USER u\n"));
            for (int end = start; end <= 6; end++)
            {
                single.Add(new TextEdit(start, end, "RUN new\n"));
                single.Add(new TextEdit(start, end, ""));
            }
        }

        int checkedCases = 0;
        foreach (var a in single)
        {
            foreach (var b in single.Prepend(null))
            {
                TextEdit[] edits = b is null ? [a] : [a, b];
                if (FixApplier.Combine([new Fix("", [.. edits])]).Length != edits.Length)
                {
                    continue; // overlapping pairs are not a valid fix
                }

                var comment = Assert.Single(PlanOne(text, patch, Finding(Sudo, 1, 1, "x", edits)).Comments);
                Assert.True(FixApplier.Apply(text, edits) == ApplySuggestion(text, comment), $"{string.Join(", ", edits.Select(e => e.ToString()))} at {comment.StartLine}..{comment.Line}");
                Assert.True(comment.StartLine is null || comment.StartLine < comment.Line);
                checkedCases++;
            }
        }

        Assert.True(checkedCases > 500, $"only {checkedCases} cases");
    }
}
