using ReviewBot.App.Queue;

namespace ReviewBot.App.Worker;

/// <summary>
/// Runs one kind of work item. Registered as a keyed scoped service under its <see cref="WorkKind"/>
/// (<c>services.AddKeyedScoped&lt;IWorkRunner, T&gt;(WorkKind.X)</c>); <see cref="QueueWorker"/> gives each
/// item to its kind's runner and handles retries, dead-lettering and ordering for all kinds alike.
/// </summary>
public interface IWorkRunner
{
    /// <param name="item">What to do.</param>
    /// <param name="attempt">How many times the item has been handed out, this time included.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    Task<RunOutcome> RunAsync(WorkItem item, int attempt, CancellationToken cancellationToken);
}
