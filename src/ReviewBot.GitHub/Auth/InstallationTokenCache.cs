using System.Collections.Concurrent;

namespace ReviewBot.GitHub.Auth;

/// <summary>An installation access token and when GitHub says it expires.</summary>
public sealed record InstallationToken(string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>What GitHub granted the token, by permission name ("packages") and level ("read", "write").</summary>
    public System.Collections.Immutable.ImmutableDictionary<string, string> Permissions { get; init; } = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty;

    /// <summary>Whether the token may read the installation's packages (its account's images on ghcr.io).</summary>
    public bool CanReadPackages => Permissions.GetValueOrDefault("packages") is "read" or "write";

    public override string ToString() => $"InstallationToken(expires {ExpiresAt:O})"; // never the token itself
}

/// <summary>
/// Installation tokens (valid one hour) cached per installation and <see cref="TokenScope"/> (repository and
/// permissions) and fetched again shortly before they expire. Concurrent callers for one key share one fetch.
/// </summary>
public sealed class InstallationTokenCache(Func<long, TokenScope, CancellationToken, Task<InstallationToken>> fetch, TimeProvider time)
{
    /// <summary>A token is replaced this long before it expires, so a slow review never starts with a dying token.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(long Installation, TokenScope Scope), Lazy<Task<InstallationToken>>> _tokens = new();

    public async Task<InstallationToken> GetAsync(long installationId, TokenScope scope, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            var key = (installationId, scope);
            var entry = _tokens.GetOrAdd(key, k => new Lazy<Task<InstallationToken>>(() => fetch(k.Installation, k.Scope, CancellationToken.None)));
            InstallationToken token;
            try
            {
                token = await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                _tokens.TryRemove(KeyValuePair.Create(key, entry)); // a failed fetch is not cached
                throw;
            }

            var left = token.ExpiresAt - time.GetUtcNow();
            if (left > RefreshBefore || (attempt > 0 && left > TimeSpan.Zero))
            {
                // A freshly fetched token is used even when short-lived, rather than fetching in a loop.
                return token;
            }

            _tokens.TryRemove(KeyValuePair.Create(key, entry));
        }
    }

    /// <summary>Forgets the token (GitHub answered 401: it was revoked or the clock is off).</summary>
    public void Invalidate(long installationId, TokenScope scope) => _tokens.TryRemove((installationId, scope), out _);
}
