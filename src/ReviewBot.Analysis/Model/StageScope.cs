using System.Runtime.InteropServices;

namespace ReviewBot.Analysis.Model;

/// <summary>
/// The ARG/ENV values of one stage before each of its instructions: the scope the stage starts with (shared, never
/// copied) and, per name, the values this stage declared, each with the instruction that declared it.
/// </summary>
/// <remarks>
/// The stage used to keep an immutable dictionary per instruction, updated per declaration: every ARG and ENV of
/// every file allocated a new path of tree nodes. Here a declaration appends one entry, and a lookup finds the last
/// entry declared before the instruction asked about (a binary search, so a stage with thousands of declarations
/// of one name stays linear). Dictionaries are built only when asked for (<see cref="Stage.FinalEnv"/> for a stage
/// built FROM this one, <see cref="Stage.FinalScope"/>).
/// </remarks>
internal sealed class StageScope
{
    private readonly NameTable<VariableValue> _start;

    /// <summary>Declarations by name, in the order their instructions come; null until the first (many stages declare nothing).</summary>
    private Dictionary<string, History>? _declared;

    /// <summary>Whether any ENV was declared: else the stage ends with the ENV it started with.</summary>
    private bool _anyEnv;

    /// <summary>How many names the stage is expected to declare (its ARG and ENV instructions): the table's first size.</summary>
    private readonly int _expected;

    public StageScope(NameTable<VariableValue> start, int expectedNames = 0)
    {
        _start = start;
        _expected = expectedNames;
    }

    /// <summary>The values of one name: the first inline (most names are declared once), any later ones in a list.</summary>
    private struct History
    {
        public int FirstAt;
        public VariableValue First;
        public List<(int At, VariableValue Value)>? Later;
        public bool IsEnv;
    }

    /// <summary>The value of <paramref name="name"/> before instruction <paramref name="at"/> runs (null when undeclared).</summary>
    public VariableValue? Lookup(string name, int at)
    {
        if (_declared is not null && _declared.TryGetValue(name, out var history) && history.FirstAt < at)
        {
            if (history.Later is { } later)
            {
                // The last declaration before `at`: declarations come in instruction order.
                int low = 0;
                int high = later.Count - 1;
                while (low <= high)
                {
                    int mid = (low + high) >>> 1;
                    if (later[mid].At < at)
                    {
                        low = mid + 1;
                    }
                    else
                    {
                        high = mid - 1;
                    }
                }

                if (high >= 0)
                {
                    return later[high].Value;
                }
            }

            return history.First;
        }

        return _start.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>Whether an ENV set <paramref name="name"/>, in this stage so far or in the scope it started with.</summary>
    /// <remarks>The start scope holds only ENV values (inherited from a parent stage, or set by the base image).</remarks>
    public bool IsEnv(string name) =>
        (_declared is not null && _declared.TryGetValue(name, out var history) && history.IsEnv) || _start.ContainsKey(name);

    /// <summary>Declares <paramref name="name"/> at instruction <paramref name="at"/>: visible to the instructions after it.</summary>
    public void Declare(string name, VariableValue value, int at, bool isEnv)
    {
        // Sized for the stage's declarations: grown from the default, a stage of ten ENV lines allocated three tables.
        _declared ??= new Dictionary<string, History>(_expected, StringComparer.Ordinal);
        ref var history = ref CollectionsMarshal.GetValueRefOrAddDefault(_declared, name, out bool exists);
        if (!exists)
        {
            history.FirstAt = at;
            history.First = value;
        }
        else
        {
            (history.Later ??= []).Add((at, value));
        }

        history.IsEnv |= isEnv;
        _anyEnv |= isEnv;
    }

    /// <summary>ENV values at the end of the stage.</summary>
    /// <remarks>
    /// A name's last declaration is its last ENV once any ENV set it: an ARG after an ENV of the same name is never
    /// declared (<see cref="IsEnv"/>).
    /// </remarks>
    public NameTable<VariableValue> FinalEnv()
    {
        if (!_anyEnv)
        {
            return _start;
        }

        var env = new Dictionary<string, VariableValue>(StringComparer.Ordinal);
        foreach (var (name, history) in _declared!)
        {
            if (history.IsEnv)
            {
                env[name] = Last(history);
            }
        }

        return _start.With(env);
    }

    private static VariableValue Last(History history) => history.Later is { Count: > 0 } later ? later[^1].Value : history.First;

    /// <summary>ARG and ENV values at the end of the stage.</summary>
    public NameTable<VariableValue> FinalScope()
    {
        if (_declared is null)
        {
            return _start;
        }

        var scope = new Dictionary<string, VariableValue>(_declared.Count, StringComparer.Ordinal);
        foreach (var (name, history) in _declared)
        {
            scope[name] = Last(history);
        }

        return _start.With(scope);
    }
}
