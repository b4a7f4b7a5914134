using System.Collections.Concurrent;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Registry;

/// <summary>
/// What was read from registries: a config by manifest digest (immutable, kept), and a tag's digest for a short time
/// (a tag moves). The CLI keeps it in memory; the App may put it in its state store.
/// </summary>
public interface IImageConfigCache
{
    ValueTask<RegistryImageConfig?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Remembers <paramref name="config"/> under <paramref name="key"/> (an image with tag or digest, and platform) for <paramref name="ttl"/>.</summary>
    ValueTask SetAsync(string key, RegistryImageConfig config, TimeSpan ttl, CancellationToken cancellationToken);
}

/// <summary>In memory, bounded, expiring: made-up image names in pull requests cannot grow it without limit.</summary>
public sealed class MemoryImageConfigCache(TimeProvider time) : IImageConfigCache
{
    /// <summary>Our own bound: far more distinct base images than an organisation uses.</summary>
    public const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, (RegistryImageConfig Config, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public ValueTask<RegistryImageConfig?> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Config : null);

    public ValueTask SetAsync(string key, RegistryImageConfig config, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = (config, time.GetUtcNow() + ttl);
        return ValueTask.CompletedTask;
    }
}
