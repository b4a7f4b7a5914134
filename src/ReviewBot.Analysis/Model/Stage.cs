using System.Collections.Immutable;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Model;

/// <summary>
/// One build stage: its FROM, the instructions up to the next FROM, the ARG/ENV scope and the effective
/// user before and after every instruction. A stage built FROM an earlier stage inherits its user, its ENV
/// and the users created in it, and has the same root image.
/// </summary>
public sealed class Stage
{
    private readonly StageScope _scope;
    private readonly ImmutableArray<EffectiveUser> _usersBefore;
    private readonly ExpansionBudget _budget;

    internal Stage(
        int index,
        string? name,
        Instruction from,
        Expansion image,
        Stage? parent,
        ImageReference? rootImage,
        BaseImageInfo baseInfo,
        ImmutableArray<Instruction> instructions,
        StageScope scope,
        ImmutableArray<EffectiveUser> usersBefore,
        EffectiveUser finalUser,
        NameTable<CreatedUser> createdUsers,
        NameTable<CreatedUser> createdGroups,
        bool definesUsersOpaquely,
        ExpansionBudget budget)
    {
        _budget = budget;
        Index = index;
        Name = name;
        From = from;
        Image = image;
        Parent = parent;
        RootImage = rootImage;
        Base = baseInfo;
        Instructions = instructions;
        _scope = scope;
        _usersBefore = usersBefore;
        FinalUser = finalUser;
        CreatedUsers = createdUsers;
        CreatedGroups = createdGroups;
        DefinesUsersOpaquely = definesUsersOpaquely;
    }

    public int Index { get; }

    /// <summary>The <c>AS name</c>, lower-cased, if any.</summary>
    public string? Name { get; }

    public Instruction From { get; }

    /// <summary>The FROM image text after expansion with the global ARGs.</summary>
    public Expansion Image { get; }

    /// <summary>The earlier stage this one is built FROM, if any.</summary>
    public Stage? Parent { get; }

    /// <summary>The image at the root of the chain (null when it cannot be read, e.g. an unresolved variable).</summary>
    public ImageReference? RootImage { get; }

    /// <summary>What we know about the root image.</summary>
    public BaseImageInfo Base { get; }

    /// <summary>The instructions after FROM, up to the next FROM.</summary>
    public ImmutableArray<Instruction> Instructions { get; }

    /// <summary>The user at the end of the stage: what the container runs as when this stage is the image.</summary>
    public EffectiveUser FinalUser { get; }

    /// <summary>Users created in this stage and its parents, by name, in the order they were first created.</summary>
    public NameTable<CreatedUser> CreatedUsers { get; }

    /// <summary>Groups created in this stage and its parents, likewise.</summary>
    public NameTable<CreatedUser> CreatedGroups { get; }

    /// <summary>Something writes /etc/passwd in a way we cannot read (COPY over it, sed …).</summary>
    public bool DefinesUsersOpaquely { get; }

    private NameTable<VariableValue>? _finalScope;
    private NameTable<VariableValue>? _finalEnv;

    /// <summary>ARG and ENV values at the end of the stage (made on first use: see <see cref="ValueBefore"/>).</summary>
    public NameTable<VariableValue> FinalScope
    {
        get
        {
            // Built once even when threads share the model (the first one built is kept).
            Interlocked.CompareExchange(ref _finalScope, _finalScope ?? _scope.FinalScope(), null);
            return _finalScope!;
        }
    }

    /// <summary>ENV values at the end of the stage: what a stage built FROM this one inherits (made on first use).</summary>
    public NameTable<VariableValue> FinalEnv
    {
        get
        {
            Interlocked.CompareExchange(ref _finalEnv, _finalEnv ?? _scope.FinalEnv(), null);
            return _finalEnv!;
        }
    }

    /// <summary>
    /// The ARG or ENV value of <paramref name="name"/> just before instruction <paramref name="index"/> (at the end of
    /// the stage for <see cref="Instructions"/>.Length); null when undeclared.
    /// </summary>
    public VariableValue? ValueBefore(int index, string name) => _scope.Lookup(name, index);

    /// <summary>The last line of the stage (its last instruction's end line, or the FROM line).</summary>
    public int EndLine => Instructions.IsEmpty ? From.EndLine : Instructions[^1].EndLine;

    /// <summary>How this stage, as the image, drops root at run time ("" when it does not); null until a rule asks.</summary>
    internal string? StepDown { get; set; }

    /// <summary>What this stage, as the image, starts with and the script it runs; null until a rule asks.</summary>
    internal Rules.StepDown.StartUp? StartUp { get; set; }

    /// <summary>How the image uses the Docker socket, worked out once (RB001 and RB004 both ask); null until asked.</summary>
    internal string? DockerSocket { get; set; }

    /// <summary>What this stage's COPY/ADD need from the rest of it, worked out once; null until a rule asks.</summary>
    internal Fixes.StageFiles? Files { get; set; }

    /// <summary>The file's expansion budget, which also pays for the paths the fixes join to a WORKDIR.</summary>
    internal ExpansionBudget Budget => _budget;

    /// <summary>The effective user when <paramref name="index"/> (into <see cref="Instructions"/>) runs.</summary>
    public EffectiveUser UserBefore(int index) => _usersBefore[index];

    /// <summary>The effective user once <paramref name="index"/> (into <see cref="Instructions"/>) has run.</summary>
    public EffectiveUser UserAfter(int index) => index + 1 < _usersBefore.Length ? _usersBefore[index + 1] : FinalUser;

    /// <summary>Expands text with the ARG/ENV scope in force at instruction <paramref name="index"/>.</summary>
    /// <remarks>Through the scope itself: a closure over it and the index was made for every call.</remarks>
    public Expansion ExpandAt(int index, string text, char escape = '\\') =>
        _budget.Expand(Instructions[index].StartLine, text, new VariableExpander.Lookup(_scope, index), escape);

    /// <summary>
    /// The text of <see cref="ExpandAt"/> (without its unknown parts); text without a <c>$</c> is itself. The fixes ask
    /// for every COPY's paths, and an <see cref="Expansion"/> around each path that has nothing to expand was garbage.
    /// </summary>
    internal string TextAt(int index, string text, char escape = '\\') =>
        text.Contains('$') ? ExpandAt(index, text, escape).Text : text;

    /// <summary><see cref="TextAt"/>, or null when the expansion is not resolved.</summary>
    internal string? ResolvedAt(int index, string text, char escape = '\\')
    {
        if (!text.Contains('$'))
        {
            return text;
        }

        var expansion = ExpandAt(index, text, escape);
        return expansion.IsResolved ? expansion.Text : null;
    }

    /// <summary>This stage and its parents, nearest first.</summary>
    public IEnumerable<Stage> Chain()
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            yield return s;
        }
    }

    public override string ToString() => $"stage {Index}{(Name is null ? "" : " " + Name)} FROM {Image.Text}";
}
