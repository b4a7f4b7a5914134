using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;

namespace ReviewBot.App.Onboarding;

/// <summary>
/// The content-creating requests reserved for one installation in the last hour: when each reservation was made
/// and how many writes it took. <see cref="ETag"/> is the store's concurrency token (null for a new record), so
/// two replicas reserving at once never both spend the same budget.
/// </summary>
public sealed record WriteBudget(ImmutableArray<(DateTimeOffset At, int Writes)> Reservations, string? ETag = null)
{
    public static WriteBudget Empty { get; } = new([]);

    /// <summary>A compact text form ("ticks:writes;…"), a few KB at most (500 writes an hour), for a table column.</summary>
    public string Serialize() => string.Join(';', Reservations.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.At.UtcTicks}:{r.Writes}")));

    /// <summary>Reads <see cref="Serialize"/>'s form; anything unreadable is dropped (a lost reservation only makes us wait less once, never loops).</summary>
    public static ImmutableArray<(DateTimeOffset At, int Writes)> Parse(string? text) =>
        [.. (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split(':'))
            .Where(p => p.Length == 2 && long.TryParse(p[0], CultureInfo.InvariantCulture, out var t) && t is >= 0 && t <= DateTimeOffset.MaxValue.UtcTicks
                && int.TryParse(p[1], CultureInfo.InvariantCulture, out var w) && w > 0)
            .Select(p => (new DateTimeOffset(long.Parse(p[0], CultureInfo.InvariantCulture), TimeSpan.Zero), int.Parse(p[1], CultureInfo.InvariantCulture)))];
}

/// <summary>Where write budgets live, shared by every replica: in memory by default, Azure Table Storage when scaled out.</summary>
public interface IWriteBudgetStore
{
    Task<WriteBudget> GetAsync(long installationId, CancellationToken cancellationToken);

    /// <summary>Saves the budget if nobody changed it since it was read; false on a conflict (re-read and try again).</summary>
    Task<bool> TrySaveAsync(long installationId, WriteBudget budget, CancellationToken cancellationToken);
}

/// <summary>One process's budgets, with the same optimistic concurrency as the table store.</summary>
public sealed class InMemoryWriteBudgetStore : IWriteBudgetStore
{
    private readonly ConcurrentDictionary<long, WriteBudget> _budgets = new();
    private readonly Lock _sync = new();

    public Task<WriteBudget> GetAsync(long installationId, CancellationToken cancellationToken) =>
        Task.FromResult(_budgets.TryGetValue(installationId, out var budget) ? budget : WriteBudget.Empty);

    public Task<bool> TrySaveAsync(long installationId, WriteBudget budget, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            _budgets.TryGetValue(installationId, out var current);
            if (current?.ETag != budget.ETag)
            {
                return Task.FromResult(false);
            }

            _budgets[installationId] = budget with { ETag = Guid.NewGuid().ToString("N") };
            return Task.FromResult(true);
        }
    }
}
