using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ReviewBot.Analysis.Model;

/// <summary>
/// What a stage and the stages it is built from define by name (the users and groups they create, their ENV): a later
/// definition of a name wins, and names are listed in the order they were first defined, so whatever picks one of them
/// picks the same one every run.
/// </summary>
/// <remarks>
/// Immutable dictionaries did this before: a tree walk per lookup (35,000 users made and switched to in one stage,
/// 4 MiB of <c>RUN useradd</c> and <c>USER</c>, spent a third of the file's time walking it), a path of new tree nodes
/// per name a stage adds, kept by the stage (a chain of 100,000 stages each <c>FROM</c> the one before with one ENV
/// held 260 MB), and an order that followed the string hash, which .NET seeds anew in each process (the existing user
/// a fix switched to changed from run to run). This table is persistent instead: a stage shares the table of the stage
/// it is built from and lays what it defines over it as one dictionary. Layers merge as a binary counter's digits carry
/// (a layer absorbs the one below while that one is at most twice its size), so a table has at most ~log2 of its size
/// of them, a name is found with that many hash probes, and a chain of stages copies each name ~log2 times in all.
/// </remarks>
public sealed class NameTable<TValue> : IReadOnlyDictionary<string, TValue>
{
    public static NameTable<TValue> Empty { get; } = new([], 0);

    /// <summary>Oldest first. Never changed once the table is made: tables share them.</summary>
    private readonly Dictionary<string, TValue>[] _layers;

    private NameTable(Dictionary<string, TValue>[] layers, int count)
    {
        _layers = layers;
        Count = count;
    }

    public int Count { get; }

    public TValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"Nothing named '{key}' is defined.");

    public IEnumerable<string> Keys => this.Select(pair => pair.Key);

    public IEnumerable<TValue> Values => this.Select(pair => pair.Value);

    /// <summary>
    /// This table with <paramref name="added"/> laid over it (its names win; new names come after this table's, in
    /// <paramref name="added"/>'s order). The result keeps <paramref name="added"/>: the caller must not change it again.
    /// </summary>
    public NameTable<TValue> With(Dictionary<string, TValue> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        if (added.Count == 0)
        {
            return this;
        }

        int count = Count;
        foreach (var name in added.Keys)
        {
            count += ContainsKey(name) ? 0 : 1;
        }

        // The layers from the top that the new one absorbs: while the one below is at most twice what is above it.
        int keep = _layers.Length;
        int above = added.Count;
        while (keep > 0 && _layers[keep - 1].Count <= 2 * above)
        {
            above += _layers[--keep].Count;
        }

        var top = added;
        if (keep < _layers.Length)
        {
            // Oldest first, so names keep their first places; the newer values win. Sized once: grown as it filled,
            // a merge allocated its tables twice over.
            top = new Dictionary<string, TValue>(above, StringComparer.Ordinal);
            for (int i = keep; i < _layers.Length; i++)
            {
                foreach (var (name, value) in _layers[i])
                {
                    top[name] = value;
                }
            }

            foreach (var (name, value) in added)
            {
                top[name] = value;
            }
        }

        var layers = new Dictionary<string, TValue>[keep + 1];
        Array.Copy(_layers, layers, keep);
        layers[keep] = top;
        return new NameTable<TValue>(layers, count);
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            if (_layers[i].TryGetValue(key, out value))
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator()
    {
        // Each name once, where it was first defined, with the value of its latest definition.
        for (int i = 0; i < _layers.Length; i++)
        {
            foreach (var (name, value) in _layers[i])
            {
                if (!InLayerBelow(name, i))
                {
                    yield return new(name, Latest(name, i, value));
                }
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private bool InLayerBelow(string name, int layer)
    {
        for (int i = layer - 1; i >= 0; i--)
        {
            if (_layers[i].ContainsKey(name))
            {
                return true;
            }
        }

        return false;
    }

    private TValue Latest(string name, int layer, TValue found)
    {
        for (int i = _layers.Length - 1; i > layer; i--)
        {
            if (_layers[i].TryGetValue(name, out var later))
            {
                return later;
            }
        }

        return found;
    }
}
