using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ReviewBot.Configuration;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.PullRequests;

namespace ReviewBot.GitHub.Onboarding;

/// <summary>
/// A repository as onboarding needs it; <see cref="HeadSha"/> is the default branch's head, null when the repository is
/// empty; <see cref="NodeId"/> its GraphQL id (for compare-and-swap ref updates).
/// </summary>
public sealed record RepositoryFacts(string DefaultBranch, string? HeadSha, bool Archived, bool Fork, string? NodeId = null);

/// <summary>A pull request from our branch, open or closed, with its head and body (where our marker says which findings it fixed).</summary>
public sealed record OnboardingPullRequest(int Number, bool Open, bool Merged, string HeadSha, string Body);

/// <summary>Everything onboarding asks of GitHub for one repository. Writes are the last three and are paced by the caller.</summary>
public interface IOnboardingGitHub
{
    Task<RepositoryFacts> GetRepositoryAsync(string owner, string repo, CancellationToken cancellationToken);

    /// <summary>One recursive tree listing of the commit, as the branch check lists it (<see cref="Branches.BranchSource"/>).</summary>
    Task<RepositoryTree> ReadTreeAsync(string owner, string repo, string sha, CancellationToken cancellationToken);

    /// <summary>
    /// The paths at the commit, in the order asked, read as the branch check reads them (<see cref="Branches.BranchSource"/>):
    /// in as few calls as GitHub allows, each within <paramref name="maxBytes"/>.
    /// </summary>
    Task<IReadOnlyList<FileRead>> ReadFilesAsync(string owner, string repo, string sha, IReadOnlyList<string> paths, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Pull requests opened by our App (its exact login) from <see cref="OnboardingPlan.Branch"/> in this repository, any state, newest first (anyone else's, another bot's too, are never ours).</summary>
    Task<IReadOnlyList<OnboardingPullRequest>> ListOurPullRequestsAsync(string owner, string repo, CancellationToken cancellationToken);

    /// <summary>Where <see cref="OnboardingPlan.Branch"/> points now; null when it does not exist.</summary>
    Task<string?> GetBranchAsync(string owner, string repo, CancellationToken cancellationToken);

    /// <summary>Creates our branch at <paramref name="sha"/>; fails (nothing moved) when it exists.</summary>
    Task CreateBranchAsync(string owner, string repo, string sha, CancellationToken cancellationToken);

    /// <summary>
    /// Compare-and-swap: moves our branch from <paramref name="from"/> to <paramref name="to"/> only if it still points
    /// at <paramref name="from"/>; fails (nothing moved) otherwise.
    /// </summary>
    Task MoveBranchAsync(string owner, string repo, string repositoryNodeId, string from, string to, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="sha"/> is an onboarding commit our App made on top of <paramref name="parentSha"/>
    /// (its only parent, our commit message, authored by our App and verified): a write of ours whose answer was lost.
    /// </summary>
    Task<bool> IsOurCommitAsync(string owner, string repo, string sha, string parentSha, CancellationToken cancellationToken);

    /// <summary>One commit of every change on our branch, made by GitHub for the App (so it is marked verified); returns its SHA.</summary>
    Task<string> CommitAsync(string owner, string repo, string expectedHeadSha, IReadOnlyList<OnboardingChange> changes, string message, CancellationToken cancellationToken);

    Task<int> CreatePullRequestAsync(string owner, string repo, string baseBranch, string title, string body, CancellationToken cancellationToken);

    Task UpdatePullRequestAsync(string owner, string repo, int number, string body, CancellationToken cancellationToken);

    /// <summary>
    /// Closes our stale pull request: <paramref name="comment"/> says why, the pull request is closed with
    /// <paramref name="body"/>, and our branch is deleted. Three writes (<see cref="RepositoryOnboarder.WritesToClose"/>).
    /// </summary>
    Task ClosePullRequestAsync(string owner, string repo, int number, string comment, string body, CancellationToken cancellationToken);

    /// <summary>
    /// Null when the installation's API budget (as GitHub last reported it) allows background work; else how long until
    /// GitHub renews it. Without a report, background work goes on.
    /// </summary>
    TimeSpan? BackgroundWait();
}

/// <summary>What onboarding did with a repository.</summary>
public enum OnboardingOutcome
{
    Opened,
    Refreshed,
    NothingToFix,
    AlreadyOpen,
    LeftAlone,
    Declined,
    Skipped,

    /// <summary>The repository's <c>.github/reviewbot.yml</c> says <c>onboarding: false</c>.</summary>
    OptedOut,

    /// <summary>Our open pull request was closed (and its branch deleted): the default branch has nothing left to fix.</summary>
    Closed,

    /// <summary>
    /// Stopped: <see cref="OnboardingPlan.Branch"/> exists with commits that are not ours, or is the default branch.
    /// Onboarding never moves a branch it did not create.
    /// </summary>
    BranchNotOurs,
}

/// <summary>The outcome, why (for the log), and the pull request it concerns.</summary>
public sealed record OnboardingResult(OnboardingOutcome Outcome, string Reason, int? PullRequest = null);

/// <summary>
/// Onboards one repository: reads its default branch (facts, one tree listing, the Dockerfiles' and config's text),
/// plans the fixes, and opens ONE pull request from <see cref="OnboardingPlan.Branch"/> — or refreshes the open one
/// when the default branch moved and the branch holds only our commit, or leaves it when a person pushed to it; it is
/// closed, and our branch deleted, when the fixes reached the default branch some other way. A pull request closed
/// unmerged (by a person) is never recreated for the same fixes. Writes are reserved before they start
/// (<paramref name="reserveWrites"/>), so a full budget ends the run with <see cref="WorkDeferredException"/>
/// before anything is written; so does an installation whose API budget is down to the reviews' reserve
/// (<see cref="IOnboardingGitHub.BackgroundWait"/>), before anything is read.
/// </summary>
public static partial class RepositoryOnboarder
{
    /// <summary>Content-creating requests of one onboarding: the branch (create or move), the commit, the pull request (create or update).</summary>
    public const int WritesPerRepository = 3;

    /// <summary>Content-creating requests of closing a stale pull request: the comment that says why, the close, deleting our branch.</summary>
    public const int WritesToClose = 3;

    /// <summary>Why a run waits when the pacer refuses its writes (the log says it).</summary>
    private const string WriteBudgetSpent = "write budget spent";

    /// <summary>Put under the marker of a pull request we closed ourselves: that was no person declining its fixes.</summary>
    public const string ClosedMarker = "<!-- reviewbot:onboarding-closed -->";

    /// <exception cref="WorkDeferredException">Before anything is written: the installation's API budget is down to the
    /// reviews' reserve, or <paramref name="reserveWrites"/> refused the writes; the work comes back after the wait.</exception>
    public static async Task<OnboardingResult> OnboardAsync(
        IOnboardingGitHub github,
        string owner,
        string repo,
        Func<string, Task<bool>> claim,
        Func<int, Task<TimeSpan?>> reserveWrites,
        CancellationToken cancellationToken)
    {
        // Reads watch the installation's rate limit: below the reserve kept for reviews, nothing starts until it is renewed.
        if (github.BackgroundWait() is { } renewed)
        {
            throw WorkDeferredException.ForApiBudget(renewed);
        }

        var facts = await github.GetRepositoryAsync(owner, repo, cancellationToken).ConfigureAwait(false);
        if (facts.Archived || facts.Fork || facts.HeadSha is null)
        {
            return new(OnboardingOutcome.Skipped, facts.Archived ? "archived" : facts.Fork ? "a fork" : "empty");
        }

        string head = facts.HeadSha;
        if (string.Equals(facts.DefaultBranch, OnboardingPlan.Branch, StringComparison.OrdinalIgnoreCase))
        {
            return new(OnboardingOutcome.BranchNotOurs, $"the default branch is named `{OnboardingPlan.Branch}`; onboarding never commits to it");
        }

        if (!await claim(head).ConfigureAwait(false))
        {
            return new(OnboardingOutcome.Skipped, $"{head} is onboarded by another work item");
        }

        var tree = await github.ReadTreeAsync(owner, repo, head, cancellationToken).ConfigureAwait(false);
        // Git's blobs: files, and links as the listing has always named them.
        var blobs = tree.Entries.Where(e => e.Kind is TreeEntryKind.File or TreeEntryKind.Link).Select(e => (e.Path, Size: e.Size ?? 0)).ToList();
        // One read for the config and the Dockerfiles by name (within the caps: a file over them is never fetched).
        var named = blobs.Where(f => ReviewBot.Analysis.DockerfileNames.IsDockerfile(f.Path) && f.Size <= PullRequestReviewer.MaxFileBytes)
            .OrderBy(f => f.Path, StringComparer.Ordinal).Take(PullRequestReviewer.MaxDockerfiles).Select(f => f.Path);
        // Docker container actions' files, in the same read: the images they are built from start as root on purpose.
        var actionFiles = blobs.Where(f => DockerActions.IsActionFile(f.Path) && f.Size <= DockerActions.MaxFileBytes)
            .OrderBy(f => f.Path, StringComparer.Ordinal).Take(DockerActions.MaxFiles).Select(f => f.Path).ToList();
        var texts = await ReadTextsAsync(github, owner, repo, head, [RepositoryConfig.RepositoryPath, .. named, .. actionFiles], cancellationToken).ConfigureAwait(false);
        var actionImages = DockerActions.Images(actionFiles.Where(path => texts.GetValueOrDefault(path) is not null).Select(path => (path, texts[path]!)));
        var configText = texts.GetValueOrDefault(RepositoryConfig.RepositoryPath);
        var config = configText is null ? RepositoryConfig.Default : RepositoryConfig.Parse(configText).Config;
        if (!config.Onboarding)
        {
            return new(OnboardingOutcome.OptedOut, "onboarding: false in .github/reviewbot.yml");
        }

        // Files the config adds by glob were not in the first read: one more read for them.
        // Whatever the config includes, onboarding edits only Dockerfiles by name, and nothing under .github/ (workflows).
        var dockerfiles = blobs.Where(f => config.IsIncluded(f.Path) && OnboardingPlanner.MayEdit(f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var extra = dockerfiles.Take(PullRequestReviewer.MaxDockerfiles).Where(f => f.Size <= PullRequestReviewer.MaxFileBytes && !texts.ContainsKey(f.Path)).Select(f => f.Path).ToList();
        if (extra.Count > 0)
        {
            foreach (var (path, text) in await ReadTextsAsync(github, owner, repo, head, extra, cancellationToken).ConfigureAwait(false))
            {
                texts[path] = text;
            }
        }

        var files = dockerfiles.Select((f, i) =>
            i >= PullRequestReviewer.MaxDockerfiles ? new OnboardingFile(f.Path, null, $"over the {PullRequestReviewer.MaxDockerfiles} Dockerfiles read per repository")
            : f.Size > PullRequestReviewer.MaxFileBytes ? new OnboardingFile(f.Path, null, $"over {PullRequestReviewer.MaxFileBytes / (1024 * 1024)} MiB")
            : new OnboardingFile(f.Path, texts.GetValueOrDefault(f.Path), texts.GetValueOrDefault(f.Path) is null ? "not readable as text" : null)).ToList();
        if (tree.Truncated)
        {
            files.Add(new OnboardingFile("(rest of the repository)", null, "GitHub cut the tree listing off; Dockerfiles beyond it were not checked"));
        }

        var plan = OnboardingPlanner.Plan(files, config, actionImages: actionImages);
        var ours = (await github.ListOurPullRequestsAsync(owner, repo, cancellationToken).ConfigureAwait(false))
            .Where(p => p.Body.StartsWith(OnboardingPlan.Marker, StringComparison.Ordinal)).ToList();
        if (!plan.HasChanges)
        {
            return await CloseStaleAsync(github, owner, repo, head, plan, ours.FirstOrDefault(p => p.Open), reserveWrites, cancellationToken).ConfigureAwait(false);
        }

        string findings = FindingsId(plan);
        if (ours.FirstOrDefault(p => p.Open) is { } open)
        {
            var state = ReadState(open.Body);
            if (state.Base == head)
            {
                return new(OnboardingOutcome.AlreadyOpen, $"#{open.Number} is up to date", PullRequest: open.Number);
            }

            // The branch holds our last commit, or is where a refresh of ours stopped: moved onto the head (not yet
            // committed), or our commit on the head (the body not yet updated). Anything else is a person's.
            bool moved = open.HeadSha == head;
            string? done = null;
            if (state.Commit != open.HeadSha && !moved)
            {
                if (!await github.IsOurCommitAsync(owner, repo, open.HeadSha, head, cancellationToken).ConfigureAwait(false))
                {
                    return new(OnboardingOutcome.LeftAlone, $"#{open.Number} has commits that are not ours", PullRequest: open.Number);
                }

                done = open.HeadSha;
            }

            if (await reserveWrites(WritesPerRepository).ConfigureAwait(false) is { } wait)
            {
                throw new WorkDeferredException(wait, WriteBudgetSpent);
            }

            if (!moved && done is null)
            {
                await github.MoveBranchAsync(owner, repo, NodeId(facts), open.HeadSha, head, cancellationToken).ConfigureAwait(false);
            }

            var refreshed = done ?? await github.CommitAsync(owner, repo, head, plan.Changes, OnboardingPlan.CommitMessage, cancellationToken).ConfigureAwait(false);
            await github.UpdatePullRequestAsync(owner, repo, open.Number, BodyWithState(plan, head, refreshed, findings), cancellationToken).ConfigureAwait(false);
            return new(OnboardingOutcome.Refreshed, $"#{open.Number} moved onto {head}", PullRequest: open.Number);
        }

        if (ours.FirstOrDefault(p => !p.Merged && !ClosedByUs(p.Body) && ReadState(p.Body).Findings == findings) is { } declined)
        {
            return new(OnboardingOutcome.Declined, $"#{declined.Number} was closed without merging for the same fixes", PullRequest: declined.Number);
        }

        // No pull request of ours is open. Our branch is absent; at the head (our create whose commit did not happen: a
        // branch with nothing on it, so committing on it, compare-and-swap, loses no one's work); at the commit of an
        // earlier pull request of ours; or at our commit on the head (its pull request not opened). Anything else was
        // not made by us, and is never moved.
        string? branch = await github.GetBranchAsync(owner, repo, cancellationToken).ConfigureAwait(false);
        string? made = null;
        bool earlier = false;
        if (branch is not null && branch != head)
        {
            earlier = ours.Any(p => p.HeadSha == branch && ReadState(p.Body).Commit == branch);
            if (!earlier)
            {
                if (!await github.IsOurCommitAsync(owner, repo, branch, head, cancellationToken).ConfigureAwait(false))
                {
                    return new(OnboardingOutcome.BranchNotOurs, $"`{OnboardingPlan.Branch}` exists at {branch} with commits that are not ours; it is left alone");
                }

                made = branch;
            }
        }

        if (await reserveWrites(WritesPerRepository).ConfigureAwait(false) is { } later)
        {
            throw new WorkDeferredException(later, WriteBudgetSpent);
        }

        if (branch is null)
        {
            await github.CreateBranchAsync(owner, repo, head, cancellationToken).ConfigureAwait(false);
        }
        else if (earlier)
        {
            await github.MoveBranchAsync(owner, repo, NodeId(facts), branch, head, cancellationToken).ConfigureAwait(false);
        }

        var commit = made ?? await github.CommitAsync(owner, repo, head, plan.Changes, OnboardingPlan.CommitMessage, cancellationToken).ConfigureAwait(false);
        int number = await github.CreatePullRequestAsync(owner, repo, facts.DefaultBranch, OnboardingPlan.Title, BodyWithState(plan, head, commit, findings), cancellationToken).ConfigureAwait(false);
        return new(OnboardingOutcome.Opened, $"#{number} opened", PullRequest: number);
    }

    /// <summary>
    /// The texts of <paramref name="paths"/>, each read once within <see cref="PullRequestReviewer.MaxFileBytes"/> by the
    /// one blob reader (a text past GitHub's GraphQL limit comes whole through REST); null for a path that is absent,
    /// not text, or over the cap.
    /// </summary>
    private static async Task<Dictionary<string, string?>> ReadTextsAsync(IOnboardingGitHub github, string owner, string repo, string head, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var distinct = paths.Distinct(StringComparer.Ordinal).ToList();
        var reads = await github.ReadFilesAsync(owner, repo, head, distinct, PullRequestReviewer.MaxFileBytes, cancellationToken).ConfigureAwait(false);
        return distinct.Zip(reads).ToDictionary(p => p.First, p => p.Second.Status == FileReadStatus.Read ? p.Second.Text : null, StringComparer.Ordinal);
    }

    private static string NodeId(RepositoryFacts facts) =>
        facts.NodeId ?? throw new InvalidOperationException("GitHub did not say the repository's node id; our branch cannot be moved compare-and-swap.");

    /// <summary>
    /// Nothing is left to fix on the default branch: our open pull request, if any, fixes what is already fixed. It is
    /// closed with a comment saying why and our branch deleted, unless a person pushed to it (then it is theirs too),
    /// or a Dockerfile went unread (it may be one the pull request fixes: in doubt, it stays).
    /// </summary>
    private static async Task<OnboardingResult> CloseStaleAsync(IOnboardingGitHub github, string owner, string repo, string head, OnboardingPlan plan, OnboardingPullRequest? open, Func<int, Task<TimeSpan?>> reserveWrites, CancellationToken cancellationToken)
    {
        if (open is null)
        {
            return new(OnboardingOutcome.NothingToFix, "nothing runs as root");
        }

        if (!plan.Skipped.IsEmpty)
        {
            return new(OnboardingOutcome.LeftAlone, $"nothing runs as root in what was read, but {plan.Skipped.Length} Dockerfiles were not: #{open.Number} stays open", PullRequest: open.Number);
        }

        if (ReadState(open.Body).Commit != open.HeadSha)
        {
            return new(OnboardingOutcome.LeftAlone, $"nothing runs as root, but #{open.Number} has commits that are not ours", PullRequest: open.Number);
        }

        if (await reserveWrites(WritesToClose).ConfigureAwait(false) is { } wait)
        {
            throw new WorkDeferredException(wait, WriteBudgetSpent);
        }

        string comment = $"Closing: nothing on the default branch runs as root any more (as of {head}), so these fixes are not needed. "
            + $"ReviewBot deleted its branch `{OnboardingPlan.Branch}`.";
        // Right under the marker, whatever line ends the body has (one edited on GitHub's site has \r\n).
        string closedBody = OnboardingPlan.Marker + "\n" + ClosedMarker + open.Body[OnboardingPlan.Marker.Length..];
        await github.ClosePullRequestAsync(owner, repo, open.Number, comment, closedBody, cancellationToken).ConfigureAwait(false);
        return new(OnboardingOutcome.Closed, $"#{open.Number} closed: its fixes are on {head} already", PullRequest: open.Number);
    }

    private static bool ClosedByUs(string body) => body.AsSpan(OnboardingPlan.Marker.Length).TrimStart("\r\n").StartsWith(ClosedMarker, StringComparison.Ordinal);

    /// <summary>Which fixes a pull request carries: the same files changed to the same text give the same id.</summary>
    public static string FindingsId(OnboardingPlan plan)
    {
        var text = string.Join('\0', plan.Changes.OrderBy(c => c.Path, StringComparer.Ordinal).Select(c => c.Path + '\0' + c.NewText));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..20].ToLowerInvariant();
    }

    /// <summary>The body with a second marker line saying what it was built on, read back by the next run.</summary>
    private static string BodyWithState(OnboardingPlan plan, string baseSha, string commitSha, string findings)
    {
        var state = $"<!-- reviewbot:onboarding-state base={baseSha} commit={commitSha} findings={findings} -->\n";
        return plan.Body.Insert(OnboardingPlan.Marker.Length + 1, state);
    }

    private static (string? Base, string? Commit, string? Findings) ReadState(string body)
    {
        var match = StateRegex().Match(body);
        return match.Success ? (match.Groups["base"].Value, match.Groups["commit"].Value, match.Groups["findings"].Value) : (null, null, null);
    }

    // \r?: a description saved in github.com's editor comes back with CRLF line endings, and $ stops only before \n.
    [GeneratedRegex(@"^<!-- reviewbot:onboarding-state base=(?<base>[0-9a-f]{40,64}) commit=(?<commit>[0-9a-f]{40,64}) findings=(?<findings>[0-9a-f]{20}) -->\r?$", RegexOptions.Multiline)]
    private static partial Regex StateRegex();
}
