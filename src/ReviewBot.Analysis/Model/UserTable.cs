using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ReviewBot.Analysis.Model;

/// <summary>
/// The users (or groups) a stage and the stages it is built from create, by name: a later creation of a name wins, and
/// they are listed in the order they were first created, so whatever picks one of them picks the same one every run.
/// </summary>
/// <remarks>
/// An immutable dictionary did this before: a tree walk per lookup (35,000 users made and switched to in one stage,
/// 4 MiB of <c>RUN useradd</c> and <c>USER</c>, spent a third of the file's time walking it) and an order that followed
/// the string hash, which .NET seeds anew in each process (the existing user a fix switched to changed from run to run).
/// This table is persistent instead: a stage shares the table of the stage it is built from and lays its own users
/// over it as one dictionary, so a chain of thousands of stages stays linear. Layers merge as a binary counter's digits
/// carry (a layer absorbs the one below while that one is at most twice its size), so a table has at most ~log2 of
/// its size of them, and a name is found with that many hash probes.
/// </remarks>
public sealed class UserTable : IReadOnlyDictionary<string, CreatedUser>
{
    public static UserTable Empty { get; } = new([], 0);

    /// <summary>Oldest first. Never changed once the table is made: tables share them.</summary>
    private readonly Dictionary<string, CreatedUser>[] _layers;

    private UserTable(Dictionary<string, CreatedUser>[] layers, int count)
    {
        _layers = layers;
        Count = count;
    }

    public int Count { get; }

    public CreatedUser this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No user or group named '{key}' is created.");

    public IEnumerable<string> Keys => this.Select(pair => pair.Key);

    public IEnumerable<CreatedUser> Values => this.Select(pair => pair.Value);

    /// <summary>
    /// This table with <paramref name="added"/> laid over it (its names win; new names come after this table's, in
    /// <paramref name="added"/>'s order). The result keeps <paramref name="added"/>: the caller must not change it again.
    /// </summary>
    public UserTable With(Dictionary<string, CreatedUser> added)
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

        var layers = new List<Dictionary<string, CreatedUser>>(_layers.Length + 1);
        layers.AddRange(_layers);
        var top = added;
        while (layers.Count > 0 && layers[^1].Count <= 2 * top.Count)
        {
            // The older layer first, so its names keep their places; the newer one's values win.
            var merged = new Dictionary<string, CreatedUser>(layers[^1], StringComparer.Ordinal);
            foreach (var (name, user) in top)
            {
                merged[name] = user;
            }

            layers.RemoveAt(layers.Count - 1);
            top = merged;
        }

        layers.Add(top);
        return new UserTable([.. layers], count);
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out CreatedUser value)
    {
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            if (_layers[i].TryGetValue(key, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, CreatedUser>> GetEnumerator()
    {
        // Each name once, where it was first created, with the value of its latest creation.
        for (int i = 0; i < _layers.Length; i++)
        {
            foreach (var (name, user) in _layers[i])
            {
                if (!InLayerBelow(name, i))
                {
                    yield return new(name, Latest(name, i, user));
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

    private CreatedUser Latest(string name, int layer, CreatedUser found)
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
