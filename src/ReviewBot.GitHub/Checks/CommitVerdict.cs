using System.Globalization;
using System.Text;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Checks;

/// <summary>One pull request's verdict on a commit whose check it shares: its check's conclusion and title.</summary>
public sealed record PullRequestVerdict(int Number, CheckConclusion Conclusion, string Title);

/// <summary>
/// The check on a commit when several open pull requests have it as their head. GitHub keeps check runs per commit,
/// not per pull request, and branch protection reads the newest one of a name: the verdict one pull request posts
/// is the one every other pull request with that head merges on. So the check posted is the worst verdict over them
/// all, each judged against its own base, and its summary names each. Built without I/O.
/// </summary>
public static class CommitVerdict
{
    /// <param name="number">The reviewed pull request.</param>
    /// <param name="plan">Its check: its verdict, and the body of the commit's check (findings, annotations).</param>
    /// <param name="others">The verdicts of the other open pull requests at the same head.</param>
    /// <param name="notJudged">How many more there are than were judged; any makes the check fail, since one of them may run as root.</param>
    public static CheckRunPlan Combine(int number, CheckRunPlan plan, IReadOnlyList<PullRequestVerdict> others, int notJudged)
    {
        if (others.Count == 0 && notJudged == 0)
        {
            return plan;
        }

        var own = new PullRequestVerdict(number, plan.Conclusion, plan.Title);
        var all = others.Prepend(own).ToList();
        var worst = all.OrderByDescending(v => v.Conclusion).First(); // own first among equals: its title is the one of this review
        var conclusion = notJudged > 0 ? CheckConclusion.Failure : worst.Conclusion;
        string title = notJudged > 0
            ? $"Not every pull request with this head was judged; #{worst.Number}: {worst.Title}"
            : $"#{worst.Number}: {worst.Title}";

        var summary = new StringBuilder();
        summary.Append(CultureInfo.InvariantCulture, $"This commit is the head of {Markdown.Count(all.Count + notJudged)} open pull requests. GitHub keeps one check per commit and branch protection reads the newest, so this check is the worst verdict over all of them, each judged against its own base:\n\n");
        foreach (var verdict in all)
        {
            summary.Append(CultureInfo.InvariantCulture, $"- #{verdict.Number}{(verdict == own ? " (this review)" : "")}: **{Name(verdict.Conclusion)}**, {Markdown.Prose(verdict.Title)}\n");
        }

        if (notJudged > 0)
        {
            summary.Append(CultureInfo.InvariantCulture, $"- {Markdown.Count(notJudged)} more that ReviewBot does not judge in one review (or could not list whole), so this check cannot pass.\n");
        }

        summary.Append(CultureInfo.InvariantCulture, $"\nThe findings below are those of #{own.Number}; each pull request's review has its own.\n\n---\n\n");
        summary.Append(plan.Summary);
        return plan with
        {
            Conclusion = conclusion,
            Title = Markdown.Truncate(title, GitHubLimits.CheckRunTitleLength),
            Summary = Markdown.TruncateLines(summary.ToString(), GitHubLimits.CheckRunSummaryLength),
        };
    }

    private static string Name(CheckConclusion conclusion) => conclusion switch
    {
        CheckConclusion.Failure => "failure",
        CheckConclusion.Neutral => "neutral",
        _ => "success",
    };
}
