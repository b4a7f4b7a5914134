using System.Collections.Immutable;
using System.Globalization;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Model;

/// <summary>The stages of a Dockerfile with their scopes and users. The last stage is the image that runs.</summary>
public sealed class DockerfileModel
{
    /// <summary>ARGs BuildKit defines for every FROM line without a declaration; their values depend on the build.</summary>
    /// <remarks>Built once and shared: copied only when a file declares a global ARG.</remarks>
    private static readonly ImmutableDictionary<string, VariableValue> AutomaticArgs = ImmutableDictionary.CreateRange(
        StringComparer.Ordinal,
        new[]
        {
            "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
            "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
        }.Select(name => KeyValuePair.Create(name, new VariableValue(null))));

    private readonly ExpansionBudget _budget;

    /// <summary>
    /// Stages built at most. Real Dockerfiles have a few dozen at most; a hostile 4 MiB chain of 100,000 stages, each
    /// FROM the one before and adding a name to all it inherits, kept ~2 KB live a stage and took a second. Past this
    /// the rest is not read (<see cref="FirstUnreadStage"/>), and the stage that runs cannot be told.
    /// </summary>
    public const int MaxStages = 10_000;

    private DockerfileModel(ImmutableArray<Stage> stages, ExpansionBudget budget, Instruction? firstUnreadStage)
    {
        Stages = stages;
        _budget = budget;
        FirstUnreadStage = firstUnreadStage;
    }

    public ImmutableArray<Stage> Stages { get; }

    /// <summary>The FROM of the first stage past <see cref="MaxStages"/>, which is not read; null when every stage is.</summary>
    public Instruction? FirstUnreadStage { get; }

    /// <summary>Expansions abandoned over budget so far (building the model, and rules expanding through its stages).</summary>
    public ImmutableArray<ParseDiagnostic> Diagnostics => _budget.Notes;

    /// <summary>The stage that runs: the last one (null when there is no FROM, or its stages were not all read).</summary>
    public Stage? FinalStage => Stages.IsEmpty || FirstUnreadStage is not null ? null : Stages[^1];

    public static DockerfileModel Build(DockerfileDocument document, ImageFacts? images = null)
    {
        images ??= ImageFacts.None;
        char escape = document.EscapeChar;
        var budget = new ExpansionBudget();
        // ARGs declared before the first FROM: visible to FROM lines, and inside a stage only when re-declared. Only read
        // by name once built, so a plain dictionary, copied from the automatic ones at the first declaration: an
        // immutable dictionary's builder walks a tree for every lookup and insert, and 170,000 ARGs (4 MiB of ARG
        // lines) took over half of the file's time.
        Dictionary<string, VariableValue>? globals = null;

        var instructions = document.Instructions;
        int i = 0;
        for (; i < instructions.Length && !instructions[i].Is("FROM"); i++)
        {
            if (instructions[i].Is("ARG"))
            {
                foreach (var (name, value) in Declarations.ParseArg(instructions[i].Arguments))
                {
                    globals ??= new Dictionary<string, VariableValue>(AutomaticArgs, StringComparer.Ordinal);
                    var lookup = new VariableExpander.Lookup(globals);
                    globals[name] = value is null ? new VariableValue(null) : VariableValue.From(budget.Expand(instructions[i].StartLine, value, lookup, escape), lookup);
                }
            }
        }

        IReadOnlyDictionary<string, VariableValue> globalArgs = globals ?? (IReadOnlyDictionary<string, VariableValue>)AutomaticArgs;
        var stages = ImmutableArray.CreateBuilder<Stage>();
        // The latest stage by name, so a FROM finds its parent without scanning every earlier stage; made at the first
        // named stage (most files name none).
        Dictionary<string, Stage>? byName = null;
        while (i < instructions.Length)
        {
            if (stages.Count == MaxStages)
            {
                return new DockerfileModel(stages.ToImmutable(), budget, instructions[i]);
            }

            var from = instructions[i++];
            int bodyStart = i;
            while (i < instructions.Length && !instructions[i].Is("FROM"))
            {
                i++;
            }

            var stage = BuildStage(stages.Count, byName, from, instructions[bodyStart..i], globalArgs, escape, budget, images);
            stages.Add(stage);
            if (stage.Name is not null)
            {
                (byName ??= new Dictionary<string, Stage>(StringComparer.OrdinalIgnoreCase))[stage.Name] = stage;
            }
        }

        return new DockerfileModel(stages.ToImmutable(), budget, firstUnreadStage: null);
    }

    private static Stage BuildStage(
        int index,
        Dictionary<string, Stage>? earlier,
        Instruction from,
        ImmutableArray<Instruction> body,
        IReadOnlyDictionary<string, VariableValue> globalArgs,
        char escape,
        ExpansionBudget budget,
        ImageFacts images)
    {
        // The first three words of FROM, read in place: every stage split its whole line into word strings, though
        // only the image and the stage name are kept (and a lone image is the arguments themselves).
        var arguments = from.Arguments.AsSpan();
        Span<Range> words = stackalloc Range[3];
        int count = 0;
        foreach (var range in arguments.SplitAny(" \t"))
        {
            if (!arguments[range].IsEmpty)
            {
                words[count++] = range;
                if (count == words.Length)
                {
                    break;
                }
            }
        }

        var first = count > 0 ? arguments[words[0]] : [];
        string imageText = first.Length == arguments.Length ? from.Arguments : first.ToString();
        string? name = count >= 3 && arguments[words[1]].Equals("AS", StringComparison.OrdinalIgnoreCase) ? arguments[words[2]].ToString().ToLowerInvariant() : null;
        var image = budget.Expand(from.StartLine, imageText, new VariableExpander.Lookup(globalArgs), escape);

        Stage? parent = image.IsResolved && earlier is not null && earlier.TryGetValue(image.Text, out var named) ? named : null;

        ImageReference? root;
        BaseImageInfo baseInfo;
        EffectiveUser user;
        // No builders up front: most stages add no ENV from the image and create no user, and three builders per
        // stage (each with its dictionary and comparers when made immutable) were allocated for nothing. The users a
        // RUN creates get one at the first (below).
        var env = NameTable<VariableValue>.Empty;
        var users = NameTable<CreatedUser>.Empty;
        var groups = NameTable<CreatedUser>.Empty;
        bool opaque = false;
        if (parent is not null)
        {
            root = parent.RootImage;
            baseInfo = parent.Base;
            user = parent.FinalUser;
            env = parent.FinalEnv;
            users = parent.CreatedUsers;
            groups = parent.CreatedGroups;
            opaque = parent.DefinesUsersOpaquely;
        }
        else
        {
            root = image.IsResolved && ImageReference.TryParse(image.Text, out var parsed) ? parsed : null;
            baseInfo = root is null ? ImageKnowledge.Lookup(image.Text) : images.Lookup(root);
            // The image's own ENV (read from its registry), so USER $APP_UID resolves as it does in the build.
            Dictionary<string, VariableValue>? imageEnv = null;
            foreach (var (envName, envValue) in baseInfo.Env)
            {
                (imageEnv ??= new(StringComparer.Ordinal))[envName] = new VariableValue(envValue);
            }

            foreach (var shipped in baseInfo.ShippedUsers)
            {
                // Images such as .NET's define ENV APP_UID=1654 and ship USER $APP_UID.
                if (shipped.UserExpression is { } expression && expression.StartsWith('$') && shipped.Uid is { } uid)
                {
                    (imageEnv ??= new(StringComparer.Ordinal))[expression.TrimStart('$').Trim('{', '}')] = new VariableValue(uid.ToString(CultureInfo.InvariantCulture));
                }
            }

            env = imageEnv is null ? env : env.With(imageEnv);

            user = BaseUser(baseInfo);
        }

        // ENV is inherited from a parent stage; ARGs are not (only global ARG values can be re-declared).
        var usersBefore = ImmutableArray.CreateBuilder<EffectiveUser>(body.Length);
        // The parent's ENV is shared, not copied: a chain of thousands of stages over a large ENV stays linear.
        int declaring = 0;
        foreach (var instruction in body)
        {
            declaring += instruction.Is("ARG") || instruction.Is("ENV") ? 1 : 0;
        }

        var scope = new StageScope(env, declaring);
        // One list of declarations per stage, refilled by each ARG and ENV.
        List<(string Name, string? Value)>? args = null;
        List<(string Name, string Value)>? envs = null;
        // Users a RUN creates go into one dictionary per stage, made at the first and laid over the inherited table at
        // the end (NameTable.With).
        Dictionary<string, CreatedUser>? usersAdded = null;
        Dictionary<string, CreatedUser>? groupsAdded = null;
        // One list of the users a RUN creates per stage, refilled by each.
        List<(string Name, int? Uid, bool IsGroup)>? found = null;
        for (int at = 0; at < body.Length; at++)
        {
            var instruction = body[at];
            // Expansions see the scope as it was before the instruction (ENV a=1 b=$a reads the old a). A value, not
            // a closure over the scope and the index: that was a class and a delegate per stage.
            var lookup = new VariableExpander.Lookup(scope, at);
            usersBefore.Add(user);
            switch (instruction.Keyword)
            {
                case "ARG":
                    foreach (var (argName, value) in Declarations.ParseArg(instruction.Arguments, args ??= []))
                    {
                        VariableValue declared;
                        if (value is not null)
                        {
                            var expanded = budget.Expand(instruction.StartLine, value, lookup, escape);
                            declared = VariableValue.From(expanded, lookup);
                        }
                        else
                        {
                            declared = globalArgs.TryGetValue(argName, out var global) ? global : new VariableValue(null);
                        }

                        // ENV always overrides an ARG of the same name.
                        if (!scope.IsEnv(argName))
                        {
                            scope.Declare(argName, declared, at, isEnv: false);
                        }
                    }

                    break;
                case "ENV":
                    foreach (var (envName, value) in Declarations.ParseEnv(instruction.Arguments, envs ??= []))
                    {
                        var expanded = budget.Expand(instruction.StartLine, value, lookup, escape);
                        scope.Declare(envName, VariableValue.From(expanded, lookup), at, isEnv: true);
                    }

                    break;
                case "USER":
                    var spec = budget.Expand(instruction.StartLine, instruction.Arguments.Trim(), lookup, escape);
                    user = ParseUser(instruction, spec, users, usersAdded, VariableValue.IsOverBudget(spec, lookup));
                    break;
                case "RUN":
                    // Only a script that may create users or write /etc/passwd is read further, so only its text is made.
                    if (budget.ExpandIf(instruction.StartLine, ShellText(instruction), lookup, escape, ReadsUsers) is { } resolved)
                    {
                        foreach (var (created, uid, isGroup) in UserCommands.MayCreateUsers(resolved) ? UserCommands.Find(resolved, found ??= []) : [])
                        {
                            var createdUser = new CreatedUser(created, uid, instruction);
                            if (isGroup)
                            {
                                (groupsAdded ??= new(StringComparer.Ordinal))[created] = createdUser;
                            }
                            else
                            {
                                (usersAdded ??= new(StringComparer.Ordinal))[created] = createdUser;
                            }
                        }

                        opaque |= UserCommands.MayDefineUsersOpaquely(resolved) && !resolved.Contains("useradd", StringComparison.Ordinal);
                    }

                    break;
                case "COPY" or "ADD":
                    opaque |= instruction.Arguments.Contains("/etc/passwd", StringComparison.Ordinal)
                        || instruction.Arguments.TrimEnd().EndsWith(" /etc/", StringComparison.Ordinal)
                        || instruction.Arguments.TrimEnd().EndsWith(" /etc", StringComparison.Ordinal)
                        || instruction.Arguments.TrimEnd().EndsWith(" /", StringComparison.Ordinal);
                    break;
            }
        }

        return new Stage(
            index,
            name,
            from,
            image,
            parent,
            root,
            baseInfo,
            body,
            scope,
            usersBefore.MoveToImmutable(),
            user,
            usersAdded is null ? users : users.With(usersAdded),
            groupsAdded is null ? groups : groups.With(groupsAdded),
            opaque,
            budget);
    }

    /// <summary>Whether a RUN's expanded script is read for users: <see cref="UserCommands.MayCreateUsers"/> also covers /etc/passwd.</summary>
    private static bool ReadsUsers(ReadOnlySpan<char> script) => UserCommands.MayCreateUsers(script);

    internal static EffectiveUser BaseUser(BaseImageInfo info)
    {
        var (user, group) = SplitSpec(info.DefaultUser);
        return new EffectiveUser(info.DefaultUser, user, group, UserOrigin.BaseImage, null, [], !info.DefaultsToNonRoot);
    }

    /// <remarks>One object a USER: a copy <c>with</c> its budget flag was a second one for each of them.</remarks>
    private static EffectiveUser ParseUser(Instruction instruction, Expansion expansion, NameTable<CreatedUser> users, Dictionary<string, CreatedUser>? added, bool overBudget)
    {
        string spec = expansion.Text.Trim().Trim('"', '\'');
        var (user, group) = SplitSpec(spec);
        // The stage's own users first: they are laid over the inherited ones when the stage ends.
        var created = added is not null && added.TryGetValue(user, out var own) ? own : users.TryGetValue(user, out var inherited) ? inherited : null;
        bool isRoot = expansion.IsResolved && (IsRootSpelling(user) || created?.Uid == 0);
        return new EffectiveUser(spec, user, group, UserOrigin.Instruction, instruction, expansion.Unresolved, isRoot) { OverBudget = overBudget };
    }

    internal static (string User, string? Group) SplitSpec(string spec)
    {
        int colon = spec.IndexOf(':');
        return colon < 0 ? (spec, null) : (spec[..colon], spec[(colon + 1)..]);
    }

    /// <summary>uid 0 by any name: root, 0, 000, a user created with uid 0, or Windows' ContainerAdministrator.</summary>
    internal static bool IsRootName(string user, IReadOnlyDictionary<string, CreatedUser> users) =>
        IsRootSpelling(user) || (users.TryGetValue(user, out var created) && created.Uid == 0);

    /// <summary>root, 0, 000 or Windows' ContainerAdministrator: uid 0 whatever the image's users are.</summary>
    private static bool IsRootSpelling(string user) =>
        user == "root"
        || (user.Length > 0 && !user.AsSpan().ContainsAnyExcept('0'))
        || user.Equals("ContainerAdministrator", StringComparison.OrdinalIgnoreCase);

    /// <summary>The shell text of a RUN: its arguments (or exec-form words) and heredoc bodies.</summary>
    /// <remarks>
    /// Joined in one string of its final length: a join of the bodies, then a concatenation, made two strings (and an
    /// enumerator and an array) for every RUN with a heredoc.
    /// </remarks>
    internal static string ShellText(Instruction instruction)
    {
        string text = instruction.IsJsonForm ? ExecText(instruction.JsonArguments) : instruction.Arguments;
        var heredocs = instruction.Heredocs;
        if (heredocs.IsEmpty)
        {
            return text;
        }

        int length = text.Length;
        foreach (var heredoc in heredocs)
        {
            length += 1 + heredoc.Body.Length;
        }

        return string.Create(length, (text, heredocs), static (span, parts) =>
        {
            parts.text.CopyTo(span);
            int at = parts.text.Length;
            foreach (var heredoc in parts.heredocs)
            {
                span[at++] = '\n';
                heredoc.Body.CopyTo(span[at..]);
                at += heredoc.Body.Length;
            }
        });
    }

    /// <summary>
    /// The exec form's words as shell text: joined with spaces, except that the script a shell runs with <c>-c</c>
    /// stands on a line of its own. Joined into one line, <c>["sh", "-c", "sudo make install"]</c> read as
    /// <c>sh -c sudo …</c>, where no command starts at sudo (nor at a useradd): RB005 missed it, and the user such a
    /// script creates was unknown.
    /// </summary>
    /// <remarks>
    /// Joined as spans: <c>string.Join(' ', words, 0, n)</c> over an immutable array is no array overload but the
    /// <c>params object</c> one, which wrote the array's type name and the two numbers instead of the shell and its
    /// options (and allocated 2.4 KB a RUN doing it).
    /// </remarks>
    private static string ExecText(ImmutableArray<string> words)
    {
        var all = words.AsSpan();
        int script = all.Length > 1 && ShellScript.IsShell(ShellScript.BasenameSpan(all[0])) ? ShellScript.CommandStringAt(all, 1) : -1;
        if (script < 0)
        {
            return string.Join(' ', all);
        }

        string before = string.Join(' ', all[..script]);
        return script + 1 < all.Length
            ? string.Concat(before, "\n", all[script], "\n", string.Join(' ', all[(script + 1)..]))
            : string.Concat(before, "\n", all[script]);
    }

    /// <summary>
    /// Whether <see cref="ShellText"/> contains <paramref name="word"/>, read part by part without joining them: exact for
    /// a word without blanks, which cannot run across the space or new line the parts are joined with.
    /// </summary>
    internal static bool ShellTextContains(Instruction instruction, string word)
    {
        if (instruction.IsJsonForm ? instruction.JsonArguments.Any(a => a.Contains(word, StringComparison.Ordinal)) : instruction.Arguments.Contains(word, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var heredoc in instruction.Heredocs)
        {
            if (heredoc.Body.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Reads ARG and ENV declarations. Words are split by <see cref="DockerfileParser.NextWord"/> in place: only each name
/// and value becomes a string (every stage of every file declares some).
/// </summary>
internal static class Declarations
{
    /// <summary>ARG and ENV words are split with \, whatever the file's escape directive, as the model has always read them.</summary>
    private const char Escape = '\\';

    /// <summary><c>ARG a=1 b</c>: names with their defaults (null when none); in <paramref name="into"/>, emptied first, when given.</summary>
    public static List<(string Name, string? Value)> ParseArg(string arguments, List<(string Name, string? Value)>? into = null)
    {
        var declarations = into ?? [];
        declarations.Clear();
        int pos = 0;
        while (DockerfileParser.NextWord(arguments, Escape, ref pos) is { } range)
        {
            var word = arguments.AsSpan(range);
            int eq = word.IndexOf('=');
            declarations.Add(eq < 0 ? (VariableNames.Get(word), null) : (VariableNames.Get(word[..eq]), Unquote(word[(eq + 1)..]).ToString()));
        }

        return declarations;
    }

    /// <summary><c>ENV a=1 b="x y"</c>, or the legacy <c>ENV a x y</c>; in <paramref name="into"/>, emptied first, when given.</summary>
    public static List<(string Name, string Value)> ParseEnv(string arguments, List<(string Name, string Value)>? into = null)
    {
        var declarations = into ?? [];
        declarations.Clear();
        int pos = 0;
        if (DockerfileParser.NextWord(arguments, Escape, ref pos) is not { } first)
        {
            return declarations;
        }

        if (!arguments.AsSpan(first).Contains('='))
        {
            // Legacy form: the first word is the name, the rest of the line its value.
            string name = arguments[first];
            string rest = arguments.Trim()[name.Length..].Trim();
            declarations.Add((name, Unquote(rest).ToString()));
            return declarations;
        }

        for (Range? range = first; range is { } r; range = DockerfileParser.NextWord(arguments, Escape, ref pos))
        {
            var word = arguments.AsSpan(r);
            int eq = word.IndexOf('=');
            if (eq > 0)
            {
                declarations.Add((VariableNames.Get(word[..eq]), Unquote(word[(eq + 1)..]).ToString()));
            }
        }

        return declarations;
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> value) =>
        value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[1..^1] : value;
}
