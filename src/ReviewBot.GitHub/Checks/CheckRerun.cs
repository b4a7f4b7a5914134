using System.Globalization;

namespace ReviewBot.GitHub.Checks;

/// <summary>
/// What a check run is of, kept in its <c>external_id</c> after a unique part: GitHub's re-run event
/// (<c>check_run.rerequested</c>) leaves <c>pull_requests</c> empty for a pull request from a fork and for a
/// default-branch check, and without this a failed check there could never be run again from its button.
/// </summary>
/// <param name="PullRequest">The pull request reviewed, or null.</param>
/// <param name="Branch">A check of the default branch's commit.</param>
public sealed record CheckRerun(int? PullRequest, bool Branch)
{
    private const string PullRequestKey = "pr";

    private const string BranchKey = "branch";

    /// <param name="number">The pull request's; 0 for a branch check's failure, whose target has none.</param>
    public static CheckRerun OfPullRequest(int number) => new(number > 0 ? number : null, number <= 0);

    public static CheckRerun OfBranch { get; } = new(null, true);

    /// <summary>"{unique}/pr/{number}" or "{unique}/branch": the unique part finds an uncertain create again.</summary>
    public string ExternalId(Guid unique) =>
        unique.ToString("N") + (PullRequest is int number ? $"/{PullRequestKey}/{number.ToString(CultureInfo.InvariantCulture)}" : $"/{BranchKey}");

    /// <summary>What an external_id of ours says; null for anything else (another's, or an old check's bare id).</summary>
    public static CheckRerun? Parse(string? externalId)
    {
        var parts = (externalId ?? "").Split('/');
        return parts switch
        {
            [{ Length: 32 }, PullRequestKey, var n] when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number > 0 => new(number, false),
            [{ Length: 32 }, BranchKey] => OfBranch,
            _ => null,
        };
    }
}
