using ReviewBot.GitHub.Api;

namespace ReviewBot.GitHub.Review;

/// <summary>
/// Our earlier review comments on a pull request: the fingerprints they carry (so nothing is posted twice)
/// and the "Fixed in &lt;sha&gt;" answers for those whose problem is gone. Shared by the App and the Action.
/// Only comments written by a bot account count as ours, so a person pasting a fingerprint marker into a
/// comment cannot silence a finding.
/// </summary>
public sealed class PreviousComments
{
    public const string FixedPrefix = "Fixed in ";

    private readonly IReadOnlyList<ExistingComment> all;
    private readonly List<ExistingComment> ours;

    private PreviousComments(IReadOnlyList<ExistingComment> all)
    {
        this.all = all;
        ours = [.. all.Where(c => c.InReplyToId is null && string.Equals(c.UserType, "Bot", StringComparison.OrdinalIgnoreCase) && Fingerprint.Parse(c.Body).Any())];
        Fingerprints = ours.SelectMany(c => Fingerprint.Parse(c.Body)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Fingerprints of the problems our comments already point out.</summary>
    public IReadOnlySet<string> Fingerprints { get; }

    public static async Task<PreviousComments> ReadAsync(PullRequestClient client, string owner, string repo, int number, CancellationToken cancellationToken) =>
        new(await client.ListReviewCommentsAsync(owner, repo, number, cancellationToken).ConfigureAwait(false));

    /// <summary>Our comments none of whose problems the new plan still has get one "Fixed in &lt;sha&gt;" reply.</summary>
    public async Task AnswerFixedAsync(PullRequestClient client, string owner, string repo, int number, ReviewPlan plan, string headSha, CancellationToken cancellationToken)
    {
        foreach (var comment in ours)
        {
            if (Fingerprint.Parse(comment.Body).Any(plan.Fingerprints.Contains)
                || all.Any(reply => reply.InReplyToId == comment.Id && reply.Body.StartsWith(FixedPrefix, StringComparison.Ordinal)))
            {
                continue;
            }

            await client.ReplyAsync(owner, repo, number, comment.Id, $"{FixedPrefix}{headSha}.", cancellationToken).ConfigureAwait(false);
        }
    }
}
