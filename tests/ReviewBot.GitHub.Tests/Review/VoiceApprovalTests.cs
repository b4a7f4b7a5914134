using System.Globalization;
using System.Text;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Tests.Review;

/// <summary>
/// What a maintainer reads on a two-Dockerfile pull request (the repository's samples debian-app and a small web
/// app), pinned word for word: the review (body and inline comments) and the check run (title, summary,
/// annotations). A wording change is a diff of tests/ReviewBot.GitHub.Tests/Approved/*.md; tools/render shows them
/// the way github.com renders them.
/// </summary>
public class VoiceApprovalTests
{
    private const string Web = """
        FROM python:3.12-slim
        WORKDIR /srv/web
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .
        EXPOSE 80
        CMD ["python", "-m", "http.server", "80"]

        """;

    private static string NewFilePatch(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        return $"@@ -0,0 +1,{lines.Length} @@\n" + string.Concat(lines.Select(l => "+" + l + "\n"));
    }

    /// <summary>The head commit the check's rows link to.</summary>
    private static readonly SourceLinks Links = new(SourceLinks.DefaultWebUrl, "octo-org", "shop", "3f2a9c1d0b8e7f6a5c4d3e2f1a0b9c8d7e6f5a4b");

    private static ReviewFile File(string path, string text) => new(path, text, DockerfileAnalyzer.Analyze(text), NewFilePatch(text));

    private static ReviewPlan SamplePlan()
    {
        var debian = System.IO.File.ReadAllText(Path.Combine(RepoRoot.Find(), "samples", "debian-app", "Dockerfile")).ReplaceLineEndings("\n");
        return ReviewPlanner.Plan([File("debian-app/Dockerfile", debian), File("web/Dockerfile", Web)], new ReviewPlanOptions { Links = Links });
    }

    /// <summary>The review as the pull request shows it: the body, then each comment under the lines it sits on.</summary>
    public static string Review(ReviewPlan plan)
    {
        var text = new StringBuilder("<!-- review body -->\n\n").Append(plan.Body).Append('\n');
        foreach (var c in plan.Comments)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n---\n\n<!-- inline comment: {c.Path} line {(c.StartLine is { } s ? $"{s}-{c.Line}" : c.Line)} -->\n\n").Append(c.Body).Append('\n');
        }

        foreach (var f in plan.FileComments)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n---\n\n<!-- file comment: {f.Path} -->\n\n").Append(f.Body).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The check run as the Checks tab shows it: title, summary, then the annotations (plain text).</summary>
    public static string Check(CheckRunPlan check)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<!-- check run: {check.Conclusion.ToString().ToLowerInvariant()} -->\n\n## {check.Title}\n\n").Append(check.Summary).Append("\n\n<!-- annotations -->\n\n");
        foreach (var a in check.Annotations)
        {
            text.Append(CultureInfo.InvariantCulture, $"- **{a.Level.ToString().ToLowerInvariant()}** {Markdown.CodeSpan($"{a.Path}:{a.StartLine}-{a.EndLine}")} {Markdown.CodeSpan(a.Title)}: {Markdown.CodeSpan(a.Message)}\n");
        }

        return text.ToString();
    }

    [Fact]
    public void The_sample_pull_requests_review_reads_as_approved() =>
        Approval.Verify("ReviewBot.GitHub.Tests", "sample-pr.review.md", Review(SamplePlan()));

    [Fact]
    public void The_sample_pull_requests_check_run_reads_as_approved() =>
        Approval.Verify("ReviewBot.GitHub.Tests", "sample-pr.check.md", Check(SamplePlan().Check));

    [Fact]
    public void The_review_body_is_a_verdict_with_true_counts()
    {
        var plan = SamplePlan();
        int fixes = plan.Comments.Count(c => c.Suggestion is not null);

        Assert.StartsWith("**2 errors block this pull request**: container runs as root in `debian-app/Dockerfile`, `web/Dockerfile`; also 3 warnings.", plan.Body, StringComparison.Ordinal);
        Assert.Equal(4, fixes); // web/Dockerfile's port is a bare argument of its CMD: advice, no suggestion
        Assert.Contains(" 4 comments carry a one-click fix; commit them together with *Add suggestion to batch*.", plan.Body, StringComparison.Ordinal);

        // One comment without a fix: the count says so, never "each".
        var oneWithout = ReviewPlanner.Plan([File("web/Dockerfile", Web.Replace("EXPOSE 80\n", "", StringComparison.Ordinal) + "RUN apt-get install -y sudo\n")], new ReviewPlanOptions());
        Assert.Equal(1, oneWithout.Comments.Count(c => c.Suggestion is null));
        Assert.Contains($" {oneWithout.Comments.Count(c => c.Suggestion is not null)} comment", oneWithout.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("All ", oneWithout.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_comment_says_its_fact_once_and_folds_the_why()
    {
        foreach (var c in SamplePlan().Comments)
        {
            var finding = DockerfileAnalyzer.Analyze(c.Path == "web/Dockerfile" ? Web : System.IO.File.ReadAllText(Path.Combine(RepoRoot.Find(), "samples", "debian-app", "Dockerfile")))
                .Findings.First(f => f.RuleId == c.RuleId);
            var visible = c.Body[..c.Body.IndexOf("<details>", StringComparison.Ordinal)];
            Assert.StartsWith($"**{c.RuleId} · {finding.Rule.Title}** — ", c.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(CommentTextWhy(finding), visible, StringComparison.Ordinal);
            Assert.Contains($"`# reviewbot ignore={c.RuleId}`", c.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("<rule>", c.Body, StringComparison.Ordinal);
        }
    }

    private static string CommentTextWhy(Finding finding) => finding.Rule.Why[..40];

    [Fact]
    public void The_check_title_is_a_verdict_without_zero_counts_and_annotations_sit_with_the_comments()
    {
        var plan = SamplePlan();

        Assert.Equal("2 errors, 3 warnings in 2 Dockerfiles: container runs as root", plan.Check.Title);
        foreach (var c in plan.Comments)
        {
            var annotation = Assert.Single(plan.Check.Annotations, a => a.Path == c.Path && a.Title.StartsWith(c.RuleId, StringComparison.Ordinal) && a.EndLine == c.Line);
            Assert.Equal(c.FirstLine, annotation.StartLine);
            Assert.Equal(c.Suggestion is null ? "Explained in ReviewBot's review." : "One-click fix in ReviewBot's review.", annotation.Message);
        }

        Assert.All(plan.Check.Annotations, a => Assert.DoesNotContain('`', a.Message + a.Title));
    }

    [Fact]
    public void Each_row_links_its_file_and_line_at_the_head_commit_and_its_rule_to_the_doc()
    {
        var summary = SamplePlan().Check.Summary;

        Assert.Contains("| ❌ | [`web/Dockerfile`:5](https://github.com/octo-org/shop/blob/3f2a9c1d0b8e7f6a5c4d3e2f1a0b9c8d7e6f5a4b/web/Dockerfile#L5) | [RB001 · Container runs as root](https://github.com/reviewbot/reviewbot/blob/main/docs/rules/RB001.md) |", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a b/Dockerfile", "a%20b/Dockerfile")]
    [InlineData("x)](javascript:alert(1))/Dockerfile", "x%29%5D%28javascript%3Aalert%281%29%29/Dockerfile")]
    [InlineData("p|q/<img src=x>/Dockerfile", "p%7Cq/%3Cimg%20src%3Dx%3E/Dockerfile")]
    [InlineData("d/#L1?x/Dockerfile", "d/%23L1%3Fx/Dockerfile")]
    [InlineData("ü/Dockerfile", "%C3%BC/Dockerfile")]
    public void A_hostile_path_cannot_leave_its_link_or_split_the_row(string path, string encoded)
    {
        var text = "FROM debian:bookworm-slim\nCMD [\"/app\"]\n";
        var summary = ReviewPlanner.Plan([new ReviewFile(path, text, DockerfileAnalyzer.Analyze(text), null)], new ReviewPlanOptions { Links = Links }).Check.Summary;

        var row = summary.Split('\n').Single(l => l.StartsWith("| ❌ |", StringComparison.Ordinal));
        Assert.Contains($"](https://github.com/octo-org/shop/blob/{Links.Sha}/{encoded}#L", row, StringComparison.Ordinal);
        // Four cell borders: no | of the path splits the row (the code span escapes it, the link encodes it).
        Assert.Equal(4, row.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'));
    }

    [Fact]
    public void A_local_review_without_a_commit_to_link_names_the_file_without_a_link()
    {
        var text = "FROM debian:bookworm-slim\nCMD [\"/app\"]\n";
        var summary = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, DockerfileAnalyzer.Analyze(text), null)], new ReviewPlanOptions()).Check.Summary;
        Assert.Contains("| ❌ | `Dockerfile`:1 | [RB001", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_check_without_a_review_says_the_fact_and_what_to_do_in_plain_text()
    {
        var text = "FROM debian:bookworm-slim\nRUN apt-get install -y sudo\nCMD [\"/app\"]\n";
        var check = ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, DockerfileAnalyzer.Analyze(text), null)], new ReviewPlanOptions()).Check;

        var sudo = Assert.Single(check.Annotations, a => a.Title.StartsWith("RB005", StringComparison.Ordinal));
        Assert.Equal("This RUN installs sudo, which gives any process in the container a way back to root. Build steps already run as root until USER switches away: do the privileged work there and drop sudo.", sudo.Message);
        Assert.Equal("1 error, 1 warning in 1 Dockerfile: container runs as root", check.Title);
    }
}
