using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.PullRequests;

/// <summary>
/// The pull request a review is for: where it is, and the pair of commits it is judged on. <see cref="BaseSha"/> is
/// the base branch's commit: the config is read there and the changes are those from its merge base with
/// <see cref="HeadSha"/> (as GitHub's pull request diff). <see cref="BaseRef"/> is only the branch's name, for people:
/// a name is ambiguous (a tag may have the same one) and moves.
/// </summary>
public sealed record PullRequestTarget(string Owner, string Repo, int Number, string HeadSha, string BaseRef, string BaseSha, bool Draft);

/// <summary>What a caller remembers of earlier reviews of this pull request.</summary>
/// <param name="Superseded">A newer head was asked for meanwhile: post nothing.</param>
/// <param name="LastReviewedSha">Head of the last delivered review; null when unknown.</param>
/// <param name="Fingerprints">Fingerprints of our comments known to be on the pull request.</param>
public sealed record Recalled(bool Superseded, string? LastReviewedSha, IReadOnlySet<string> Fingerprints)
{
    public static Recalled Nothing { get; } = new(false, null, new HashSet<string>(StringComparer.Ordinal));
}

/// <summary>
/// What differs between the callers of <see cref="PullRequestReviewer"/>: the App remembers reviews in its
/// state store, counts findings and logs; the Action remembers nothing (it lists our comments every time).
/// Every member has a do-nothing default.
/// </summary>
public class ReviewHooks
{
    public static ReviewHooks None { get; } = new();

    /// <summary>Read after the files are analyzed and before anything is posted.</summary>
    public virtual Task<Recalled> RecallAsync(CancellationToken cancellationToken) => Task.FromResult(Recalled.Nothing);

    /// <summary>
    /// The review is posted: <paramref name="onPullRequest"/> are the fingerprints now known on the pull request,
    /// <paramref name="planned"/> those the head still has (anything else was fixed). Saved before the check run,
    /// so a retry after a failed check posts nothing twice.
    /// </summary>
    public virtual Task RememberAsync(string headSha, IReadOnlySet<string> onPullRequest, IReadOnlySet<string> planned, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The plan about to be posted, for logs and metrics.</summary>
    public virtual void Planned(ReviewPlan plan, int findings)
    {
    }

    /// <summary>
    /// GitHub refused to create the check run (403). True goes on without one (the Action's GITHUB_TOKEN may lack
    /// <c>checks: write</c>, and its step's exit code is the gate then); false, the default, fails the review.
    /// </summary>
    public virtual bool ContinueWithoutCheckRun(Api.GitHubApiException refusal) => false;

    /// <summary>Closing the check after a failure failed as well; the details belong in a log.</summary>
    public virtual void CheckNotClosed(Exception exception)
    {
    }
}
