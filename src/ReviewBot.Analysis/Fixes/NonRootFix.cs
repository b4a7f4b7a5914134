using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Rules;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Fixes;

/// <summary>
/// Writes the fix that makes the final stage run as a non-root user, the way its base image does it:
/// reuse a user the Dockerfile or the image already has; otherwise groupadd/useradd (shadow-utils) or
/// addgroup/adduser (BusyBox); a numeric USER where no shell or no user tools exist. Application files get
/// <c>--chown</c>, and <c>USER</c> goes after the last instruction that needs root and before the
/// runtime-only instructions.
/// </summary>
internal static partial class NonRootFix
{
    /// <summary>The uid/gid distroless and Chainguard images reserve for their <c>nonroot</c> user.</summary>
    public const int NonRootUid = 65532;

    /// <summary>Word separators, made once: a literal array in a call is a new array every call.</summary>
    private static readonly char[] Blanks = [' ', '\t'];

    private static readonly HashSet<string> RuntimeOnly = new(StringComparer.Ordinal) { "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL" };

    /// <summary>Who the image will run as after the fix.</summary>
    /// <param name="How">The fix's description; with <paramref name="GivesFiles"/>, without its end, which says whether files are handed over.</param>
    internal sealed record Plan(string User, string? Owner, string? Create, string How, bool GivesFiles = false)
    {
        /// <summary>The description, saying "and give it the application files" only when the fix does.</summary>
        public string Description(bool gave) => !GivesFiles ? How : How + (gave ? ", and give it the application files." : ".");
    }

    /// <summary>
    /// A fix is a suggestion a person reads before applying it: one that would rewrite more COPY lines than this is
    /// not offered (the finding says what to do in words). No real Dockerfile comes near it; a generated 4 MiB file
    /// of COPY heredocs made a fix of 115,000 edits, 16 MB of JSON and most of the file's time.
    /// </summary>
    public const int MaxChownedCopies = 500;

    /// <summary>
    /// Likewise for the folders the fix hands over (WORKDIR, VOLUME, made by RUN mkdir): 4 MiB of VOLUME lines made a
    /// fix of 350,000 quoted paths that allocated ~500 MB, and its file took 0.6 s and 270 MB.
    /// </summary>
    public const int MaxOwnedFolders = 500;

    /// <summary>
    /// The fix, or null when it would be too large to read (<see cref="MaxChownedCopies"/>, <see cref="MaxOwnedFolders"/>);
    /// <paramref name="tooLarge"/> then says what it would have rewritten.
    /// </summary>
    public static Fix? Build(RuleContext context, Stage final, EffectiveUser current, out string? tooLarge)
    {
        tooLarge = null;
        var document = context.Document;
        var plan = Choose(context, final);
        string? home = null;
        if (context.Options.OpenShift && plan.Owner is not null)
        {
            (plan, home) = ForOpenShift(plan, final);
        }

        var instructions = final.Instructions;
        var edits = ImmutableArray.CreateBuilder<TextEdit>();

        // 1. Application files become the new user's: not dependency manifests copied for an install, and not a
        //    copy that a later chowned copy lays over the same place (its files end up the user's anyway).
        int firstChowned = -1;
        if (plan.Owner is not null && context.Options.Chown)
        {
            char escape = document.EscapeChar;
            var chowned = new List<int>();
            // The destinations already owned, each asked per level of a later path: a list searched per COPY was
            // quadratic in a stage of COPYs.
            var owned = new Dictionary<string, int>(StringComparer.Ordinal);
            var ownedLookup = owned.GetAlternateLookup<ReadOnlySpan<char>>();
            for (int i = instructions.Length - 1; i >= 0; i--)
            {
                if (!InstructionEdits.CopiesApplicationFiles(final, i, escape))
                {
                    continue;
                }

                string? owner = InstructionEdits.Owner(final, i, escape);
                string? destination = ApplicationFiles.AbsoluteDestination(final, i, escape);
                bool rootOwned = owner is null || DockerfileModel.IsRootName(DockerfileModel.SplitSpec(owner).User, final.CreatedUsers);
                bool covered = destination is not null && StageFiles.FirstOver(ownedLookup, destination) >= 0;
                bool chown = rootOwned && !covered && !ApplicationFiles.IsBuildInput(final, i) && !ApplicationFiles.IsProgram(final, i, escape);
                if (chown)
                {
                    chowned.Add(i);
                    if (chowned.Count > MaxChownedCopies)
                    {
                        // Too large to offer, whatever the COPYs above decide: the rest of the stage is not read for it.
                        tooLarge = $"rewrite more than {MaxChownedCopies} COPY lines";
                        return null;
                    }
                }

                if ((!rootOwned || chown) && destination is not null && instructions[i].GetFlag("from") is null)
                {
                    owned[destination] = i;
                }
            }

            // Added from the last instruction back: read backwards, they come in order (a sort allocated for every fix).
            for (int k = chowned.Count - 1; k >= 0; k--)
            {
                int i = chowned[k];
                edits.Add(InstructionEdits.SetChown(document, instructions[i], plan.Owner));
                firstChowned = firstChowned < 0 ? i : firstChowned;
            }
        }

        // 2. Where USER goes: after the last RUN (which may need root), before the runtime-only instructions.
        int lastRun = -1;
        for (int i = 0; i < instructions.Length; i++)
        {
            if (instructions[i].Is("RUN"))
            {
                lastRun = i;
            }
        }

        int rootUserIndex = current.Source is null ? -1 : instructions.IndexOf(current.Source);
        bool replaceRootUser = rootUserIndex > lastRun && rootUserIndex >= 0;
        int userIndex = replaceRootUser ? rootUserIndex : FirstRuntimeOnly(instructions, lastRun + 1);

        // 3. The user's creation must come before the first COPY that names it; the folders the application
        //    writes (WORKDIR, VOLUME, folders RUN mkdir made as root) are handed over once they exist.
        int prepareIndex = firstChowned >= 0 && firstChowned < userIndex ? firstChowned : userIndex;
        var folders = plan.Owner is not null && final.Base.HasShell ? FoldersToOwn(context, final) : [];
        if (folders is null)
        {
            tooLarge = $"hand over more than {MaxOwnedFolders} folders";
            return null;
        }

        if (home is not null)
        {
            // Made with the user, after every folder of the image: it may not exist yet.
            folders.Add(new Folder(home, home, final, 0, int.MaxValue - 1, Volume: true));
        }

        string? early = Own(final, prepareIndex, folders, plan.Owner, madeBefore: prepareIndex);
        string? late = Own(final, userIndex, folders, plan.Owner, madeFrom: prepareIndex);
        if (context.Options.OpenShift)
        {
            // Last, once every folder exists and the application's files are copied in.
            late = Join(late, GroupWritable(final, userIndex, folders));
        }

        string? prepareCommand = Join(plan.Create, early);
        string? userCommand = late;
        if (prepareIndex == userIndex)
        {
            (prepareCommand, userCommand) = (Join(prepareCommand, userCommand), null);
        }

        // USER ${APP_USER} with ARG APP_USER=root: the ARG's default changes, so --build-arg still chooses the user.
        var rootArg = replaceRootUser ? RootArg(document, final, rootUserIndex) : null;
        string userLine = rootArg is null
            ? InstructionEdits.NewLine(document, IndentAt(final, userIndex), "USER " + plan.User)
            : InstructionEdits.Text(document, instructions[rootUserIndex]);
        if (rootArg is { } arg)
        {
            edits.Add(arg.Edit(plan.User));
        }

        if (home is not null)
        {
            userLine = InstructionEdits.NewLine(document, IndentAt(final, userIndex), "ENV HOME=" + home) + userLine;
        }

        string userText = Run(document, final, userIndex, userCommand, current) + userLine;
        string prepareText = Run(document, final, prepareIndex, prepareCommand, current);
        if (prepareIndex == userIndex)
        {
            userText = prepareText + userText;
        }

        if (replaceRootUser)
        {
            var rootUser = instructions[rootUserIndex];
            edits.Add(new TextEdit(rootUser.StartLine, rootUser.EndLine, userText));
        }
        else
        {
            int line = userIndex < instructions.Length ? instructions[userIndex].StartLine : final.EndLine + 1;
            edits.Add(InstructionEdits.InsertBefore(line, userText));
        }

        if (prepareIndex != userIndex && prepareText.Length > 0)
        {
            edits.Add(InstructionEdits.InsertBefore(instructions[prepareIndex].StartLine, prepareText));
        }

        return new Fix(plan.Description(firstChowned >= 0 || early is not null || late is not null) + VolumeNote(folders, plan.Owner), edits.ToImmutable());
    }

    /// <summary>
    /// What the fix cannot do: a volume the old root image already wrote keeps root's ownership, since the image's
    /// <c>chown</c> only reaches a volume when it is first created. Said where the fix hands over a volume's path, with
    /// the one command to run once (in the new image, whose user names resolve) and Kubernetes' way.
    /// </summary>
    private static string VolumeNote(List<Folder> folders, string? owner)
    {
        var volume = folders.FirstOrDefault(f => f.Volume);
        if (volume.Path is null || owner is null)
        {
            return "";
        }

        string path = SafeText.QuotePath(volume.Path, volume.Path, _ => false) ?? volume.Path;
        return $" Volumes the old root image already wrote keep root's ownership: run once `docker run --rm -u 0 -v VOLUME:{path} IMAGE chown -R {owner} {path}` for each, or give the pod an init container that runs that `chown` as root.";
    }

    /// <summary>The first runtime-only instruction from <paramref name="from"/> on, or the end of the stage.</summary>
    /// <remarks>A loop, not a range filtered by a lambda: that was a closure and two iterators for every fix.</remarks>
    private static int FirstRuntimeOnly(ImmutableArray<Instruction> instructions, int from)
    {
        for (int i = from; i < instructions.Length; i++)
        {
            if (RuntimeOnly.Contains(instructions[i].Keyword))
            {
                return i;
            }
        }

        return instructions.Length;
    }

    /// <summary>Instructions that only add configuration-free content or metadata: nothing that needs root or a port.</summary>
    private static readonly HashSet<string> ContentOnly = new(StringComparer.Ordinal) { "COPY", "ADD", "EXPOSE", "LABEL", "ARG", "WORKDIR", "STOPSIGNAL" };

    /// <summary>Where the unprivileged variant serves content from (nginx: /usr/share/nginx/html); anything else may be configuration.</summary>
    private const string ContentRoot = "/usr/share/nginx/";

    /// <summary>
    /// For an image that starts as root and steps down (nginx), its official unprivileged variant with the same
    /// tag, when the Dockerfile only adds content: FROM moves to the variant and EXPOSE to the port it listens
    /// on (80 → 8080). Null when the Dockerfile configures or runs anything (a config with <c>listen 80</c>, a
    /// pid file, a RUN): those need the changes <see cref="BaseImageInfo.NonRootHowTo"/> describes.
    /// </summary>
    public static Fix? UnprivilegedVariant(RuleContext context, Stage final)
    {
        var image = final.RootImage;
        string? variant = final.Base.UnprivilegedVariant;
        if (variant is null || image is null || final.Parent is not null || image.Digest is not null || !final.Image.IsResolved)
        {
            return null;
        }

        var document = context.Document;
        var fromWords = final.From.Arguments.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
        string written = fromWords.Length > 0 ? fromWords[0] : "";
        string target = variant + (image.Tag is null ? "" : ":" + image.Tag);
        var targetInfo = ImageKnowledge.Lookup(target);
        if (written.Contains('$') || !targetInfo.IsKnown || !targetInfo.DefaultsToNonRoot || final.From.StartLine != final.From.EndLine)
        {
            return null;
        }

        var edits = new List<TextEdit>();
        for (int i = 0; i < final.Instructions.Length; i++)
        {
            var instruction = final.Instructions[i];
            if (!ContentOnly.Contains(instruction.Keyword))
            {
                return null;
            }

            if (instruction.Is("COPY") || instruction.Is("ADD"))
            {
                string? destination = ApplicationFiles.AbsoluteDestination(final, i, document.EscapeChar);
                if (destination is null || !(destination + "/").StartsWith(ContentRoot, StringComparison.Ordinal))
                {
                    return null;
                }
            }

            if (instruction.Is("EXPOSE"))
            {
                edits.AddRange(PrivilegedPortRule.MoveExposedPorts(document, instruction));
            }
        }

        string fromLine = document.Line(final.From.StartLine);
        int at = fromLine.IndexOf(written, fromLine.IndexOf(final.From.Keyword, StringComparison.OrdinalIgnoreCase) + final.From.Keyword.Length, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        edits.Insert(0, new TextEdit(final.From.StartLine, final.From.StartLine, fromLine[..at] + target + fromLine[(at + written.Length)..] + document.NewLine));
        return new Fix(
            $"Base it on `{target}`, the official variant that runs as `{targetInfo.DefaultUser}` and listens on 8080; `EXPOSE` moves to 8080 (map it outside with `-p 80:8080`).",
            [.. edits]);
    }

    /// <summary>The ARG whose default makes <c>USER $NAME</c> root, and how to give it another default.</summary>
    private sealed record DefaultArg(DockerfileDocument Document, Instruction Arg, string Name)
    {
        public TextEdit Edit(string user)
        {
            for (int line = Arg.StartLine; line <= Arg.EndLine; line++)
            {
                string text = Document.Line(line);
                var match = Regex.Match(text, @"(?<=(^|\s))" + Regex.Escape(Name) + @"=(?<value>""[^""]*""|'[^']*'|\S+)");
                if (match.Success)
                {
                    var value = match.Groups["value"];
                    return new TextEdit(line, line, text[..value.Index] + user + text[(value.Index + value.Length)..] + Document.NewLine);
                }
            }

            throw new InvalidOperationException($"{Name} has no default on lines {Arg.StartLine}-{Arg.EndLine}");
        }
    }

    /// <summary>
    /// For <c>USER $X</c> (or <c>${X}</c>) where X is, directly or through <c>ENV X=${Y}</c>, an ARG whose default is
    /// root: that ARG. Null when the USER says anything else, a default is not root, or the variables are used
    /// anywhere else in the stage (changing the default would then change more than the user).
    /// </summary>
    private static DefaultArg? RootArg(DockerfileDocument document, Stage final, int userIndex)
    {
        var instructions = final.Instructions;
        var reference = VariableReference().Match(instructions[userIndex].Arguments.Trim());
        if (!reference.Success)
        {
            return null;
        }

        string name = reference.Groups["name"].Value;
        var declarations = new List<Instruction> { instructions[userIndex] };
        var names = new List<string> { name };
        int position = userIndex;
        for (int hops = 0; hops < 4; hops++)
        {
            int at = -1;
            string? value = null;
            bool isArg = false;
            for (int i = position - 1; i >= 0 && at < 0; i--)
            {
                var instruction = instructions[i];
                if (instruction.Is("ENV") && Declarations.ParseEnv(instruction.Arguments).LastOrDefault(d => d.Name == name) is { Name: not null } env)
                {
                    (at, value) = (i, env.Value);
                }
                else if (instruction.Is("ARG") && Declarations.ParseArg(instruction.Arguments).LastOrDefault(d => d.Name == name) is { Name: not null } arg)
                {
                    (at, value, isArg) = (i, arg.Value, true);
                }
            }

            if (at < 0)
            {
                return null;
            }

            declarations.Add(instructions[at]);
            Instruction declaration = instructions[at];
            if (isArg && value is null)
            {
                // ARG X without a default in the stage takes the global ARG's default (declared before the first FROM).
                declaration = document.Instructions.TakeWhile(i => !i.Is("FROM")).LastOrDefault(i => i.Is("ARG") && Declarations.ParseArg(i.Arguments).Any(d => d.Name == name && d.Value is not null))!;
                if (declaration is null)
                {
                    return null;
                }

                value = Declarations.ParseArg(declaration.Arguments).Last(d => d.Name == name).Value;
            }

            if (isArg)
            {
                bool root = value is not null && DockerfileModel.IsRootName(DockerfileModel.SplitSpec(value).User, final.CreatedUsers);
                bool usedElsewhere = instructions.Where(i => !declarations.Contains(i))
                    .Any(i => names.Any(n => Regex.IsMatch(i.Arguments + " " + string.Join(' ', i.Flags.Select(f => f.Value)), @"\$\{?" + Regex.Escape(n) + @"\b")));
                return root && !usedElsewhere ? new DefaultArg(document, declaration, name) : null;
            }

            var next = VariableReference().Match(value ?? "");
            if (!next.Success)
            {
                return null;
            }

            (name, position) = (next.Groups["name"].Value, at);
            names.Add(name);
        }

        return null;
    }

    [GeneratedRegex(@"^\$(\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}|(?<name>[A-Za-z_][A-Za-z0-9_]*))$")]
    private static partial Regex VariableReference();

    /// <summary>A RUN line (after a USER root line when the user there is not root), or "" for no command.</summary>
    private static string Run(DockerfileDocument document, Stage final, int index, string? command, EffectiveUser current)
    {
        if (command is null)
        {
            return "";
        }

        bool rootThere = index >= final.Instructions.Length ? current.IsRoot : final.UserBefore(index).IsRoot;
        string indent = IndentAt(final, index);
        return (rootThere ? "" : InstructionEdits.NewLine(document, indent, "USER root")) + InstructionEdits.NewLine(document, indent, Wrapped(document, indent, "RUN " + command));
    }

    /// <summary>A RUN wider than a reviewer reads, past <see cref="WrapColumn"/>, split before each <c>&amp;&amp;</c> with the document's escape character.</summary>
    /// <remarks>Only a command without quotes: ours are names and plain paths, and a line break inside a quoted path would change it.</remarks>
    private static string Wrapped(DockerfileDocument document, string indent, string run)
    {
        const string And = " && ";
        if (indent.Length + run.Length <= WrapColumn || run.AsSpan().IndexOfAny('\'', '"') >= 0 || !run.Contains(And, StringComparison.Ordinal))
        {
            return run;
        }

        return string.Join($" {document.EscapeChar}{document.NewLine}{indent}    && ", run.Split(And));
    }

    /// <summary>Where a suggested RUN is wrapped: the width most Dockerfiles and review panes keep to.</summary>
    private const int WrapColumn = 80;

    private static string? Join(string? first, string? second) =>
        first is null ? second : second is null ? first : first + " && " + second;

    /// <summary>
    /// <c>mkdir -p … &amp;&amp; chown owner …</c> for the folders made at an index in [<paramref name="madeFrom"/>,
    /// <paramref name="madeBefore"/>), run before instruction <paramref name="at"/> of the final stage. Each path is one
    /// quoted shell word; a path that cannot be quoted safely is left out.
    /// </summary>
    /// <remarks>A range, not a filtered sequence: most images have no folder to hand over, and each call made an
    /// iterator, a closure, a list and a set for nothing.</remarks>
    private static string? Own(Stage final, int at, List<Folder> folders, string? owner, int madeFrom = int.MinValue, int madeBefore = int.MaxValue)
    {
        if (folders.Count == 0 || owner is null || !SafeText.IsValidSpec(owner))
        {
            return null;
        }

        var words = new List<string>();
        var missing = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            if (folder.MadeAt < madeFrom || folder.MadeAt >= madeBefore || !seen.Add(folder.Path))
            {
                continue;
            }

            if (Word(final, at, folder) is { } word)
            {
                words.Add(word);
                if (folder.Volume || (ReferenceEquals(folder.Stage, final) && folder.Index >= at))
                {
                    missing.Add(word);
                }
            }
        }

        // WORKDIR and RUN mkdir made their folder already; only a VOLUME's (or one made later) may not exist yet.
        return words.Count == 0 ? null
            : (missing.Count == 0 ? "" : $"mkdir -p {string.Join(' ', missing)} && ") + $"chown {owner} {string.Join(' ', words)}";
    }

    /// <summary>The folder's path as one quoted shell word in a RUN before instruction <paramref name="at"/>, or null when it cannot be quoted safely.</summary>
    private static string? Word(Stage final, int at, Folder folder) =>
        SafeText.QuotePath(folder.Raw, folder.Path, name =>
            ValueAt(final, at, name) is { } there && folder.Stage.ExpandAt(folder.Index, "${" + name + "}").Text == there);

    /// <summary>
    /// OpenShift's image guidelines: the folders the application writes belong to group 0 and the group may do what the
    /// owner may (<c>chgrp -R 0</c>, <c>chmod -R g=u</c>), since the container runs as an arbitrary uid in group 0.
    /// </summary>
    private static string? GroupWritable(Stage final, int at, List<Folder> folders)
    {
        var words = folders.Select(f => Word(final, at, f)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return words.Count == 0 ? null : $"chgrp -R 0 {string.Join(' ', words)} && chmod -R g=u {string.Join(' ', words)}";
    }

    /// <summary>
    /// The plan for OpenShift, which runs the image as an arbitrary uid whose group is 0: the files go to group 0
    /// (<c>--chown=user:0</c>), a numeric USER keeps gid 0, and HOME is a folder the fix makes group-writable (the
    /// arbitrary uid has no passwd entry, so its HOME would be <c>/</c>); null when there is no shell to make it.
    /// </summary>
    private static (Plan Plan, string? Home) ForOpenShift(Plan plan, Stage final)
    {
        var (ownerUser, _) = DockerfileModel.SplitSpec(plan.Owner!);
        var (user, group) = DockerfileModel.SplitSpec(plan.User);
        string runAs = group is not null && int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? user + ":0" : plan.User;
        string? home = final.Base.HasShell ? "/home/" + (SafeText.IsValidName(ownerUser) && !ownerUser.All(char.IsAsciiDigit) ? ownerUser : "app") : null;
        string how = plan.How + (home is null
            ? " For OpenShift's arbitrary user ids its files belong to group 0."
            : $" For OpenShift's arbitrary user ids its files and folders belong to group 0, which may write them as the user can, and HOME is `{home}`.");
        return (plan with { User = runAs, Owner = ownerUser + ":0", How = how }, home);
    }

    /// <summary>The known value of an ARG or ENV just before instruction <paramref name="at"/> (null when undeclared or unknown).</summary>
    private static string? ValueAt(Stage final, int at, string name)
    {
        if (at >= final.Instructions.Length)
        {
            return final.ValueBefore(at, name)?.Value;
        }

        var expansion = final.ExpandAt(at, "${" + name + "}");
        return expansion.IsResolved ? expansion.Text : null;
    }

    /// <summary>
    /// A folder the application may write: its expanded path, the word the Dockerfile wrote, where it wrote it,
    /// and the index of the final stage's RUN that made it (-1: made by WORKDIR/VOLUME or earlier stages).
    /// </summary>
    private readonly record struct Folder(string Path, string Raw, Stage Stage, int Index, int MadeAt, bool Volume);

    /// <summary>
    /// Folders the application writes that would stay root-owned: the final WORKDIR, VOLUME paths, and folders
    /// RUN mkdir made while the image ran as root (/var/lib/app, /var/log/app …). System folders are left alone. Null
    /// past <see cref="MaxOwnedFolders"/> (the rest are not read).
    /// </summary>
    private static List<Folder>? FoldersToOwn(RuleContext context, Stage final)
    {
        char escape = context.Document.EscapeChar;
        var folders = new List<Folder>();
        foreach (var stage in final.Chain())
        {
            bool isFinal = ReferenceEquals(stage, final);
            for (int i = 0; i < stage.Instructions.Length; i++)
            {
                var instruction = stage.Instructions[i];
                IEnumerable<string> paths = instruction.Keyword switch
                {
                    "WORKDIR" => [instruction.Arguments.Trim().Trim('"', '\'')],
                    "VOLUME" => instruction.IsJsonForm ? instruction.JsonArguments : instruction.Arguments.Split(Blanks, StringSplitOptions.RemoveEmptyEntries),
                    "RUN" when stage.UserBefore(i).IsRoot => MkdirTargets(DockerfileModel.ShellText(instruction)),
                    _ => [],
                };
                foreach (var word in paths)
                {
                    string raw = word.Trim('"', '\'');
                    var path = stage.ExpandAt(i, raw, escape);
                    string text = path.Text.TrimEnd('/');
                    // A RUN's own words are shell: with anything but plain characters and variables, the folder the
                    // shell made is not the text we read.
                    // Quotes inside a WORKDIR/VOLUME path are removed by the Dockerfile's own word rules, which we do
                    // not repeat: such a path is left out rather than guessed.
                    bool readable = instruction.Is("RUN") ? SafeText.IsPlainOrVariables(raw) : raw.AsSpan().IndexOfAny('"', '\'') < 0;
                    if (readable && path.IsResolved && text.StartsWith('/') && text.Length > 1 && !InstructionEdits.IsSystemPath(text + "/") && !IsTemporary(text))
                    {
                        folders.Add(new Folder(text, raw.TrimEnd('/'), stage, i, isFinal && instruction.Is("RUN") ? i : -1, instruction.Is("VOLUME")));
                        if (folders.Count > MaxOwnedFolders)
                        {
                            return null;
                        }
                    }
                }
            }
        }

        // The paths the repository's Compose and Kubernetes files mount volumes on in this image: a fresh volume copies
        // the folder's owner, so the folder must exist and be the new user's, as a VOLUME's is.
        foreach (var mount in context.Options.MountPaths.Take(MaxMountPaths))
        {
            string text = mount.TrimEnd('/');
            if (text.StartsWith('/') && text.Length > 1 && !text.Contains('$') && !InstructionEdits.IsSystemPath(text + "/") && !IsTemporary(text) && !folders.Any(f => f.Path == text))
            {
                folders.Add(new Folder(text, text, final, final.Instructions.Length, -1, Volume: true));
            }
        }

        return folders;
    }

    /// <summary>Mount paths handed over per image; a service mounts a handful, and each costs the suggested RUN a word.</summary>
    private const int MaxMountPaths = 20;

    /// <summary>Temporary folders are writable by everyone already.</summary>
    private static bool IsTemporary(string path) =>
        path is "/tmp" or "/var/tmp" || path.StartsWith("/tmp/", StringComparison.Ordinal) || path.StartsWith("/var/tmp/", StringComparison.Ordinal);

    private static readonly string[] Mkdir = ["mkdir"];

    /// <summary>The folders a shell script makes with mkdir.</summary>
    /// <remarks>Most scripts make none: they cost one search, not an enumerator each (this runs for every root RUN).</remarks>
    private static IEnumerable<string> MkdirTargets(string shell) =>
        shell.Contains("mkdir", StringComparison.Ordinal) ? MkdirTargetsOf(shell) : [];

    private static IEnumerable<string> MkdirTargetsOf(string shell)
    {
        foreach (var segment in UserCommands.CommandsContaining(shell, Mkdir))
        {
            var words = UserCommands.Words(segment);
            int start = words.FindIndex(w => w == "mkdir");
            for (int i = start + 1; start >= 0 && i < words.Count; i++)
            {
                if (words[i] is "-m" or "--mode")
                {
                    i++;
                }
                else if (words[i].StartsWith('>') || words[i].StartsWith('<'))
                {
                    break;
                }
                else if (!words[i].StartsWith('-'))
                {
                    yield return words[i];
                }
            }
        }
    }

    internal static Plan Choose(RuleContext context, Stage final)
    {
        var options = context.Options;
        var info = final.Base;

        if (info.Family == DistroFamily.Windows)
        {
            return new Plan("ContainerUser", null, null, "Run as ContainerUser, the unprivileged account Windows images ship.");
        }

        // A non-root user the Dockerfile already creates: just switch to it.
        // The one created last (of equals, the last met, as a stable sort's last would be), found in one pass.
        // The pairs, not Values: its iterator was allocated for every fix, and most stages create no user.
        CreatedUser? created = null;
        foreach (var (_, u) in final.CreatedUsers)
        {
            if ((created is null || u.Source.StartLine >= created.Source.StartLine)
                && u.Uid != 0 && !DockerfileModel.IsRootName(u.Name, final.CreatedUsers) && SafeText.IsValidName(u.Name))
            {
                created = u;
            }
        }

        if (created is not null)
        {
            string owner = final.CreatedGroups.ContainsKey(created.Name) ? $"{created.Name}:{created.Name}" : created.Name;
            string user = options.Numeric && created.Uid is { } uid ? Numeric(uid, final.CreatedGroups.TryGetValue(created.Name, out var g) ? g.Uid ?? uid : uid) : created.Name;
            return new Plan(user, owner, null, $"Switch to `{created.Name}`, the user this Dockerfile already creates", GivesFiles: true);
        }

        // A user the base image ships (node, $APP_UID, nonroot): reuse it.
        if (info.PreferredUser is { } shipped && shipped.Uid != 0)
        {
            // Images that ship a user ship its same-named group; without a shell (distroless) ids are the sure way.
            // Where the primary group is not the same-named one (grafana, UBI's default: gid 0), name it by id.
            string owner = !info.HasShell && shipped.Uid is { } ownerUid
                ? Numeric(ownerUid, shipped.Gid ?? ownerUid)
                : shipped.Gid is { } gid && gid != shipped.Uid ? $"{shipped.Name}:{gid}" : $"{shipped.Name}:{shipped.Name}";
            string user = !info.HasShell || options.Numeric
                ? shipped.UserExpression ?? (shipped.Uid is { } u ? Numeric(u, shipped.Gid ?? u) : shipped.Name)
                : shipped.UserText;
            return new Plan(user, owner, null, $"Run as {(user == shipped.Name ? $"`{user}`" : $"`{user}` ({shipped.Name})")}, the non-root user {Describe(final)} already ships", GivesFiles: true);
        }

        // Names from the configuration go into a RUN line: only valid POSIX names do, else numeric ids.
        bool namesValid = SafeText.IsValidName(options.UserName) && SafeText.IsValidName(options.GroupName);
        if (!info.HasShell || info.UserTools == UserTools.None || info.Family is DistroFamily.Scratch or DistroFamily.Distroless || !namesValid)
        {
            // Scratch and distroless reserve 65532 for non-root; elsewhere the configured ids.
            bool reserved = info.Family is DistroFamily.Scratch or DistroFamily.Distroless or DistroFamily.Wolfi;
            string spec = Numeric(Free(info, reserved ? NonRootUid : options.Uid), Free(info, reserved ? NonRootUid : options.Gid));
            string why = info.Family == DistroFamily.Unknown
                ? info.IsKnown
                    ? $"the distro of {Describe(final)} is not known (declare `distro:` under `images:` in the config), so a fix cannot count on a shell or user-creation tools there"
                    : $"ReviewBot has no data for {Describe(final)}, so a fix cannot count on a shell or user-creation tools there"
                : !info.HasShell ? $"{Describe(final)} has no shell to create a user in"
                : info.UserTools == UserTools.None || info.Family is DistroFamily.Scratch or DistroFamily.Distroless ? $"{Describe(final)} has no user-creation tools we can count on"
                : "the configured user or group name is not a valid POSIX name";
            return new Plan(spec, spec, null, $"Run as the numeric user `{spec}`: {why}, and a numeric `USER` needs no `/etc/passwd` entry.");
        }

        int chosenUid = Free(info, options.Uid);
        int chosenGid = Free(info, options.Gid);
        string userName = options.UserName;
        string groupName = options.GroupName;
        string create = options.OpenShift
            ? info.UserTools == UserTools.BusyBox
                ? $"adduser -S{(options.Numeric ? $" -u {chosenUid}" : "")} -G root -H -D {userName}"
                : $"useradd -r{(options.Numeric ? $" -u {chosenUid}" : "")} -g 0 --no-create-home {userName}"
            : info.UserTools == UserTools.BusyBox
            ? options.Numeric
                ? $"addgroup -S -g {chosenGid} {groupName} && adduser -S -u {chosenUid} -G {groupName} -H -D {userName}"
                : $"addgroup -S {groupName} && adduser -S -G {groupName} -H -D {userName}"
            : options.Numeric
                ? $"groupadd -r -g {chosenGid} {groupName} && useradd -r -u {chosenUid} -g {groupName} --no-create-home {userName}"
                : $"groupadd -r {groupName} && useradd -r -g {groupName} --no-create-home {userName}";
        string ownerSpec = $"{userName}:{groupName}";
        string tools = info.UserTools == UserTools.BusyBox ? "`addgroup` and `adduser`" : "`groupadd` and `useradd`";
        string how = options.Numeric
            ? $"Run as `{Numeric(chosenUid, chosenGid)}`, the system user `{userName}` created with {tools} as {Describe(final)} does it: a numeric `USER` lets Kubernetes `runAsNonRoot` verify the user."
            : $"Run as `{userName}`, a system user created with {tools} as {Describe(final)} does it";
        return new Plan(options.Numeric ? Numeric(chosenUid, chosenGid) : userName, ownerSpec, create, how, GivesFiles: !options.Numeric);
    }

    private static string Numeric(int uid, int gid) => string.Create(CultureInfo.InvariantCulture, $"{uid}:{gid}");

    /// <summary>The first id from <paramref name="preferred"/> up that the base image does not already use.</summary>
    private static int Free(BaseImageInfo info, int preferred)
    {
        int id = preferred;
        while (info.UsesUid(id) || info.UsesGid(id))
        {
            id++;
        }

        return id;
    }

    private static string Describe(Stage final) =>
        final.RootImage is null ? "the base image" : "`" + final.RootImage.FullName + (final.RootImage.Tag is null ? "" : ":" + final.RootImage.Tag) + "`";

    private static string IndentAt(Stage final, int index) =>
        index < final.Instructions.Length ? final.Instructions[index].Indent : final.Instructions.IsEmpty ? final.From.Indent : final.Instructions[^1].Indent;
}
