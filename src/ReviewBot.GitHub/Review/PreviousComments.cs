using ReviewBot.GitHub.Api;

namespace ReviewBot.GitHub.Review;

/// <summary>
/// Our earlier review comments on a pull request: the fingerprints they carry (so nothing is posted twice)
/// and the "Fixed in &lt;sha&gt;" answers for those whose problem is gone. Shared by the App and the Action.
/// Only comments written by our own bot account count as ours (the App's <c>{slug}[bot]</c>, or
/// <c>github-actions[bot]</c> for the Action): a person, or any other bot, pasting a fingerprint marker into a
/// comment cannot silence a finding, and their "Fixed in" reply does not stop ours.
/// </summary>
public sealed class PreviousComments
{
    public const string FixedPrefix = "Fixed in ";

    /// <summary>The account that writes comments made with GitHub Actions' GITHUB_TOKEN.</summary>
    public const string ActionsBotLogin = "github-actions[bot]";

    private readonly IReadOnlyList<ExistingComment> _all;
    private readonly Func<ExistingComment, bool> _isOurs;
    private readonly List<ExistingComment> _ours;

    private PreviousComments(IReadOnlyList<ExistingComment> all, Func<ExistingComment, bool> isOurs)
    {
        _all = all;
        _isOurs = isOurs;
        _ours = [.. all.Where(c => c.InReplyToId is null && isOurs(c) && Fingerprint.Parse(c.Body).Any())];
        Fingerprints = _ours.SelectMany(c => Fingerprint.Parse(c.Body)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Fingerprints of the problems our comments already point out.</summary>
    public IReadOnlySet<string> Fingerprints { get; }

    /// <summary>The comments of a pull request as listed, read as <paramref name="botLogin"/>'s (e.g. <c>reviewbot[bot]</c>).</summary>
    public static PreviousComments From(IReadOnlyList<ExistingComment> comments, string botLogin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botLogin);

        // GitHub logins are case-insensitive, and "[bot]" cannot be part of a person's login: the login alone tells.
        return new(comments, c => string.Equals(c.UserLogin, botLogin, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Lists the pull request's review comments and keeps those <paramref name="botLogin"/> wrote.</summary>
    public static async Task<PreviousComments> ReadAsync(GitHubInstallationClient client, string owner, string repo, int number, string botLogin, CancellationToken cancellationToken) =>
        From(await client.ListReviewCommentsAsync(owner, repo, number, cancellationToken).ConfigureAwait(false), botLogin);

    /// <summary>Ids of our comments none of whose problems <paramref name="plan"/> still has, and that we have not answered yet.</summary>
    public IEnumerable<long> FixedComments(ReviewPlan plan) => _ours
        .Where(comment => !Fingerprint.Parse(comment.Body).Any(plan.Fingerprints.Contains)
            && !_all.Any(reply => reply.InReplyToId == comment.Id && _isOurs(reply) && reply.Body.StartsWith(FixedPrefix, StringComparison.Ordinal)))
        .Select(comment => comment.Id);

    /// <summary>Each of <see cref="FixedComments"/> gets one "Fixed in &lt;sha&gt;" reply.</summary>
    public async Task AnswerFixedAsync(GitHubInstallationClient client, string owner, string repo, int number, ReviewPlan plan, string headSha, CancellationToken cancellationToken)
    {
        foreach (var id in FixedComments(plan).ToList())
        {
            await client.ReplyAsync(owner, repo, number, id, $"{FixedPrefix}{headSha}.", cancellationToken).ConfigureAwait(false);
        }
    }
}
