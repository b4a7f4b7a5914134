using System.Collections.Immutable;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Checks;
using ReviewBot.Configuration;

namespace ReviewBot.GitHub.Review;

/// <summary>One changed file to review: its text at the head commit, the engine's result and GitHub's patch (null when GitHub sent none).</summary>
public sealed record ReviewFile(string Path, string Text, AnalysisResult Analysis, string? Patch)
{
    /// <summary>
    /// The findings the base commit's version of the file already had (<c>check.fail_on: new</c>, see
    /// <see cref="Review.PreExisting"/>): still commented on, labelled, but they do not fail the check. Empty: every finding counts.
    /// </summary>
    public ImmutableHashSet<Finding> PreExisting { get; init; } = [];
}

/// <summary>What the planner needs besides the files. Built from the repository config by the caller.</summary>
public sealed record ReviewPlanOptions
{
    /// <summary>GitHub: a review should carry at most 30 inline comments; the rest are summarized in the review body.</summary>
    public const int MaxInlineCommentsPerReview = 30;

    public ReviewEvent Event { get; init; } = ReviewEvent.Comment;

    /// <summary>Conclusion when an error-level finding remains (config <c>check.conclusion_on_error</c>).</summary>
    public CheckConclusion ConclusionOnError { get; init; } = CheckConclusion.Failure;

    /// <summary>Fingerprints already posted on this pull request: those comments are not posted again.</summary>
    public IReadOnlySet<string> PostedFingerprints { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>Lines put at the top of the check summary (a broken config, GitHub's file limit …).</summary>
    public ImmutableArray<string> Notes { get; init; } = [];

    /// <summary>Whether every Dockerfile of the change was checked; false: the notes say what was not, and the summary never says there was nothing to check.</summary>
    public bool Complete { get; init; } = true;

    /// <summary>Where rule docs live; the rule's <c>DocPath</c> is appended.</summary>
    public string RuleDocsBaseUrl { get; init; } = DefaultRuleDocsBaseUrl;

    /// <summary>The project's own repository, where docs/rules/RBxxx.md are published.</summary>
    public const string DefaultRuleDocsBaseUrl = "https://github.com/reviewbot/reviewbot/blob/main/";

    public int MaxInlineComments { get; init; } = MaxInlineCommentsPerReview;

    /// <summary>Where the check's rows link a file and line to (the head commit); null: not linked (a local review).</summary>
    public SourceLinks? Links { get; init; }

    /// <summary>What the check speaks of: a pull request, or a commit of the default branch.</summary>
    public Checks.CheckSubject Subject { get; init; } = Checks.CheckSubject.PullRequest;

    /// <summary>The repository's per-rule severities (config <c>rules.severity</c>): they also weigh findings the engine's cap left out.</summary>
    public ImmutableDictionary<string, Severity> SeverityOverrides { get; init; } = ImmutableDictionary.Create<string, Severity>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The review event, the check's conclusion on error-level findings and the rule severities, as the repository configured them.</summary>
    public static ReviewPlanOptions From(RepositoryConfig config) => new()
    {
        Event = config.ReviewEvent,
        ConclusionOnError = config.ConclusionOnError == ErrorConclusion.Neutral ? CheckConclusion.Neutral : CheckConclusion.Failure,
        SeverityOverrides = config.SeverityOverrides,
    };
}

/// <summary>
/// An inline comment on the RIGHT side: <see cref="Line"/> is the last line, <see cref="StartLine"/> the
/// first when the comment spans several (null when it equals <see cref="Line"/>, as GitHub wants).
/// </summary>
public sealed record InlineComment(string Path, int? StartLine, int Line, string Body, string Fingerprint, string RuleId, Severity Severity, string Message)
{
    /// <summary>The suggestion's replacement lines, or null when the comment has no suggestion.</summary>
    public ImmutableArray<string>? Suggestion { get; init; }

    /// <summary>The finding the comment speaks of, when the planner made it (for the check's annotations and the review's verdict).</summary>
    public Finding? Finding { get; init; }

    /// <summary>The base commit already had this problem (<c>check.fail_on: new</c>): labelled so, and not blocking.</summary>
    public bool PreExisting { get; init; }

    public int FirstLine => StartLine ?? Line;
}

/// <summary>A file-level comment (<c>subject_type: file</c>) for what cannot sit on the diff.</summary>
public sealed record FileComment(string Path, string Body, ImmutableArray<string> Fingerprints);

/// <summary>Everything one run posts: one review (inline comments + body), file-level comments and the check run.</summary>
public sealed record ReviewPlan(
    ReviewEvent Event,
    string Body,
    ImmutableArray<InlineComment> Comments,
    ImmutableArray<InlineComment> Overflow,
    ImmutableArray<FileComment> FileComments,
    CheckRunPlan Check,
    ImmutableHashSet<string> Fingerprints)
{
    /// <summary>Whether there is anything new to post as a review (nothing when every comment was posted before).</summary>
    public bool HasReview => !Comments.IsEmpty || !FileComments.IsEmpty || !Overflow.IsEmpty;

    /// <summary>Fingerprints this run posts (inline and file-level), to remember for the next push.</summary>
    public IEnumerable<string> PostedFingerprints => Comments.Select(c => c.Fingerprint).Concat(FileComments.SelectMany(f => f.Fingerprints));
}
