namespace ReviewBot.App.Queue;

/// <summary>Review a pull request at a head.</summary>
/// <param name="PullNumber">The pull request's number.</param>
/// <param name="HeadSha">The head to review; empty when the event did not say (the run reads the pull request).</param>
/// <param name="BaseRef">Base branch, when the webhook payload had it (pull_request events); with
/// <paramref name="Draft"/> and <paramref name="BaseSha"/> it spares the run a GET of the pull request.</param>
/// <param name="Draft">Whether the pull request is a draft, when the webhook payload had it.</param>
/// <param name="BaseSha">The base branch's commit the pull request was at when the webhook was sent (pull_request
/// events): with <paramref name="HeadSha"/> it is the pair of commits the review judges (the config at it, the
/// changes from its merge base with the head).</param>
public sealed record ReviewWork(
    string DeliveryId,
    long InstallationId,
    string Owner,
    string Repo,
    int PullNumber,
    string HeadSha,
    string Reason,
    string? BaseRef = null,
    bool? Draft = null,
    string? BaseSha = null)
    : HeadWork(DeliveryId, InstallationId, Owner, Repo, HeadSha, Reason)
{
    protected override string KeyOf(string repository) => $"{repository}#{PullNumber}".ToLowerInvariant();
}
