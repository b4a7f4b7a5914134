using ReviewBot.App.Queue;

namespace ReviewBot.App.Worker;

/// <summary>How one run ended, as a value the worker records (the <c>outcome</c> tag of <c>reviewbot.reviews</c>).</summary>
public enum RunOutcome
{
    /// <summary>A pull request was reviewed.</summary>
    Reviewed,

    /// <summary>A branch's commit was checked.</summary>
    Checked,

    /// <summary>A repository's onboarding pull request was opened or refreshed.</summary>
    Onboarded,

    /// <summary>An installation's page of repositories was queued for onboarding.</summary>
    Queued,

    /// <summary>GitHub was asked to send failed deliveries again.</summary>
    Redelivered,

    /// <summary>A newer head was asked for: nothing done.</summary>
    Superseded,

    /// <summary>Nothing to do (done already, switched off, opted out, closed).</summary>
    Skipped,
}

/// <summary>What <see cref="QueueWorker"/> calls; implement <see cref="IWorkRunner{TWork}"/>.</summary>
public interface IWorkRunner
{
    /// <param name="item">What to do.</param>
    /// <param name="attempt">How many times the item has been handed out, this time included.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="ReviewBot.GitHub.WorkDeferredException">The work must wait: it comes back after the wait, as a continuation.</exception>
    Task<RunOutcome> RunAsync(WorkItem item, int attempt, CancellationToken cancellationToken);
}

/// <summary>
/// Runs one type of work item. Registered with <see cref="WorkRunnerServiceExtensions.AddWorkRunner{TWork, TRunner}"/>
/// under its work type; <see cref="QueueWorker"/> gives each item to its type's runner and handles retries,
/// deferral, dead-lettering and ordering for all types alike.
/// </summary>
public interface IWorkRunner<in TWork> : IWorkRunner
    where TWork : WorkItem
{
    /// <inheritdoc cref="IWorkRunner.RunAsync"/>
    Task<RunOutcome> RunAsync(TWork item, int attempt, CancellationToken cancellationToken);

    Task<RunOutcome> IWorkRunner.RunAsync(WorkItem item, int attempt, CancellationToken cancellationToken) =>
        RunAsync((TWork)item, attempt, cancellationToken);
}

public static class WorkRunnerServiceExtensions
{
    /// <summary>Registers <typeparamref name="TRunner"/> (scoped: one per run) as the runner of <typeparamref name="TWork"/> items.</summary>
    public static IServiceCollection AddWorkRunner<TWork, TRunner>(this IServiceCollection services)
        where TWork : WorkItem
        where TRunner : class, IWorkRunner<TWork> =>
        services.AddKeyedScoped<IWorkRunner, TRunner>(typeof(TWork));

    /// <summary>The runner registered for <paramref name="item"/>'s type, or null when this version has none.</summary>
    internal static IWorkRunner? RunnerFor(this IServiceProvider services, WorkItem item) =>
        services.GetKeyedService<IWorkRunner>(item.GetType());
}
