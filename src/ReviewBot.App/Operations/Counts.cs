namespace ReviewBot.App.Operations;

/// <summary>How many of something each key holds (connections per address, items per installation); a key at zero is forgotten. Not thread-safe: callers lock.</summary>
internal sealed class Counts<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _counts = [];

    public int Of(TKey key) => _counts.GetValueOrDefault(key);

    public void Add(TKey key) => _counts[key] = Of(key) + 1;

    public void Remove(TKey key)
    {
        if (Of(key) > 1)
        {
            _counts[key]--;
        }
        else
        {
            _counts.Remove(key);
        }
    }
}
