using System.Collections.Concurrent;
using System.Globalization;

namespace ReviewBot.GitHub.Api;

/// <summary>
/// One credential's primary rate limits as GitHub last reported them (x-ratelimit-limit, -remaining, -reset, per
/// x-ratelimit-resource: REST's <c>core</c> and <c>graphql</c> are separate budgets). Shared by every client of an
/// installation in the process, so concurrent work sees one budget. Background work (onboarding, the default
/// branch's check) asks <see cref="BackgroundWait"/> before it starts and stops while a budget is below
/// <see cref="ReserveShare"/>, leaving the rest to pull request reviews, which a person waits on and which never ask.
/// </summary>
public sealed class RateLimitBudget(TimeProvider time)
{
    /// <summary>
    /// The share of each hourly budget kept for pull request reviews: 500 of an installation's 5,000 REST requests
    /// (GitHub, "Rate limits for the REST API": at least 5,000 an hour for an installation; GraphQL, 5,000 points).
    /// </summary>
    public const double ReserveShare = 0.10;

    public const string Core = "core";

    public const string GraphQL = "graphql";

    /// <summary>The budgets background work spends: REST and GraphQL.</summary>
    private static readonly string[] BackgroundResources = [Core, GraphQL];

    /// <summary>GitHub names a handful of resources (core, graphql, search, ...); a bound all the same, since the header is GitHub's to send.</summary>
    private const int MaxResources = 16;

    private readonly Dictionary<string, Observation> _seen = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>What GitHub said about one resource's window: the window ends at <see cref="Reset"/>.</summary>
    public readonly record struct Observation(int Limit, int Remaining, DateTimeOffset Reset)
    {
        public int Reserve => (int)Math.Ceiling(Limit * ReserveShare);
    }

    /// <summary>The last word on <paramref name="resource"/> whose window has not ended; null when none.</summary>
    public Observation? Last(string resource)
    {
        lock (_sync)
        {
            return _seen.TryGetValue(resource, out var o) && o.Reset > time.GetUtcNow() ? o : null;
        }
    }

    /// <summary>Whether any window GitHub reported is still running: once none is, this budget knows no more than a new one.</summary>
    public bool HasOpenWindow
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_sync)
            {
                return _seen.Values.Any(o => o.Reset > now);
            }
        }
    }

    /// <summary>
    /// Null when background work may start; else how long until the first budget below its reserve is renewed
    /// (GitHub's reset): the caller puts its work back in the queue for that long.
    /// </summary>
    public TimeSpan? BackgroundWait()
    {
        var now = time.GetUtcNow();
        var waits = BackgroundResources.Select(Last).Where(o => o is { } x && x.Remaining < x.Reserve).Select(o => o!.Value.Reset - now).ToList();
        return waits.Count == 0 ? null : waits.Max();
    }

    /// <summary>
    /// Takes in an answer's headers. Answers of one window arrive out of order under concurrency, and its remaining
    /// only goes down: the lowest is kept. A later reset starts a new window; an earlier one is an old answer.
    /// </summary>
    public void Observe(HttpResponseMessage response)
    {
        if (Header(response, "x-ratelimit-remaining") is not { } remaining || Header(response, "x-ratelimit-reset") is not { } epoch)
        {
            return;
        }

        var reset = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(epoch, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        var limit = Header(response, "x-ratelimit-limit") is { } l and > 0 and <= int.MaxValue ? (int)l : GitHubLimits.InstallationRequestsPerHour;
        var observed = new Observation(limit, (int)Math.Min(remaining, int.MaxValue), reset);
        var resource = response.Headers.TryGetValues("x-ratelimit-resource", out var names) && names.FirstOrDefault() is { Length: > 0 and <= 64 } name
            ? name
            : response.RequestMessage?.RequestUri?.AbsolutePath.EndsWith("/graphql", StringComparison.Ordinal) == true ? GraphQL : Core;
        lock (_sync)
        {
            if (!_seen.TryGetValue(resource, out var known))
            {
                if (_seen.Count < MaxResources)
                {
                    _seen[resource] = observed;
                }
            }
            else if (reset > known.Reset)
            {
                _seen[resource] = observed;
            }
            else if (reset == known.Reset && observed.Remaining < known.Remaining)
            {
                _seen[resource] = observed;
            }
        }
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>
/// Each installation's <see cref="RateLimitBudget"/>, one per installation for all its clients in the process. An App
/// installed on thousands of organizations meets thousands of installations over its life; once there are more than
/// <see cref="TrimAbove"/>, a new one drops those whose windows have all ended (a new budget knows as much).
/// </summary>
public sealed class InstallationBudgets(TimeProvider time)
{
    public const int TrimAbove = 1024;

    private readonly ConcurrentDictionary<long, RateLimitBudget> _budgets = new();

    public int Count => _budgets.Count;

    public RateLimitBudget For(long installationId)
    {
        if (_budgets.TryGetValue(installationId, out var budget))
        {
            return budget;
        }

        if (_budgets.Count >= TrimAbove)
        {
            foreach (var (id, old) in _budgets)
            {
                if (!old.HasOpenWindow)
                {
                    // Only that very budget: another thread may have put a new one in its place meanwhile.
                    _budgets.TryRemove(KeyValuePair.Create(id, old));
                }
            }
        }

        return _budgets.GetOrAdd(installationId, _ => new RateLimitBudget(time));
    }
}
