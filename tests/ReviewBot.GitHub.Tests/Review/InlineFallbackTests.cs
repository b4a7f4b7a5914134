using System.Globalization;
using System.Text.RegularExpressions;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Review;
using static ReviewBot.GitHub.Tests.Review.TestFindings;

namespace ReviewBot.GitHub.Tests.Review;

public class InlineFallbackTests
{
    private static string NewFilePatch(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        return $"@@ -0,0 +1,{lines.Length} @@\n" + string.Concat(lines.Select(l => "+" + l + "\n"));
    }

    [Fact]
    public void Refused_inline_comments_join_the_file_comment_with_every_marker_last()
    {
        var text = "FROM debian\nRUN sudo a\nRUN sudo b\nCOPY app /app\n";
        var patch = "@@ -2,2 +2,2 @@\n-RUN a\n-RUN b\n+RUN sudo a\n+RUN sudo b\n";
        var findings = new[]
        {
            Finding(Sudo, 2, 2, "sudo @octocat", new TextEdit(2, 2, "RUN a\n")),
            Finding(Sudo, 3, 3, "sudo"),
            Finding(CopyWithoutChown, 4, 4, "COPY without --chown", new TextEdit(4, 4, "COPY --chown=a app /app\n")),
        };
        var plan = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, findings), patch)], new ReviewPlanOptions());
        Assert.Equal(2, plan.Comments.Length);

        var file = Assert.Single(InlineFallback.ToFileComments(plan.Comments, plan.FileComments));

        Assert.Equal(3, file.Fingerprints.Length);
        Assert.Equal(file.Fingerprints, Fingerprint.Parse(file.Body));
        Assert.Equal(plan.PostedFingerprints.Order(), file.Fingerprints.Order());
        var parts = MarkdownChecker.AssertSafe(file.Body);
        Assert.DoesNotContain("suggestion\n", file.Body, StringComparison.Ordinal);
        Assert.Contains("```dockerfile\nRUN a\n```", file.Body, StringComparison.Ordinal);
        Assert.Contains("```diff\n", file.Body, StringComparison.Ordinal); // the file comment's own part stays
        Assert.Equal(2, parts.Fences.Count);
    }

    [Fact]
    public void Refused_comments_that_do_not_fit_one_body_are_counted_and_not_claimed()
    {
        var text = "FROM a\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"RUN sudo {i}\n"));
        var findings = Enumerable.Range(2, 30).Select(l => Finding(Sudo, l, l, "sudo", new TextEdit(l, l, $"RUN {new string('x', 10_000)}\n"))).ToArray();
        var plan = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, Result(text, findings), NewFilePatch(text))], new ReviewPlanOptions());
        Assert.Equal(30, plan.Comments.Length);

        var file = Assert.Single(InlineFallback.ToFileComments(plan.Comments, plan.FileComments));

        Assert.InRange(file.Body.Length, 1, GitHubLimits.BodyLength);
        Assert.Equal(file.Fingerprints, Fingerprint.Parse(file.Body));
        var more = Regex.Match(file.Body, @"And ([\d,]+) more .*: RB005 × ([\d,]+)\.");
        Assert.True(more.Success, file.Body[^500..]);
        Assert.Equal(30, file.Fingerprints.Length + int.Parse(more.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        MarkdownChecker.AssertSafe(file.Body);
    }
}
