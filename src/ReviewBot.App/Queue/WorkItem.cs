using System.Text.Json.Serialization;

namespace ReviewBot.App.Queue;

/// <summary>
/// A small unit of work, one type per kind (<see cref="ReviewWork"/>, <see cref="BranchCheckWork"/>,
/// <see cref="OnboardWork"/>, <see cref="InstallationPageWork"/>, <see cref="RedeliveryWork"/>); the worker hands
/// each to the runner registered for its type. Never the whole payload (Azure Storage Queue messages are capped at
/// 64 KB); <c>Azure/WorkItemMessage</c> writes them in the one flat format queue messages have always had.
/// </summary>
/// <param name="DeliveryId">X-GitHub-Delivery of the webhook that asked for it (or the id a scheduler gives it).</param>
/// <param name="InstallationId">The App installation that may act on the repository (0 for App-wide work).</param>
/// <param name="Reason">What triggered it (pull_request.opened, check_run.rerequested …), for logs.</param>
public abstract record WorkItem(string DeliveryId, long InstallationId, string Reason)
{
    /// <summary>Separates a delivery id from its continuation number where both are one string; GitHub's delivery ids never hold it.</summary>
    public const char ContinuationMark = '~';

    /// <summary>
    /// How many times this work was deferred and continued (<c>WorkDeferredException</c>): 0 for the webhook's own
    /// item. Each continuation is new work to the deduplicating queue, while two copies of one continuation (a crash
    /// between scheduling and completing) are still one.
    /// </summary>
    public int Continuation { get; init; }

    /// <summary>The delivery and continuation as one id (<c>{delivery}~{n}</c>, the delivery alone for the first): what claims and queue messages name.</summary>
    [JsonIgnore]
    public string Occurrence => Continuation == 0 ? DeliveryId : $"{DeliveryId}{ContinuationMark}{Continuation}";

    /// <summary>
    /// Key that orders work and keys its state: work with the same key runs one at a time, in order (per pull request,
    /// per branch, per repository's onboarding, per installation page).
    /// </summary>
    public abstract string Key { get; }

    /// <summary>
    /// Work that can wait: reviews and branch checks (someone waits for their check) go first, onboarding and
    /// redelivery only when no review waits.
    /// </summary>
    [JsonIgnore]
    public virtual bool IsBackground => true;
}

/// <summary>Work on one repository, named by owner and name and, when the item has it, by GitHub's id.</summary>
public abstract record RepositoryWork(string DeliveryId, long InstallationId, string Owner, string Repo, string Reason)
    : WorkItem(DeliveryId, InstallationId, Reason)
{
    /// <summary>
    /// GitHub's id of the repository (<c>repository.id</c> of the webhook): it stays when the repository is renamed
    /// or transferred, so state keyed by it survives both. Null in messages written before it existed.
    /// </summary>
    public long? RepositoryId { get; init; }

    /// <summary>By repository id when the item has it (names change: a renamed repository must not get a second review), else <see cref="LegacyKey"/>.</summary>
    public sealed override string Key => RepositoryId is { } id ? KeyOf($"repo-{id}") : LegacyKey;

    /// <summary>The key by "owner/name" that state was saved under before items carried the repository id: still read.</summary>
    public string LegacyKey => KeyOf($"{Owner}/{Repo}");

    /// <summary>This kind's key within the repository named <paramref name="repository"/>.</summary>
    protected abstract string KeyOf(string repository);
}

/// <summary>Work on one commit someone waits for (a review, a branch check): the newest asked for supersedes older ones.</summary>
/// <param name="HeadSha">The commit to review or check.</param>
public abstract record HeadWork(string DeliveryId, long InstallationId, string Owner, string Repo, string HeadSha, string Reason)
    : RepositoryWork(DeliveryId, InstallationId, Owner, Repo, Reason)
{
    /// <summary>
    /// When GitHub says the head was asked for (a pull request's <c>updated_at</c>, a push's <c>pushed_at</c>), or
    /// null when the event does not say. A delivery GitHub makes again later carries its original time, so it can
    /// be told from a newer one.
    /// </summary>
    public DateTimeOffset? RequestedAt { get; init; }

    public override bool IsBackground => false;
}

/// <summary>A dequeued item. Complete it once its work is done; otherwise it comes back.</summary>
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
