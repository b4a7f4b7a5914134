using ReviewBot.GitHub.Checks;

namespace ReviewBot.GitHub.Tests.Checks;

/// <summary>The check of a commit several open pull requests share: the worst of their verdicts, each named.</summary>
public sealed class CommitVerdictTests
{
    private static CheckRunPlan Own(CheckConclusion conclusion, string summary = "own findings") =>
        new(conclusion, "No problems in 1 Dockerfile", summary, [new CheckAnnotation("Dockerfile", 1, 1, AnnotationLevel.Notice, "RB000", "note")]);

    [Fact]
    public void A_pull_request_alone_at_its_head_keeps_its_own_check()
    {
        var own = Own(CheckConclusion.Success);

        Assert.Same(own, CommitVerdict.Combine(2, own, [], 0));
    }

    [Theory]
    [InlineData(CheckConclusion.Success, CheckConclusion.Neutral, CheckConclusion.Neutral)]
    [InlineData(CheckConclusion.Neutral, CheckConclusion.Failure, CheckConclusion.Failure)]
    [InlineData(CheckConclusion.Failure, CheckConclusion.Success, CheckConclusion.Failure)]
    [InlineData(CheckConclusion.Success, CheckConclusion.Success, CheckConclusion.Success)]
    public void The_worst_verdict_wins_failure_before_neutral_before_success(CheckConclusion own, CheckConclusion other, CheckConclusion expected)
    {
        var check = CommitVerdict.Combine(2, Own(own), [new PullRequestVerdict(7, other, "1 error, 0 warnings, 0 notices in 1 Dockerfile")], 0);

        Assert.Equal(expected, check.Conclusion);
        Assert.Equal(other > own ? "#7: 1 error, 0 warnings, 0 notices in 1 Dockerfile" : "#2: No problems in 1 Dockerfile", check.Title);
        Assert.Contains("- #2 (this review): **", check.Summary, StringComparison.Ordinal);
        Assert.Contains("- #7: **", check.Summary, StringComparison.Ordinal);
        Assert.Single(check.Annotations);
    }

    [Fact]
    public void Pull_requests_not_judged_keep_the_check_from_passing()
    {
        var check = CommitVerdict.Combine(2, Own(CheckConclusion.Success), [new PullRequestVerdict(7, CheckConclusion.Success, "No Dockerfile changed")], 3);

        Assert.Equal(CheckConclusion.Failure, check.Conclusion);
        Assert.StartsWith("Not every pull request with this head was judged", check.Title, StringComparison.Ordinal);
        Assert.Contains("- 3 more", check.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_combined_summary_stays_within_GitHubs_limit()
    {
        var own = Own(CheckConclusion.Failure, new string('x', 80) + "\n" + string.Concat(Enumerable.Repeat(new string('y', 99) + "\n", GitHubLimits.CheckRunSummaryLength / 100)));

        var check = CommitVerdict.Combine(2, own, [new PullRequestVerdict(7, CheckConclusion.Success, "No Dockerfile changed")], 0);

        Assert.True(check.Summary.Length <= GitHubLimits.CheckRunSummaryLength, $"{check.Summary.Length}");
        Assert.StartsWith("This commit is the head of 2 open pull requests.", check.Summary, StringComparison.Ordinal);
    }
}
