using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Fixes;

/// <summary>
/// What the COPY/ADD of one stage need from the rest of it (the WORKDIR in force, each absolute destination, the
/// later chowned copy laid over each, the last RUN), each worked out in one pass the first time it is asked and kept
/// on the stage. Asked per COPY from the top of the chain, these made a non-root image of 20,000 COPYs cubic.
/// </summary>
internal sealed class StageFiles
{
    /// <summary>
    /// Linux's PATH_MAX (limits.h: 4096 bytes with its terminator): a longer WORKDIR or destination cannot be made in
    /// an image, so it is unknown here. It bounds each path the passes build; the file's expansion budget bounds all.
    /// </summary>
    public const int MaxPathChars = 4096;

    private readonly Stage _stage;

    /// <summary>The normalized WORKDIR before each instruction and at the end (null: unknown), or null until asked.</summary>
    private string?[]? _workdirs;

    /// <summary>Whether this stage or one it is built on sets a WORKDIR anywhere (valid once <see cref="_workdirs"/> is set).</summary>
    private bool _chainSetsWorkdir;

    private string?[]? _destinations;
    private bool[]? _destinationKnown;
    private int[]? _coveredBy;
    private int _lastRun = -2;
    private string? _program;
    private bool _programKnown;

    private StageFiles(Stage stage) => _stage = stage;

    /// <summary>The stage's own (made at the first question; a stage is analyzed on one thread, but racing threads would make equal ones).</summary>
    public static StageFiles Of(Stage stage) => stage.Files ??= new StageFiles(stage);

    /// <summary>The index of the stage's last RUN, or -1.</summary>
    public int LastRun
    {
        get
        {
            if (_lastRun == -2)
            {
                int last = -1;
                for (int i = _stage.Instructions.Length - 1; i >= 0 && last < 0; i--)
                {
                    last = _stage.Instructions[i].Is("RUN") ? i : -1;
                }

                _lastRun = last;
            }

            return _lastRun;
        }
    }

    /// <summary>See <see cref="ApplicationFiles.AbsoluteDestination"/>; each destination is worked out once.</summary>
    public string? Destination(int index, char escape)
    {
        _destinations ??= new string?[_stage.Instructions.Length];
        _destinationKnown ??= new bool[_stage.Instructions.Length];
        if (!_destinationKnown[index])
        {
            _destinations[index] = MakeDestination(index, escape);
            _destinationKnown[index] = true;
        }

        return _destinations[index];
    }

    private string? MakeDestination(int index, char escape)
    {
        string? destination = InstructionEdits.Destination(_stage.Instructions[index]);
        return destination is null ? null : Absolute(index, destination, escape);
    }

    /// <summary>
    /// <paramref name="path"/> as written in instruction <paramref name="index"/>, expanded and made absolute against the
    /// WORKDIR in force there, normalized; null when a variable cannot be resolved or the path is unknown.
    /// </summary>
    private string? Absolute(int index, string path, char escape)
    {
        if (_stage.ResolvedAt(index, path, escape) is not { } text)
        {
            return null;
        }

        if (text.StartsWith('/'))
        {
            return Bounded(ApplicationFiles.Normalize(text), paid: false);
        }

        string? workdir = WorkdirBefore(index, escape);
        return workdir is null ? null : Bounded(ApplicationFiles.Normalize(workdir.TrimEnd('/') + "/" + text), paid: true);
    }

    /// <summary>
    /// The absolute path of the program the stage runs: the first word of its last ENTRYPOINT, or of its last CMD when it
    /// has none, resolved against the WORKDIR in force there; null when it is not a path (a name looked up in PATH, a
    /// shell form that starts with a variable) or cannot be known.
    /// </summary>
    public string? Program(char escape)
    {
        if (!_programKnown)
        {
            _program = MakeProgram(escape);
            _programKnown = true;
        }

        return _program;
    }

    private string? MakeProgram(char escape)
    {
        var instructions = _stage.Instructions;
        int at = -1;
        for (int i = instructions.Length - 1; i >= 0 && at < 0; i--)
        {
            at = instructions[i].Is("ENTRYPOINT") ? i : -1;
        }

        for (int i = instructions.Length - 1; i >= 0 && at < 0; i--)
        {
            at = instructions[i].Is("CMD") ? i : -1;
        }

        if (at < 0)
        {
            return null;
        }

        var instruction = instructions[at];
        string? first = instruction.IsJsonForm
            ? instruction.JsonArguments.Length > 0 ? instruction.JsonArguments[0] : null
            : instruction.Arguments.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is null || !first.Contains('/') ? null : Absolute(at, first, escape);
    }

    /// <summary>See <see cref="ApplicationFiles.CoveredBy"/>: answered for every instruction of the stage in one backward pass.</summary>
    public int? CoveredBy(int index, char escape)
    {
        if (_coveredBy is null)
        {
            var covered = new int[_stage.Instructions.Length];
            // Each covering destination with the first (lowest) later instruction that lays a non-root owner over it.
            var owners = new Dictionary<string, int>(StringComparer.Ordinal);
            var lookup = owners.GetAlternateLookup<ReadOnlySpan<char>>();
            for (int j = _stage.Instructions.Length - 1; j >= 0; j--)
            {
                string? destination = Destination(j, escape);
                covered[j] = destination is null ? -1 : FirstOver(lookup, destination);
                var instruction = _stage.Instructions[j];
                if (destination is not null && (instruction.Is("COPY") || instruction.Is("ADD")) && instruction.GetFlag("from") is null
                    && InstructionEdits.Owner(_stage, j, escape) is { } owner
                    && !DockerfileModel.IsRootName(DockerfileModel.SplitSpec(owner).User, _stage.CreatedUsers))
                {
                    owners[destination] = j;
                }
            }

            _coveredBy = covered;
        }

        return _coveredBy[index] < 0 ? null : _coveredBy[index];
    }

    /// <summary>
    /// Whether <paramref name="path"/> (normalized) is a key of <paramref name="folders"/> or inside one; the lowest
    /// value of those that are, or -1. Asks each folder above the path: as many lookups as it has levels.
    /// </summary>
    public static int FirstOver(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> folders, string path)
    {
        int first = -1;
        var span = path.AsSpan();
        for (int end = span.Length; end > 0; end = span[..end].LastIndexOf('/'))
        {
            if (folders.TryGetValue(span[..end], out int at))
            {
                first = first < 0 ? at : Math.Min(first, at);
            }
        }

        // "/" covers every absolute path.
        return folders.TryGetValue("/", out int root) ? (first < 0 ? root : Math.Min(first, root)) : first;
    }

    /// <summary>The WORKDIR in force before instruction <paramref name="index"/> ("/" when none is set), null when unknown.</summary>
    private string? WorkdirBefore(int index, char escape)
    {
        if (_workdirs is null)
        {
            // The chain's stages that have not worked theirs out yet, root first, without recursion (chains can be long).
            var pending = new List<StageFiles>();
            for (var s = _stage; s is not null && Of(s)._workdirs is null; s = s.Parent)
            {
                pending.Add(Of(s));
            }

            for (int k = pending.Count - 1; k >= 0; k--)
            {
                pending[k].WorkOutWorkdirs(escape);
            }
        }

        string? workdir = _workdirs![index];
        // A base image's own WORKDIR (unknown to us) applies when the chain never sets one: a folder no real
        // path names ("\0"), so relative destinations still compare with each other and never with absolute ones.
        return workdir is null ? null : _chainSetsWorkdir || _stage.Base.Family == DistroFamily.Scratch ? workdir : "/\0";
    }

    /// <summary>One pass over the stage from its parent's final WORKDIR (the parent's already worked out).</summary>
    private void WorkOutWorkdirs(char escape)
    {
        var instructions = _stage.Instructions;
        var workdirs = new string?[instructions.Length + 1];
        var parent = _stage.Parent is null ? null : Of(_stage.Parent);
        string? workdir = parent is null ? "/" : parent._workdirs![^1];
        bool sets = parent is not null && parent._chainSetsWorkdir;
        for (int i = 0; i < instructions.Length; i++)
        {
            workdirs[i] = workdir;
            if (!instructions[i].Is("WORKDIR"))
            {
                continue;
            }

            // Any WORKDIR of the chain, before a given instruction or not, says the base image's own one is replaced.
            sets = true;
            if (workdir is null)
            {
                continue; // once unknown, every later one is too
            }

            var path = _stage.ResolvedAt(i, instructions[i].Arguments.Trim().Trim('"', '\''), escape);
            workdir = path is null ? null
                : path.StartsWith('/') ? Bounded(ApplicationFiles.Normalize(path), paid: false)
                : Bounded(ApplicationFiles.Normalize(workdir.TrimEnd('/') + "/" + path), paid: true);
        }

        workdirs[^1] = workdir;
        _chainSetsWorkdir = sets;
        _workdirs = workdirs;
    }

    /// <summary>
    /// The path, or null (unknown) when it is longer than an image can have or, for a path joined to a WORKDIR
    /// (<paramref name="paid"/>), when the file's expansion budget is spent: each such path is paid from that budget, so
    /// short relative WORKDIRs and COPYs that each copy a long path stay linear in the file. A path written out whole
    /// costs what its own text does.
    /// </summary>
    private string? Bounded(string path, bool paid)
    {
        var budget = _stage.Budget;
        if (path.Length > MaxPathChars || (paid && budget.Remaining < path.Length))
        {
            return null;
        }

        if (paid)
        {
            budget.Spend(path.Length);
        }

        return path;
    }
}
