namespace ReviewBot.Analysis.Model;

/// <summary>
/// Variable names read out of text, one string per distinct name on each thread: every <c>$NAME</c> a RUN, ENV or
/// USER refers to, and every name an ARG or ENV declares, was a new string, though a scan meets the same few (HOME,
/// PATH, VERSION …) in file after file. Heredoc delimiters (EOF, EOT) are kept here too, for the same reason.
/// </summary>
internal static class VariableNames
{
    /// <summary>Names kept per thread: plenty for real files; when made-up names fill it, it starts again.</summary>
    internal const int MaxNames = 2048;

    /// <summary>Longer names are not kept: real names are short, and a long one would only pin memory.</summary>
    private const int MaxKeptLength = 64;

    /// <summary>Each name, with the one-name list <see cref="Alone"/> gives for it.</summary>
    [ThreadStatic]
    private static Dictionary<string, string[]>? _names;

    /// <summary>Names kept on this thread (for the tests: never more than <see cref="MaxNames"/>).</summary>
    internal static int Kept => _names?.Count ?? 0;

    /// <summary>The name as a string: the one already made for it on this thread when there is one.</summary>
    public static string Get(ReadOnlySpan<char> name)
    {
        if (name.Length > MaxKeptLength)
        {
            return name.ToString();
        }

        var names = _names ??= new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (names.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var known))
        {
            return known[0];
        }

        if (names.Count >= MaxNames)
        {
            // Full (made-up names, most likely): start again rather than stop keeping the names real files use.
            names.Clear();
        }

        string made = name.ToString();
        names.Add(made, [made]);
        return made;
    }

    /// <summary>
    /// A list of the one name (an expansion's unresolved names, most often one): made once per kept name, not for every
    /// expansion that stops at it. Shared, so never changed: it is handed out only as a read-only list.
    /// </summary>
    public static IReadOnlyList<string> Alone(string name) =>
        _names is { } names && names.TryGetValue(name, out var alone) ? alone : [name];
}
