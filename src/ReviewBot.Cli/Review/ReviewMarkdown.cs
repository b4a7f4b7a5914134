using System.Globalization;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Review;

namespace ReviewBot.Cli.Review;

/// <summary>
/// The review a plan would post, as Markdown: the body, each inline comment under <c>path:start-line</c>, each file
/// comment, and the check run. Paths and ref names come from the pull request, so they are written as
/// <see cref="Markdown.Word"/>: plain only when they can render nothing, else as code spans.
/// </summary>
public static class ReviewMarkdown
{
    public static void Write(ReviewPlan plan, ReviewRange range, TextWriter output)
    {
        output.WriteLine(FormattableString.Invariant($"# ReviewBot review of {Markdown.Word(range.HeadLabel)} against {Markdown.Word(range.BaseLabel)}"));
        output.WriteLine();
        output.WriteLine(FormattableString.Invariant($"Review event: {ReviewEventName(plan)}"));
        output.WriteLine();
        output.WriteLine(plan.Body.TrimEnd());
        output.WriteLine();

        output.WriteLine(FormattableString.Invariant($"## Inline comments ({plan.Comments.Length})"));
        foreach (var comment in plan.Comments)
        {
            output.WriteLine();
            output.WriteLine(FormattableString.Invariant($"### {Location(comment)}"));
            output.WriteLine();
            output.WriteLine(comment.Body.TrimEnd());
        }

        output.WriteLine();
        output.WriteLine(FormattableString.Invariant($"## File comments ({plan.FileComments.Length})"));
        foreach (var comment in plan.FileComments)
        {
            output.WriteLine();
            output.WriteLine(FormattableString.Invariant($"### {Markdown.Word(comment.Path)}"));
            output.WriteLine();
            output.WriteLine(comment.Body.TrimEnd());
        }

        output.WriteLine();
        output.WriteLine(FormattableString.Invariant($"## Check run `{CheckRunPlan.Name}`: {ConclusionName(plan.Check.Conclusion)}"));
        output.WriteLine();
        output.WriteLine(FormattableString.Invariant($"**{plan.Check.Title}**"));
        output.WriteLine();
        output.WriteLine(plan.Check.Summary.TrimEnd());
    }

    /// <summary><c>path:line</c>, or <c>path:start-line</c> for a comment on several lines (the path as <see cref="Markdown.Word"/>).</summary>
    public static string Location(InlineComment comment) =>
        comment.StartLine is { } start
            ? string.Create(CultureInfo.InvariantCulture, $"{Markdown.Word(comment.Path)}:{start}-{comment.Line}")
            : string.Create(CultureInfo.InvariantCulture, $"{Markdown.Word(comment.Path)}:{comment.Line}");

    /// <summary>GitHub's spelling of the review event.</summary>
    public static string ReviewEventName(ReviewPlan plan) =>
        plan.Event == ReviewBot.Configuration.ReviewEvent.RequestChanges ? "REQUEST_CHANGES" : "COMMENT";

    /// <summary>GitHub's spelling of a check conclusion.</summary>
    public static string ConclusionName(CheckConclusion conclusion) => conclusion switch
    {
        CheckConclusion.Failure => "failure",
        CheckConclusion.Neutral => "neutral",
        _ => "success",
    };
}
