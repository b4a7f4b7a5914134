using ReviewBot.Analysis;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Tests.Review;

/// <summary>
/// Issue 22 item 1, <c>check.fail_on: new</c>: which findings a pull request inherits from the base commit's version of
/// the file, and that no edit can make a new way of running as root look inherited.
/// </summary>
public class PreExistingTests
{
    private const string Root = "FROM debian:bookworm-slim\nRUN apt-get update\nCOPY app /app\nCMD [\"/app/run\"]\n";
    private const string NonRoot = "FROM debian:bookworm-slim\nRUN useradd --system app\nCOPY app /app\nUSER app\nCMD [\"/app/run\"]\n";

    private static AnalysisResult Analyze(string text) => DockerfileAnalyzer.Analyze(text, AnalyzerOptions.Default);

    private static (AnalysisResult Head, IReadOnlySet<Finding> Old) Compare(string baseText, string headText, string path = "Dockerfile")
    {
        var head = Analyze(headText);
        return (head, PreExisting.Of(path, head, Analyze(baseText)));
    }

    private static Finding RootFinding(AnalysisResult result) => Assert.Single(result.Findings, f => f.RuleId == "RB001");

    [Fact]
    public void Editing_an_unrelated_RUN_line_in_a_file_that_was_root_keeps_its_root_finding_old()
    {
        var (head, old) = Compare(Root, Root.Replace("RUN apt-get update", "RUN apt-get update && apt-get install -y curl"));

        Assert.Contains(RootFinding(head), old);
    }

    [Theory]
    [InlineData("USER app", "USER root")] // the user switched to root
    [InlineData("USER app\n", "")] // the USER line removed
    [InlineData("USER app", "USER 0")]
    [InlineData("CMD [\"/app/run\"]\n", "CMD [\"/app/run\"]\nFROM debian:bookworm-slim AS debug\n")] // a new final stage
    public void A_file_whose_base_ran_as_a_user_gets_a_new_root_finding_whatever_the_edit(string from, string to)
    {
        var (head, old) = Compare(NonRoot, NonRoot.Replace(from, to));

        Assert.DoesNotContain(RootFinding(head), old);
    }

    [Fact]
    public void The_same_instruction_root_for_another_reason_is_new()
    {
        // The FROM line's text does not change, but the image it names does (an ARG): the base's image was unknown, the head's is root.
        var baseText = "ARG BASE=registry.acme.io/golden/app:1\nFROM $BASE\nCMD [\"/app/run\"]\n";
        var (head, old) = Compare(baseText, baseText.Replace("registry.acme.io/golden/app:1", "debian:bookworm-slim"));

        Assert.Equal(Severity.Error, RootFinding(head).Severity);
        Assert.DoesNotContain(RootFinding(head), old);
    }

    [Fact]
    public void A_root_start_that_no_longer_steps_down_is_worse_so_new()
    {
        var baseText = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\nCOPY app /app\nENTRYPOINT [\"gosu\", \"app\", \"/app/run\"]\n";
        var baseFinding = RootFinding(Analyze(baseText));
        Assert.Equal(Severity.Notice, baseFinding.Severity);

        var (head, old) = Compare(baseText, baseText.Replace("[\"gosu\", \"app\", \"/app/run\"]", "[\"/app/run\"]"));

        Assert.Equal(Severity.Error, RootFinding(head).Severity);
        Assert.DoesNotContain(RootFinding(head), old);
    }

    [Fact]
    public void A_problem_that_now_appears_more_times_than_at_the_base_is_new_once_per_extra_copy()
    {
        var baseText = "FROM debian:bookworm-slim\nRUN apt-get install -y sudo\nUSER nobody\n";
        var headText = baseText.Replace("USER nobody", "RUN apt-get install -y sudo\nUSER nobody");

        var (head, old) = Compare(baseText, headText);

        var sudo = head.Findings.Where(f => f.RuleId == "RB005").ToList();
        Assert.Equal(2, sudo.Count);
        Assert.Single(sudo, old.Contains);
        Assert.Equal(
            Analyze(baseText).Findings.Count(f => f.RuleId == "RB005"),
            sudo.Count(old.Contains));
    }

    [Fact]
    public void A_raised_severity_is_new_even_with_the_same_fingerprint_and_message()
    {
        var head = Analyze(Root);
        var baseline = head with { Findings = [.. head.Findings.Select(f => f with { Severity = Severity.Warning })] };

        Assert.DoesNotContain(RootFinding(head), PreExisting.Of("Dockerfile", head, baseline));
        Assert.Contains(RootFinding(head), PreExisting.Of("Dockerfile", head, head));
    }

    [Fact]
    public void Base_findings_are_fingerprinted_under_the_heads_path_so_a_renamed_file_keeps_its_old_ones()
    {
        var (head, old) = Compare(Root, Root, "services/web/Dockerfile");

        Assert.Contains(RootFinding(head), old);
    }

    [Fact]
    public void The_check_fails_only_for_new_problems_and_says_which_were_already_there()
    {
        var text = Root.Replace("RUN apt-get update", "RUN apt-get update && apt-get install -y curl");
        var head = Analyze(text);
        var file = new ReviewFile("Dockerfile", text, head, "@@ -2 +2 @@\n-RUN apt-get update\n+RUN apt-get update && apt-get install -y curl\n")
        {
            PreExisting = PreExisting.Of("Dockerfile", head, Analyze(Root)),
        };

        var plan = ReviewPlanner.Plan([file], new ReviewPlanOptions());
        var all = ReviewPlanner.Plan([file with { PreExisting = [] }], new ReviewPlanOptions());

        Assert.Equal(CheckConclusion.Failure, all.Check.Conclusion);
        Assert.Equal(CheckConclusion.Success, plan.Check.Conclusion);
        Assert.StartsWith("No new problems in 1 Dockerfile (1 already there)", plan.Check.Title);
        Assert.Contains("1 problem was already there before this pull request (not blocking with `check.fail_on: new`)", plan.Check.Summary);
        Assert.Contains("`Dockerfile`:1 (already there)", plan.Check.Summary);
        var annotation = Assert.Single(plan.Check.Annotations, a => a.Title.StartsWith("RB001", StringComparison.Ordinal));
        Assert.Equal(AnnotationLevel.Notice, annotation.Level);
        Assert.Equal(AnnotationLevel.Failure, Assert.Single(all.Check.Annotations, a => a.Title.StartsWith("RB001", StringComparison.Ordinal)).Level);

        // The fix is still offered (the FROM line is outside the diff: in the file comment), labelled as already there.
        var comment = Assert.Single(plan.FileComments);
        Assert.Contains(CommentText.AlreadyThereLabel + " **RB001", comment.Body);
        Assert.Contains("```diff", comment.Body);
        Assert.StartsWith("No new problems. 1 problem was already there before this pull request", plan.Body);
        Assert.DoesNotContain("blocks this pull request", plan.Body);
    }

    [Fact]
    public void A_new_problem_beside_an_old_one_still_fails_and_only_the_new_one_blocks()
    {
        var head = Analyze(Root);
        var old = new ReviewFile("old/Dockerfile", Root, head, "@@ -2 +2 @@\n-RUN apt-get update\n+RUN apt-get update\n") { PreExisting = PreExisting.Of("old/Dockerfile", head, head) };
        var added = new ReviewFile("new/Dockerfile", Root, Analyze(Root), "@@ -0,0 +1,4 @@\n+" + Root.TrimEnd('\n').Replace("\n", "\n+") + "\n");

        var plan = ReviewPlanner.Plan([old, added], new ReviewPlanOptions());

        Assert.Equal(CheckConclusion.Failure, plan.Check.Conclusion);
        Assert.Contains("(1 already there)", plan.Check.Title);
        Assert.Equal(AnnotationLevel.Failure, Assert.Single(plan.Check.Annotations, a => a.Path == "new/Dockerfile" && a.Title.StartsWith("RB001", StringComparison.Ordinal)).Level);
        Assert.Equal(AnnotationLevel.Notice, Assert.Single(plan.Check.Annotations, a => a.Path == "old/Dockerfile" && a.Title.StartsWith("RB001", StringComparison.Ordinal)).Level);
        Assert.StartsWith("**1 error blocks this pull request**: container runs as root in `new/Dockerfile`", plan.Body);
        Assert.Contains("1 problem was already there before this pull request", plan.Body);
        Assert.DoesNotContain(CommentText.AlreadyThereLabel, Assert.Single(plan.Comments, c => c.Path == "new/Dockerfile").Body);
    }
}
