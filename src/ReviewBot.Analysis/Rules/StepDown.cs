using System.Runtime.InteropServices;
using System.Text;
using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Rules;

/// <summary>
/// Whether an image that runs as root drops root when it starts, and how. A step-down counts only when it runs: a
/// step-down tool as the program of a command the container starts with (ENTRYPOINT and CMD, past init wrappers and
/// <c>sh -c</c>) or of a command in its entrypoint script when that script can be read. A tool named in an
/// <c>echo</c>, a comment, a file name or an argument drops nothing.
/// </summary>
internal static class StepDown
{
    /// <summary>Nested <c>sh -c</c> strings followed into; deeper ones are not read (nothing real nests further).</summary>
    private const int MaxDepth = 3;

    /// <summary>The tools that change user and then run a command, and which the docs (RB001.md) list.</summary>
    private static readonly HashSet<string> Tools = new(StringComparer.Ordinal)
    {
        "gosu", "su-exec", "setpriv", "runuser", "su", "chpst", "s6-setuidgid", "setuidgid", "chroot",
    };

    /// <summary>Tools whose install is evidence enough when the entrypoint is a script ReviewBot cannot read: they do nothing else.</summary>
    private static readonly string[] InstalledTools = ["gosu", "su-exec"];

    /// <summary>Programs that run the rest of their words as the command (<c>tini -- gosu …</c>).</summary>
    private static readonly HashSet<string> Wrappers = new(StringComparer.Ordinal)
    {
        "tini", "tini-static", "dumb-init", "catatonit", "docker-init", "env",
    };

    // Looked up by a path's last part in place: a string for it was made for every image that runs as root.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ToolNames = Tools.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> WrapperNames = Wrappers.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly HashSet<string> PackageManagers = new(StringComparer.Ordinal)
    {
        "apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper", "tdnf", "pacman",
    };

    /// <summary>A found step-down tool, or the program that runs instead (<c>Words[Index]</c>; no words when there is none to read).</summary>
    private readonly record struct Outcome(string? Tool, List<string>? Words, int Index)
    {
        public string? Program => Words?[Index];
    }

    /// <summary>A file the Dockerfile puts at the entrypoint's path: its text when the Dockerfile writes it, else the build-context source it copies.</summary>
    internal sealed record ScriptFile(string? Text, string? ContextSource);

    /// <summary>How the image drops root at run time, in words that follow "It", or "" when it does not.</summary>
    public static string Find(Stage final, Func<string, string?>? readContextFile)
    {
        var (entrypoint, argv, script, text) = Begin(final, readContextFile);
        var outcome = Command(argv, 0, 0);
        if (outcome.Tool is not null)
        {
            return $"drops root with {outcome.Tool} when it starts";
        }

        string? program = outcome.Program;
        bool callsBaseEntrypoint = entrypoint is null || (program is not null && IsEntrypointName(program));
        if (program is not null)
        {
            if (text is not null && ShellScript.Commands(text) is { } commands)
            {
                // The script is read: what it runs is the answer, whatever the Dockerfile installs.
                bool execsArguments = false;
                callsBaseEntrypoint = false;
                foreach (var command in commands)
                {
                    if (Command(command.Words, 0, 1).Tool is { } tool)
                    {
                        return $"drops root with {tool} in its entrypoint script {ShellScript.Basename(program)}";
                    }

                    int at = ShellScript.ProgramIndex(command.Words);
                    execsArguments |= at < command.Words.Count && command.Words[at] == "$@";
                    callsBaseEntrypoint |= at < command.Words.Count && IsEntrypointName(command.Words[at]) && command.Words[at] != program;
                }

                // exec "$@": the command after the script (CMD) runs next.
                if (execsArguments && Command(outcome.Words!, outcome.Index + 1, 1).Tool is { } next)
                {
                    return $"drops root with {next} when it starts";
                }
            }
            else if ((script is not null || IsScriptName(program)) && InstalledTool(final) is { } installed)
            {
                return $"installs the step-down tool {installed} and starts with {ShellScript.Basename(program)}, a script ReviewBot cannot read, which presumably uses it to drop root";
            }
        }

        // The base's own entrypoint steps down unless this Dockerfile replaces it.
        return final.Base.StepsDownAtRuntime && callsBaseEntrypoint
            ? $"uses the start-up of {final.RootImage?.Repository}, which begins as root and switches to an unprivileged user"
            : "";
    }

    /// <summary>
    /// The words the container starts with (ENTRYPOINT, then an exec-form CMD) and the text of the script they start,
    /// when the Dockerfile writes it or the caller can read it (null otherwise), read as <see cref="Find"/> reads them.
    /// </summary>
    public static (List<string> Words, string? Script) Start(Stage final, Func<string, string?>? readContextFile)
    {
        var start = Begin(final, readContextFile);
        return (start.Argv, start.ScriptText);
    }

    /// <summary>What the container starts with and the script it runs, worked out once per stage.</summary>
    internal sealed record StartUp(Instruction? Entrypoint, List<string> Argv, ScriptFile? Script, string? ScriptText);

    /// <summary>
    /// The stage's <see cref="StartUp"/>, made on first use: RB001's step-down and Docker socket questions both need it,
    /// and asking twice read the entrypoint script from the build context twice.
    /// </summary>
    private static StartUp Begin(Stage final, Func<string, string?>? readContextFile)
    {
        if (final.StartUp is { } known)
        {
            return known;
        }

        var (entrypoint, argv) = StartCommand(final);
        var script = Command(argv, 0, 0).Program is { } program ? FindScript(final, program) : null;
        return final.StartUp = new StartUp(entrypoint, argv, script, ScriptText(script, readContextFile));
    }

    /// <summary>The ENTRYPOINT the container starts with, and its words followed by the CMD's where the CMD is its arguments.</summary>
    private static (Instruction? Entrypoint, List<string> Argv) StartCommand(Stage final)
    {
        var (entrypoint, cmd) = StartInstructions(final);
        var argv = new List<string>();
        AddCommand(argv, entrypoint);
        if (entrypoint is null || entrypoint.IsJsonForm)
        {
            AddCommand(argv, cmd);
        }

        return (entrypoint, argv);
    }

    /// <summary>
    /// A script file's text: written by the Dockerfile, or read from the build context by the caller. One over the
    /// engine's size limit is there but not read: it counts as running nothing, never as unreadable, since an unreadable
    /// script lets an installed step-down tool stand as the evidence, and padding a script would then pass.
    /// </summary>
    private static string? ScriptText(ScriptFile? script, Func<string, string?>? readContextFile) =>
        script?.Text
        ?? (script?.ContextSource is { } source && readContextFile?.Invoke(source) is { } read
            ? read.Length <= AnalyzerOptions.MaxContextFileChars ? read : ""
            : null);

    /// <summary>
    /// The ENTRYPOINT and CMD the container starts with: the last of each in the chain, nearest stage first. An ENTRYPOINT
    /// resets the CMD of the image it builds on, so a CMD from a farther stage than the ENTRYPOINT's does not apply.
    /// </summary>
    private static (Instruction? Entrypoint, Instruction? Cmd) StartInstructions(Stage final)
    {
        Instruction? entrypoint = null, cmd = null;
        int entrypointDepth = -1, cmdDepth = -1, depth = 0;
        for (var stage = final; stage is not null; stage = stage.Parent)
        {
            var instructions = stage.Instructions;
            for (int i = instructions.Length - 1; i >= 0; i--)
            {
                if (entrypoint is null && instructions[i].Is("ENTRYPOINT"))
                {
                    (entrypoint, entrypointDepth) = (instructions[i], depth);
                }
                else if (cmd is null && instructions[i].Is("CMD"))
                {
                    (cmd, cmdDepth) = (instructions[i], depth);
                }
            }

            depth++;
        }

        return (entrypoint, entrypoint is not null && cmdDepth > entrypointDepth ? null : cmd);
    }

    /// <summary>Appends what the instruction runs: its exec-form words, or <c>/bin/sh -c</c> and its shell text.</summary>
    private static void AddCommand(List<string> argv, Instruction? instruction)
    {
        if (instruction is null)
        {
            return;
        }

        if (instruction.IsJsonForm)
        {
            foreach (var item in instruction.JsonArguments)
            {
                argv.Add(item);
            }
        }
        else if (instruction.Arguments.Trim() is { Length: > 0 } text)
        {
            argv.Add("/bin/sh");
            argv.Add("-c");
            argv.Add(text);
        }
    }

    /// <summary>The step-down tool the command in <paramref name="words"/> (from <paramref name="start"/>) runs, or the program it runs instead.</summary>
    private static Outcome Command(List<string> words, int start, int depth)
    {
        int i = ShellScript.ProgramIndex(words, start);
        while (i < words.Count)
        {
            var program = ShellScript.BasenameSpan(words[i]);
            if (WrapperNames.Contains(program))
            {
                i = ShellScript.ProgramIndex(words, SkipOptions(words, i + 1));
                continue;
            }

            if (ToolNames.TryGetValue(program, out var tool))
            {
                return new(DropsRoot(tool, words, i + 1) ? tool : null, null, 0);
            }

            if (ShellScript.IsShell(program))
            {
                int scriptAt = ShellScript.CommandStringAt(CollectionsMarshal.AsSpan(words), i + 1);
                if (scriptAt < 0)
                {
                    // sh FILE ARGS…: the script file is what runs.
                    int file = SkipShellOptions(words, i + 1);
                    return new(null, words, file < words.Count ? file : i);
                }

                if (depth >= MaxDepth || ShellScript.Commands(words[scriptAt]) is not { Count: > 0 } commands)
                {
                    return default;
                }

                Outcome last = default;
                foreach (var command in commands)
                {
                    last = Command(command.Words, 0, depth + 1);
                    if (last.Tool is not null)
                    {
                        return last;
                    }
                }

                // The last command is the one the container goes on running (exec docker-entrypoint.sh "$@").
                return last;
            }

            return new(null, words, i);
        }

        return default;
    }

    /// <summary>Past a wrapper's options (<c>tini -s -p SIGKILL --</c>) to the command it runs.</summary>
    private static int SkipOptions(List<string> words, int i)
    {
        while (i < words.Count && words[i].StartsWith('-'))
        {
            if (words[i] == "--")
            {
                return i + 1;
            }

            // tini -p SIGNAL, tini -e CODE, dumb-init -r s:r, env -u NAME, env -C DIR.
            i += words[i] is "-p" or "-e" or "-r" or "--rewrite" or "-u" or "--unset" or "-C" or "--chdir" ? 2 : 1;
        }

        return i;
    }

    /// <summary>Past a shell's options (<c>-e</c>, <c>-o pipefail</c>, <c>--</c>) to its first operand.</summary>
    private static int SkipShellOptions(List<string> words, int i)
    {
        for (; i < words.Count && words[i].StartsWith('-'); i++)
        {
            if (words[i] == "--")
            {
                return i + 1;
            }

            if (words[i] == "-o")
            {
                i++;
            }
        }

        return i;
    }

    /// <summary>Whether the tool, given these arguments, runs its command as a user other than root.</summary>
    private static bool DropsRoot(string tool, List<string> words, int i)
    {
        switch (tool)
        {
            case "gosu" or "su-exec" or "s6-setuidgid" or "setuidgid":
                // TOOL USER COMMAND …: the user first, then what runs as that user.
                return i + 1 < words.Count && !words[i].StartsWith('-') && !IsRoot(words[i]);
            case "setpriv":
                // Only its uid options change the user: --init-groups or --clear-groups alone keep root.
                return OptionValue(words, i, "--reuid", "--ruid", "--euid") is { } uid && !IsRoot(uid);
            case "chroot":
                return OptionValue(words, i, "--userspec") is { } spec && !IsRoot(spec);
            case "chpst":
                return OptionValue(words, i, "-u") is { } account && !IsRoot(account);
            default:
                // runuser [-u USER] [options] [USER] …, su [options] [-] [USER] …: without a user both run as root.
                return NamedUser(tool, words, i) is { } user && !IsRoot(user);
        }
    }

    /// <summary>The value of the first of <paramref name="names"/> among the options (<c>--reuid=app</c>, <c>--reuid app</c>, <c>-uapp</c>).</summary>
    private static string? OptionValue(List<string> words, int i, params string[] names)
    {
        for (; i < words.Count && words[i].StartsWith('-') && words[i] != "--"; i++)
        {
            foreach (var name in names)
            {
                if (words[i] == name)
                {
                    return i + 1 < words.Count ? words[i + 1] : null;
                }

                if (words[i].StartsWith(name, StringComparison.Ordinal))
                {
                    string rest = words[i][name.Length..];
                    return name.StartsWith("--", StringComparison.Ordinal) ? (rest.StartsWith('=') ? rest[1..] : null) : rest;
                }
            }
        }

        return null;
    }

    /// <summary>The user runuser or su switches to, or null when they name none (and so stay root).</summary>
    private static string? NamedUser(string tool, List<string> words, int i)
    {
        for (; i < words.Count; i++)
        {
            string w = words[i];
            if (tool == "runuser" && w is "-u" or "--user")
            {
                return i + 1 < words.Count ? words[i + 1] : null;
            }

            if (tool == "runuser" && w.StartsWith("--user=", StringComparison.Ordinal))
            {
                return w["--user=".Length..];
            }

            if (w is "-c" or "--command" or "-s" or "--shell" or "-g" or "--group" or "-G" or "--supp-group" or "-w" or "--whitelist-environment" or "--session-command")
            {
                i++;
                continue;
            }

            if (w.StartsWith('-'))
            {
                // "-" and "--login" are flags; --shell=… carries its value.
                continue;
            }

            return w;
        }

        return null;
    }

    /// <summary>Whether a user spec (user, uid, user:group) is root. A variable ($APP_USER) is taken for the user it names, which is not root.</summary>
    private static bool IsRoot(string spec)
    {
        int colon = spec.IndexOf(':');
        string user = colon < 0 ? spec : spec[..colon];
        return user.Length == 0 || user == "root" || !user.AsSpan().ContainsAnyExcept('0');
    }

    private static bool IsEntrypointName(string program) =>
        ShellScript.BasenameSpan(program).Contains("entrypoint", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the program's name says it is a script: docker-entrypoint.sh, /entrypoint, start.sh.</summary>
    private static bool IsScriptName(string program) =>
        IsEntrypointName(program) || program.EndsWith(".sh", StringComparison.Ordinal);

    /// <summary>
    /// What the Dockerfile last puts at the program's path (an absolute path, or any path of that name), or null; read
    /// from the farthest parent stage on, so that what is written last wins.
    /// </summary>
    private static ScriptFile? FindScript(Stage stage, string program)
    {
        var found = stage.Parent is { } parent ? FindScript(parent, program) : null;
        var name = ShellScript.BasenameSpan(program);
        foreach (var instruction in stage.Instructions)
        {
            if (!Mentions(instruction, name))
            {
                continue;
            }

            if (instruction.Is("COPY") || instruction.Is("ADD"))
            {
                found = Copied(instruction, program) ?? found;
            }
            else if (instruction.Is("RUN") && !instruction.IsJsonForm && (found is not null || instruction.Arguments.Contains('>')))
            {
                // A RUN writes a file only through a redirection, and changes one only if there is one to change.
                found = Written(instruction, program, [name.ToString()], found);
            }
        }

        return found;
    }

    private static bool Mentions(Instruction instruction, ReadOnlySpan<char> name)
    {
        if (instruction.Arguments.AsSpan().Contains(name, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var item in instruction.JsonArguments)
        {
            if (item.AsSpan().Contains(name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The file a COPY or ADD puts at the program's path: a heredoc's text, or a build-context source; null when it puts none there.</summary>
    private static ScriptFile? Copied(Instruction instruction, string program)
    {
        List<string> words;
        IReadOnlyList<Redirect> heredocs;
        if (instruction.IsJsonForm)
        {
            (words, heredocs) = ([.. instruction.JsonArguments], []);
        }
        else if (ShellScript.Commands(instruction.Arguments) is [var command, ..])
        {
            (words, heredocs) = (command.Words, command.Redirects);
        }
        else
        {
            return null;
        }

        if (words.Count == 0)
        {
            return null;
        }

        string destination = words[^1];
        bool fromContext = instruction.GetFlag("from") is null;
        ScriptFile? found = null;
        foreach (var heredoc in heredocs)
        {
            if (heredoc.Operator.StartsWith("<<", StringComparison.Ordinal) && IsAt(destination, heredoc.Target, program))
            {
                var body = instruction.Heredocs.FirstOrDefault(h => h.Delimiter == heredoc.Target);
                found = new ScriptFile(body is null ? null : body.StripTabs ? StripTabs(body.Body) : body.Body, null);
            }
        }

        for (int i = 0; i < words.Count - 1; i++)
        {
            string source = words[i];
            if (IsAt(destination, ShellScript.BasenameSpan(source), program))
            {
                bool readable = fromContext && !source.Contains("://", StringComparison.Ordinal) && source.IndexOfAny(['*', '?', '[', '$']) < 0;
                found = new ScriptFile(null, readable ? source : null);
            }
        }

        return found;
    }

    /// <summary>Whether a file of that name copied to <paramref name="destination"/> lands at the program's path.</summary>
    /// <remarks>Compared in place: it is asked for every source of every COPY that mentions the program's name.</remarks>
    private static bool IsAt(string destination, ReadOnlySpan<char> fileName, string program)
    {
        if (program.StartsWith('/'))
        {
            // The destination itself, or a file of that name in it (destination/fileName).
            var folder = destination.AsSpan().TrimEnd('/');
            return destination == program
                || (program.Length == folder.Length + 1 + fileName.Length && program.AsSpan().StartsWith(folder)
                    && program[folder.Length] == '/' && program.AsSpan(folder.Length + 1).SequenceEqual(fileName));
        }

        var name = ShellScript.BasenameSpan(program);
        return ShellScript.BasenameSpan(destination).SequenceEqual(name) || fileName.SequenceEqual(name);
    }

    /// <summary>
    /// What a RUN leaves at the program's path, from <paramref name="before"/>: a file written with <c>cat &lt;&lt;EOF &gt;</c>,
    /// <c>printf … &gt;</c> or <c>echo … &gt;&gt;</c> is read; once there is a file, any other command that names its path
    /// (sed -i, cp, curl -o …) leaves one that cannot be read. A word that only shares the program's name
    /// (<c>apt-get install python</c>) puts no file there.
    /// </summary>
    private static ScriptFile? Written(Instruction instruction, string program, string[] names, ScriptFile? before)
    {
        if (ShellScript.Commands(instruction.Arguments, names) is not { } commands)
        {
            return new ScriptFile(null, null);
        }

        var found = before;
        foreach (var command in commands)
        {
            var words = command.Words;
            int at = ShellScript.ProgramIndex(words);
            string verb = at < words.Count ? ShellScript.Basename(words[at]) : "";
            foreach (var redirect in command.Redirects)
            {
                if (redirect.Operator is not (">" or ">>" or ">|") || !IsPath(redirect.Target, program))
                {
                    continue;
                }

                string? heredoc = command.Redirects.FirstOrDefault(r => r.Operator.StartsWith("<<", StringComparison.Ordinal) && !r.Operator.StartsWith("<<<", StringComparison.Ordinal)) is { Target: { Length: > 0 } delimiter }
                    ? instruction.Heredocs.FirstOrDefault(h => h.Delimiter == delimiter) is { } body ? (body.StripTabs ? StripTabs(body.Body) : body.Body) + "\n" : null
                    : null;
                string? text = heredoc is not null && verb == "cat" ? heredoc
                    : verb == "printf" ? Printf(words, at + 1)
                    : verb == "echo" ? Echo(words, at + 1)
                    : null;
                string? kept = redirect.Operator == ">>" ? found?.Text : "";
                found = new ScriptFile(text is not null && kept is not null ? kept + text : null, null);
            }

            if (found is not null && command.Redirects.Count == 0 && verb is not ("chmod" or "chown" or "ls" or "test" or "[") && words.Skip(at + 1).Any(w => IsPath(w, program)))
            {
                found = new ScriptFile(null, null);
            }
        }

        return found;
    }

    private static bool IsPath(string path, string program) =>
        program.StartsWith('/') ? path == program : ShellScript.Basename(path) == ShellScript.Basename(program);

    private static string StripTabs(string body) => string.Join('\n', body.Split('\n').Select(line => line.TrimStart('\t')));

    /// <summary>What <c>printf FORMAT ARGS…</c> prints: %s and %b take the arguments in turn, and the format repeats while any are left.</summary>
    private static string Printf(List<string> words, int i)
    {
        if (i < words.Count && words[i] == "--")
        {
            i++;
        }

        if (i >= words.Count)
        {
            return "";
        }

        string format = Unescape(words[i]);
        var text = new StringBuilder();
        int next = i + 1;
        do
        {
            for (int c = 0; c < format.Length; c++)
            {
                if (format[c] == '%' && c + 1 < format.Length)
                {
                    c++;
                    if (format[c] == '%')
                    {
                        text.Append('%');
                    }
                    else
                    {
                        text.Append(next < words.Count ? (format[c] == 'b' ? Unescape(words[next]) : words[next]) : "");
                        next++;
                    }
                }
                else
                {
                    text.Append(format[c]);
                }
            }
        }
        while (next < words.Count && format.Contains('%'));

        return text.ToString();
    }

    /// <summary>What <c>echo [-e|-n] WORDS…</c> prints (escapes read, as dash's echo does).</summary>
    private static string Echo(List<string> words, int i)
    {
        bool newline = true;
        for (; i < words.Count && words[i] is "-e" or "-n" or "-E" or "-ne" or "-en"; i++)
        {
            newline &= !words[i].Contains('n');
        }

        return Unescape(string.Join(' ', words.Skip(i))) + (newline ? "\n" : "");
    }

    private static string Unescape(string text) =>
        text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    /// <summary>
    /// The step-down tool (gosu, su-exec) the image really has: installed with a package manager, downloaded or copied
    /// to a file of that name, or run while building (<c>gosu nobody true</c>). A name in a comment, an echo or another
    /// file's name is none of these.
    /// </summary>
    private static string? InstalledTool(Stage final)
    {
        for (var stage = final; stage is not null; stage = stage.Parent)
        {
            foreach (var instruction in stage.Instructions)
            {
                bool isRun = instruction.Is("RUN");
                if ((!isRun && !instruction.Is("COPY") && !instruction.Is("ADD")) || !MentionsInstalledTool(instruction))
                {
                    continue;
                }

                if (!isRun)
                {
                    if (CopiesTool(instruction) is { } copied)
                    {
                        return copied;
                    }

                    continue;
                }

                foreach (var script in Scripts(instruction))
                {
                    foreach (var command in ShellScript.Commands(script, InstalledTools) ?? [])
                    {
                        if (Installs(command.Words) is { } tool)
                        {
                            return tool;
                        }
                    }
                }
            }
        }

        return null;
    }

    private static bool MentionsInstalledTool(Instruction instruction)
    {
        if (UserCommands.ContainsAny(instruction.Arguments, InstalledTools))
        {
            return true;
        }

        foreach (var heredoc in instruction.Heredocs)
        {
            if (UserCommands.ContainsAny(heredoc.Body, InstalledTools))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The shell scripts a RUN runs: its line, and each heredoc it runs as a script (<c>RUN &lt;&lt;EOF</c>,
    /// <c>RUN bash &lt;&lt;EOF</c>), but not a heredoc it writes to a file (<c>cat &lt;&lt;EOF &gt; file</c>).
    /// </summary>
    private static IEnumerable<string> Scripts(Instruction run)
    {
        yield return run.Arguments;
        foreach (var command in run.Heredocs.IsEmpty ? [] : ShellScript.Commands(run.Arguments) ?? [])
        {
            int at = ShellScript.ProgramIndex(command.Words);
            if (at < command.Words.Count && !ShellScript.IsShell(ShellScript.BasenameSpan(command.Words[at])))
            {
                continue;
            }

            foreach (var redirect in command.Redirects)
            {
                if (redirect.Operator is "<<" or "<<-" && run.Heredocs.FirstOrDefault(h => h.Delimiter == redirect.Target) is { } heredoc)
                {
                    yield return heredoc.Body;
                }
            }
        }
    }

    /// <summary>A COPY or ADD of a file named for the tool (<c>COPY --from=tianon/gosu /gosu /usr/local/bin/</c>).</summary>
    private static string? CopiesTool(Instruction instruction)
    {
        var words = instruction.IsJsonForm ? [.. instruction.JsonArguments] : ShellScript.Commands(instruction.Arguments) is [var command, ..] ? command.Words : [];
        return words.Select(ShellScript.Basename).FirstOrDefault(w => InstalledTools.Contains(w));
    }

    private static string? Installs(List<string> words)
    {
        int at = ShellScript.ProgramIndex(words);
        if (at < words.Count && words[at] == "sudo")
        {
            at = ShellScript.ProgramIndex(words, at + 1);
        }

        if (at >= words.Count)
        {
            return null;
        }

        string program = ShellScript.Basename(words[at]);
        if (InstalledTools.Contains(program))
        {
            return program;
        }

        if (PackageManagers.Contains(program))
        {
            int verb = words.FindIndex(at + 1, w => w is "install" or "add" or "-S");
            return verb < 0 ? null : words.Skip(verb + 1).Where(w => !w.StartsWith('-')).Select(PackageName).FirstOrDefault(p => InstalledTools.Contains(p));
        }

        string? target = program switch
        {
            "wget" or "curl" => OutputFile(words, at + 1),
            "cp" or "mv" or "install" or "ln" => words[^1],
            _ => null,
        };
        return target is not null && Array.IndexOf(InstalledTools, ShellScript.Basename(target)) is var index and >= 0 ? InstalledTools[index] : null;
    }

    /// <summary>The file wget -O or curl -o writes.</summary>
    private static string? OutputFile(List<string> words, int i)
    {
        for (; i < words.Count; i++)
        {
            if (words[i] is "-O" or "-o" or "--output" or "--output-document")
            {
                return i + 1 < words.Count ? words[i + 1] : null;
            }

            foreach (var prefix in (string[])["--output=", "--output-document="])
            {
                if (words[i].StartsWith(prefix, StringComparison.Ordinal))
                {
                    return words[i][prefix.Length..];
                }
            }
        }

        return null;
    }

    /// <summary>A package argument's name: gosu=1.14-1, 'su-exec&gt;=0.2' and gosu:amd64 are gosu and su-exec.</summary>
    private static string PackageName(string word)
    {
        int end = word.IndexOfAny(['=', '<', '>', '~', ':']);
        return end < 0 ? word : word[..end];
    }
}
