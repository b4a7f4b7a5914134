using System.Text.Json.Serialization;

namespace ReviewBot.App.Queue;

/// <summary>What a work item asks for; the worker hands it to the <c>IWorkRunner</c> registered for its kind.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkKind>))]
public enum WorkKind
{
    /// <summary>Review a pull request at a head (what every message written before kinds existed meant).</summary>
    Review,

    /// <summary>The check run on a commit pushed to the default branch (<see cref="WorkItem.BaseRef"/> names the branch).</summary>
    BranchCheck,

    /// <summary>
    /// Onboard a repository newly selected for the App: its default branch is read when the item runs
    /// (<see cref="WorkItem.HeadSha"/> is empty, <see cref="WorkItem.PullNumber"/> 0).
    /// </summary>
    Onboard,

    /// <summary>
    /// Fan an installation event out into one <see cref="Onboard"/> item per repository, in the worker rather than in
    /// the webhook request (GitHub gives a delivery 10 s; an organisation has hundreds of repositories).
    /// <see cref="WorkItem.Owner"/> is the installation's account; <see cref="WorkItem.Repositories"/> the repositories
    /// the payload named, or null to list the installation's repositories, <see cref="WorkItem.PullNumber"/> being
    /// the page of that list (from 1) this item queues.
    /// </summary>
    OnboardInstallation,

    /// <summary>
    /// Ask GitHub to send again the deliveries it could not deliver (<c>Redelivery:*</c>): App-wide, not an
    /// installation's (<see cref="WorkItem.InstallationId"/> 0), one item per interval across replicas.
    /// </summary>
    Redeliver,
}

/// <summary>
/// A small unit of work: which pull request to review at which head, or which branch commit to check. Never the
/// whole payload (Azure Storage Queue messages are capped at 64 KB).
/// </summary>
/// <param name="DeliveryId">X-GitHub-Delivery of the webhook that asked for it.</param>
/// <param name="InstallationId">The App installation that may act on the repository.</param>
/// <param name="Owner">Base repository owner.</param>
/// <param name="Repo">Base repository name.</param>
/// <param name="PullNumber">Pull request number (0 for a branch check).</param>
/// <param name="HeadSha">Head commit to review or check.</param>
/// <param name="Reason">What triggered it (pull_request.opened, check_run.rerequested …), for logs.</param>
/// <param name="BaseRef">Base branch, when the webhook payload had it (pull_request events); with
/// <paramref name="Draft"/> it spares the run a GET of the pull request. Optional and trailing, so queue
/// messages written before it existed still read.</param>
/// <param name="Draft">Whether the pull request is a draft, when the webhook payload had it.</param>
/// <param name="Kind">What to do; absent from older messages, which were all reviews. For
/// <see cref="WorkKind.BranchCheck"/>, <paramref name="BaseRef"/> is the branch pushed to.</param>
/// <param name="Repositories">For <see cref="WorkKind.OnboardInstallation"/>: "owner/name" of the repositories to
/// onboard, when the payload named few enough to carry (see <c>WebhookRouter.MaxCarriedRepositories</c>).</param>
/// <param name="BaseSha">The base branch's commit the pull request was at when the webhook was sent (pull_request
/// events): with <paramref name="HeadSha"/> it is the pair of commits the review judges (the config at it, the
/// changes from its merge base with the head). Without it the run reads the pull request. Optional and trailing,
/// so older messages still read.</param>
public sealed record WorkItem(
    string DeliveryId,
    long InstallationId,
    string Owner,
    string Repo,
    int PullNumber,
    string HeadSha,
    string Reason,
    string? BaseRef = null,
    bool? Draft = null,
    WorkKind Kind = WorkKind.Review,
    IReadOnlyList<string>? Repositories = null,
    string? BaseSha = null)
{
    /// <summary>
    /// When GitHub says the head was asked for (a pull request's <c>updated_at</c>, a push's <c>pushed_at</c>), or
    /// null when the event does not say. A delivery GitHub makes again later carries its original time, so it can
    /// be told from a newer one.
    /// </summary>
    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>
    /// Work that can wait: reviews and branch checks (someone waits for their check) go first, onboarding and
    /// redelivery only when no review waits. Derived from the kind, so a message written before lanes existed reads
    /// with its lane.
    /// </summary>
    [JsonIgnore]
    public bool IsBackground => Kind is WorkKind.Onboard or WorkKind.OnboardInstallation or WorkKind.Redeliver;

    /// <summary>
    /// GitHub's id of the base repository (<c>repository.id</c> of the webhook): it stays when the repository is
    /// renamed or transferred, so state keyed by it survives both. Null in messages written before it existed, and
    /// for <see cref="WorkKind.OnboardInstallation"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? RepositoryId { get; init; }

    /// <summary>
    /// For <see cref="WorkKind.OnboardInstallation"/>: the ids of <see cref="Repositories"/>, in the same order, when
    /// the payload had them (0 for one it did not). Null in older messages.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? RepositoryIds { get; init; }

    /// <summary>
    /// Key that orders work and keys its state: per pull request, or per branch for branch checks (a newer push to
    /// the branch supersedes the older one's check that has not started). By repository id when the item has it
    /// (names change: a renamed repository must not get a second review), else <see cref="LegacyPullRequestKey"/>.
    /// </summary>
    public string PullRequestKey => RepositoryId is { } id ? KeyOf($"repo-{id}") : LegacyPullRequestKey;

    /// <summary>The key by "owner/name" that state was saved under before items carried the repository id: still read.</summary>
    [JsonIgnore]
    public string LegacyPullRequestKey => KeyOf($"{Owner}/{Repo}");

    private string KeyOf(string repository) => Kind switch
    {
        WorkKind.BranchCheck => $"{repository}@{BaseRef}".ToLowerInvariant(),
        WorkKind.Onboard => $"{repository}!onboard".ToLowerInvariant(),
        // Per page: each page is its own unit of work, so a retried page's copies are dropped, not the next page.
        WorkKind.OnboardInstallation => $"{Owner}!installation-{InstallationId}/{PullNumber}".ToLowerInvariant(),
        WorkKind.Redeliver => "!redelivery",
        _ => $"{repository}#{PullNumber}".ToLowerInvariant(),
    };
}

/// <summary>A dequeued item. Complete it once the review is delivered; otherwise it comes back.</summary>
public interface IQueuedWork
{
    WorkItem Item { get; }

    /// <summary>The queue message's id: the same each time this message is handed out, different for a copy enqueued again.</summary>
    string MessageId { get; }

    /// <summary>How many times this item has been handed out, this time included.</summary>
    int DequeueCount { get; }

    /// <summary>Done: remove it for good.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Failed this time: make it visible again after <paramref name="delay"/>.</summary>
    Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Gave up: move it aside (a poison queue) with the reason.</summary>
    Task DeadLetterAsync(string reason, CancellationToken cancellationToken);
}

/// <summary>Where the webhook puts work and the workers take it from.</summary>
public interface IWorkQueue
{
    Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Enqueues <paramref name="item"/> to be handed out no sooner than <paramref name="delay"/> from now: work that
    /// waits (onboarding's write budget) waits here, as a fresh message whose attempts start again at one.
    /// </summary>
    Task ScheduleAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot schedule work.");

    /// <summary>Waits for the next item, urgent work (<see cref="WorkItem.IsBackground"/> false) first; null when the queue is shutting down.</summary>
    Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="DequeueAsync(CancellationToken)"/>, but with <paramref name="urgentOnly"/> only urgent work is
    /// handed out (the worker holds enough background work already). A queue without lanes hands out anything.
    /// </summary>
    Task<IQueuedWork?> DequeueAsync(bool urgentOnly, CancellationToken cancellationToken) => DequeueAsync(cancellationToken);

    /// <summary>Approximate number of waiting items, for health and metrics.</summary>
    Task<int> GetDepthAsync(CancellationToken cancellationToken);
}
