using ReviewBot.Analysis;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Tests.Review;

/// <summary>A pragma silences the gate, so the check summary and the review body list every suppression.</summary>
public sealed class SuppressionListingTests
{
    private const string Suppressed = "FROM debian:bookworm-slim\n# hadolint ignore=DL3002\nUSER root\n";

    private static string Patch(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        return $"@@ -0,0 +1,{lines.Length} @@\n" + string.Concat(lines.Select(l => "+" + l + "\n"));
    }

    private static ReviewPlan Plan(string text, AnalyzerOptions? options = null, string path = "Dockerfile") =>
        ReviewPlanner.Plan([new ReviewFile(path, text, DockerfileAnalyzer.Analyze(text, options), Patch(text))], new ReviewPlanOptions());

    [Fact]
    public void A_suppressed_finding_passes_but_the_summary_and_the_body_list_it_as_added_by_the_pull_request()
    {
        var plan = Plan(Suppressed, new AnalyzerOptions { Baseline = PragmaBaseline.Empty });

        Assert.Equal(CheckConclusion.Success, plan.Check.Conclusion);
        Assert.Equal("No problems in 1 Dockerfile (1 suppressed)", plan.Check.Title);
        var row = "| `Dockerfile` | 3 | RB001 root-user | `# hadolint ignore=DL3002` (line 2) | yes |";
        Assert.Contains(row, plan.Check.Summary);
        Assert.Contains("| File | Line | Rule | Pragma | Added by this pull request |", plan.Check.Summary);
        Assert.DoesNotContain("runs as a non-root user", plan.Check.Summary);
        Assert.Contains(row, plan.Body);
        MarkdownChecker.AssertSafe(plan.Check.Summary);
        MarkdownChecker.AssertSafe(plan.Body);
    }

    [Fact]
    public void A_pragma_the_base_had_is_listed_as_not_added()
    {
        var plan = Plan(Suppressed, new AnalyzerOptions { Baseline = PragmaBaseline.Of(Suppressed) });

        Assert.Contains("| `Dockerfile` | 3 | RB001 root-user | `# hadolint ignore=DL3002` (line 2) | no |", plan.Check.Summary);
    }

    [Fact]
    public void An_ignored_pragma_fails_the_check_and_the_summary_says_why()
    {
        var plan = Plan(Suppressed, new AnalyzerOptions { Baseline = PragmaBaseline.Empty, BaselinePragmasOnly = true });

        Assert.Equal(CheckConclusion.Failure, plan.Check.Conclusion);
        Assert.Contains("| RB001 root-user | `# hadolint ignore=DL3002` (line 2) | yes: **ignored** (`check.suppressions: base`) |", plan.Check.Summary);
        Assert.Contains("**ignored** because `check.suppressions: base`", plan.Check.Summary);
        Assert.DoesNotContain("suppressed)", plan.Check.Title);
    }

    [Fact]
    public void Nothing_suppressed_says_nothing_about_suppressions()
    {
        var plan = Plan("FROM debian:bookworm-slim\nUSER nobody\n");

        Assert.DoesNotContain("Suppressed", plan.Check.Summary);
        Assert.DoesNotContain("Suppressed", plan.Body);
        Assert.Equal("No problems in 1 Dockerfile", plan.Check.Title);
    }

    [Fact]
    public void A_hostile_pragma_and_path_stay_inside_code_spans()
    {
        const string HostilePath = "a|b/`@admin`/<img src=x>/Dockerfile";
        var text = "FROM debian:bookworm-slim\n# hadolint ignore=DL3002 @admin [x](https://evil) <script>|`\nUSER root\n";

        var plan = Plan(text, path: HostilePath);

        Assert.Contains("ignore=DL3002", plan.Check.Summary);
        MarkdownChecker.AssertSafe(plan.Check.Summary);
        MarkdownChecker.AssertSafe(plan.Body);
    }

    [Fact]
    public void A_long_list_is_bounded_and_the_rest_counted()
    {
        var text = "FROM debian:bookworm-slim\n" + string.Concat(Enumerable.Repeat("# reviewbot ignore=RB005 " + new string('x', 2000) + "\nRUN sudo x\n", 90)) + "USER nobody\n";

        var plan = Plan(text);

        Assert.Equal(SuppressionTable.MaxRows, plan.Check.Summary.Split('\n').Count(l => l.StartsWith("| `Dockerfile` |", StringComparison.Ordinal)));
        Assert.Contains("And 40 more suppressed: RB005 × 40.", plan.Check.Summary);
        Assert.True(plan.Check.Summary.Length <= GitHubLimits.CheckRunSummaryLength);
        Assert.True(plan.Body.Length <= GitHubLimits.BodyLength);
    }
}
