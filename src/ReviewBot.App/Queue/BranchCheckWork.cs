namespace ReviewBot.App.Queue;

/// <summary>The check run on a commit pushed to the default branch: a newer push to the branch supersedes an older one's check that has not started.</summary>
/// <param name="Branch">The branch pushed to.</param>
/// <param name="HeadSha">The commit pushed.</param>
public sealed record BranchCheckWork(string DeliveryId, long InstallationId, string Owner, string Repo, string Branch, string HeadSha, string Reason)
    : HeadWork(DeliveryId, InstallationId, Owner, Repo, HeadSha, Reason)
{
    protected override string KeyOf(string repository) => $"{repository}@{Branch}".ToLowerInvariant();
}
