using System.Collections.Concurrent;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Registry;

/// <summary>
/// What was read from registries, in two parts: a manifest digest's config (a digest names immutable content, so it
/// is kept for good) and a tag's digest, for a short time only (a tag moves). The CLI keeps both in memory; the App
/// shares them through its state store, so replicas and reviews read an image once. A store that fails is a miss.
/// </summary>
public interface IImageConfigCache
{
    /// <summary>The digest a tag (<see cref="ImageResolver.TagKey"/>) named when it was read, while it is fresh.</summary>
    ValueTask<string?> GetDigestAsync(string tagKey, CancellationToken cancellationToken);

    /// <summary>Remembers a tag's digest for <paramref name="ttl"/>.</summary>
    ValueTask SetDigestAsync(string tagKey, string digest, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>The config read for a digest and platform (<see cref="ImageResolver.DigestKey"/>).</summary>
    ValueTask<RegistryImageConfig?> GetConfigAsync(string digestKey, CancellationToken cancellationToken);

    /// <summary>Remembers a digest's config; it never changes, so it does not expire.</summary>
    ValueTask SetConfigAsync(string digestKey, RegistryImageConfig config, CancellationToken cancellationToken);
}

/// <summary>In memory and bounded: made-up image names in pull requests cannot grow it without limit.</summary>
public sealed class MemoryImageConfigCache(TimeProvider time) : IImageConfigCache
{
    /// <summary>Our own bound per part: far more distinct base images than an organisation uses.</summary>
    public const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, (string Digest, DateTimeOffset Expires)> _tags = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RegistryImageConfig> _configs = new(StringComparer.Ordinal);

    public ValueTask<string?> GetDigestAsync(string tagKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tags.TryGetValue(tagKey, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Digest : null);

    public ValueTask SetDigestAsync(string tagKey, string digest, TimeSpan ttl, CancellationToken cancellationToken)
    {
        Bound(_tags);
        _tags[tagKey] = (digest, time.GetUtcNow() + ttl);
        return ValueTask.CompletedTask;
    }

    public ValueTask<RegistryImageConfig?> GetConfigAsync(string digestKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_configs.GetValueOrDefault(digestKey));

    public ValueTask SetConfigAsync(string digestKey, RegistryImageConfig config, CancellationToken cancellationToken)
    {
        Bound(_configs);
        _configs[digestKey] = config;
        return ValueTask.CompletedTask;
    }

    private static void Bound<T>(ConcurrentDictionary<string, T> entries)
    {
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }
    }
}
