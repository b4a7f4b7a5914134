using System.Text.RegularExpressions;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Analysis.Tests.Fixes;

/// <summary>
/// Says whether a fix can break the build, from its own small reading of the fixed text (not the engine's
/// model, so it catches the engine's mistakes rather than repeating them). Only images.json is shared: it
/// is the data the engine and this checker both take as the truth about base images.
/// Checked for every line a fix wrote:
/// - a USER, --chown or chown names only users and groups that exist there (created earlier in the stage
///   chain, shipped by the base image, numeric, or root);
/// - a RUN only on a base with a shell, and user tools only the distro's own (groupadd/useradd for shadow,
///   addgroup -S/adduser -S for BusyBox);
/// and over the whole file: no step that needs root (package installs, user tools, chown, writes under
/// /etc or /usr) ran as root before the fix and runs as a non-root user after it.
/// </summary>
internal static partial class BuildSafetyChecker
{
    /// <summary>The problems of applying <paramref name="edits"/> to <paramref name="original"/> (empty: safe).</summary>
    public static List<string> Check(string original, IReadOnlyList<TextEdit> edits)
    {
        var lines = Splice(original, edits);
        var before = Read(Split(original).Select((text, i) => new Line(text, i + 1)).ToList());
        var after = Read(lines);
        var problems = new List<string>(after.Problems);

        // Root-only steps that ran as root and no longer do.
        var rootBefore = before.Steps.Where(s => s.OriginalLine > 0).ToDictionary(s => s.OriginalLine, s => s.AsRoot);
        foreach (var step in after.Steps.Where(s => s.NeedsRoot && s.AsRoot == false))
        {
            if (step.OriginalLine == 0 || rootBefore.GetValueOrDefault(step.OriginalLine) == true)
            {
                problems.Add($"line {step.Line}: '{step.Text}' needs root but now runs as a non-root user");
            }
        }

        return problems;
    }

    /// <summary>A line of the fixed text: its text and the original line it came from (0: written by the fix).</summary>
    private sealed record Line(string Text, int OriginalLine);

    /// <summary>A RUN as read: whether it needs root, whether it runs as root (null: unknown).</summary>
    private sealed record Step(int Line, int OriginalLine, string Text, bool NeedsRoot, bool? AsRoot);

    private sealed record Reading(List<string> Problems, List<Step> Steps);

    /// <summary>What a stage has at a point: its base, the names that exist, whether it runs as root.</summary>
    private sealed class StageState
    {
        public required string? Name { get; init; }
        public required BaseImageInfo Base { get; init; }
        public HashSet<string> Names { get; init; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Variables { get; init; } = new(StringComparer.Ordinal);
        public bool? Root { get; set; }
        public bool Opaque { get; set; }

        public StageState Child(string? name) => new()
        {
            Name = name,
            Base = Base,
            Names = new(Names, StringComparer.Ordinal),
            Variables = new(Variables, StringComparer.Ordinal),
            Root = Root,
            Opaque = Opaque,
        };
    }

    private static List<Line> Splice(string original, IReadOnlyList<TextEdit> edits)
    {
        var lines = Split(original).Select((text, i) => new Line(text, i + 1)).ToList();
        foreach (var edit in edits.OrderByDescending(e => e.StartLine).ThenByDescending(e => e.EndLine))
        {
            int start = edit.StartLine - 1;
            int count = edit.EndLine - edit.StartLine + 1;
            lines.RemoveRange(start, count);
            lines.InsertRange(start, Split(edit.NewText).Select(t => new Line(t, 0)));
        }

        return lines;
    }

    private static List<string> Split(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static Reading Read(List<Line> lines)
    {
        var problems = new List<string>();
        var steps = new List<Step>();
        char escape = lines.Count > 0 && EscapeDirective().Match(lines[0].Text) is { Success: true } d ? d.Groups[1].Value[0] : '\\';
        var globals = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<StageState>();
        StageState? stage = null;

        for (int i = 0; i < lines.Count; i++)
        {
            string first = lines[i].Text.Trim();
            if (first.Length == 0 || first.StartsWith('#'))
            {
                continue;
            }

            // One instruction: its lines joined over continuations (comment lines inside are dropped), then heredoc bodies.
            int startIndex = i;
            bool written = lines[i].OriginalLine == 0;
            var text = new System.Text.StringBuilder();
            string current = lines[i].Text;
            while (true)
            {
                string trimmed = current.TrimEnd();
                bool continues = trimmed.EndsWith(escape) && i + 1 < lines.Count;
                text.Append(continues ? trimmed[..^1] : trimmed).Append(' ');
                if (!continues)
                {
                    break;
                }

                i++;
                while (i + 1 < lines.Count && lines[i].Text.TrimStart().StartsWith('#'))
                {
                    i++;
                }

                written |= lines[i].OriginalLine == 0;
                current = lines[i].Text;
            }

            string instruction = text.ToString().Trim();
            foreach (Match heredoc in Heredoc().Matches(instruction))
            {
                string delimiter = heredoc.Groups["word"].Value;
                while (i + 1 < lines.Count)
                {
                    i++;
                    written |= lines[i].OriginalLine == 0;
                    if (lines[i].Text.Trim() == delimiter)
                    {
                        break;
                    }

                    instruction += "\n" + lines[i].Text;
                }
            }

            int lineNumber = startIndex + 1;
            int originalLine = lines[startIndex].OriginalLine;
            string where = $"line {lineNumber}";
            int space = instruction.IndexOfAny([' ', '\t']);
            string keyword = (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
            string rest = space < 0 ? "" : instruction[(space + 1)..].Trim();

            if (keyword == "FROM")
            {
                var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                string image = words.Count > 0 ? Expand(words[0], globals) : "";
                string? name = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                var parent = stages.LastOrDefault(s => string.Equals(s.Name, image, StringComparison.OrdinalIgnoreCase));
                if (parent is not null)
                {
                    stage = parent.Child(name);
                }
                else
                {
                    var info = ImageKnowledge.Lookup(image);
                    stage = new StageState { Name = name, Base = info };
                    stage.Names.Add("root");
                    stage.Names.Add("nobody");
                    foreach (var user in info.ShippedUsers)
                    {
                        stage.Names.Add(user.Name);
                        if (user.UserExpression is { } expression && expression.StartsWith('$') && user.Uid is { } uid)
                        {
                            stage.Variables[expression.Trim('$', '{', '}')] = uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }

                    string defaultUser = info.DefaultUser.Split(':')[0];
                    stage.Names.Add(defaultUser);
                    stage.Root = defaultUser is "root" or "0" or "" || defaultUser.Equals("ContainerAdministrator", StringComparison.OrdinalIgnoreCase);
                    stage.Opaque = !info.IsKnown || info.IsGuessed;
                }

                stages.Add(stage);
                continue;
            }

            if (keyword == "ARG")
            {
                foreach (Match m in Assignment().Matches(rest))
                {
                    var scope = stage?.Variables ?? globals;
                    string name = m.Groups["name"].Value;
                    if (m.Groups["value"].Success)
                    {
                        scope[name] = Expand(m.Groups["value"].Value.Trim('"', '\''), scope);
                    }
                    else if (stage is not null && globals.TryGetValue(name, out var global))
                    {
                        scope[name] = global;
                    }
                }

                continue;
            }

            if (stage is null)
            {
                continue;
            }

            switch (keyword)
            {
                case "ENV":
                    foreach (Match m in Assignment().Matches(rest))
                    {
                        if (m.Groups["value"].Success)
                        {
                            stage.Variables[m.Groups["name"].Value] = Expand(m.Groups["value"].Value.Trim('"', '\''), stage.Variables);
                        }
                    }

                    break;
                case "USER":
                    {
                        string spec = Expand(rest.Trim('"', '\''), stage.Variables);
                        if (written)
                        {
                            CheckSpec(spec, stage, lines, startIndex, where + " USER", problems);
                        }

                        string user = spec.Split(':')[0];
                        stage.Root = spec.Contains('$') ? null : user is "root" || (user.Length > 0 && user.All(c => c == '0'));
                        break;
                    }

                case "COPY" or "ADD":
                    {
                        var chown = ChownFlag().Match(rest);
                        if (written && chown.Success)
                        {
                            CheckSpec(Expand(chown.Groups[1].Value.Trim('"', '\''), stage.Variables), stage, lines, startIndex, where + " --chown", problems);
                        }

                        if (rest.Contains("/etc/passwd", StringComparison.Ordinal) || rest.TrimEnd().EndsWith(" /etc/", StringComparison.Ordinal) || rest.TrimEnd().EndsWith(" /", StringComparison.Ordinal))
                        {
                            stage.Opaque = true;
                        }

                        break;
                    }

                case "RUN":
                    {
                        string script = Expand(rest, stage.Variables);
                        if (written && !stage.Base.HasShell)
                        {
                            problems.Add($"{where}: a RUN on {stage.Base.Source}, which has no shell");
                        }

                        if (written && lines[startIndex].OriginalLine == 0 && ShellSyntax(rest) is { } syntax)
                        {
                            problems.Add($"{where}: the suggested RUN has {syntax} outside quotes: Dockerfile text would run as a command");
                        }

                        bool needsRoot = false;
                        foreach (var command in Commands().Split(script))
                        {
                            var words = command.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('"', '\'')).ToList();
                            while (words.Count > 0 && (words[0].Contains('=') || words[0] is "sudo" or "exec" or "command" or "set" or "-e" or "-x"))
                            {
                                words.RemoveAt(0);
                            }

                            if (words.Count == 0)
                            {
                                continue;
                            }

                            string tool = Path.GetFileName(words[0]);
                            needsRoot |= NeedsRoot(tool, words);
                            if (tool is "useradd" or "groupadd" or "adduser" or "addgroup")
                            {
                                if (written)
                                {
                                    CheckTool(tool, words, stage.Base, where, problems);
                                }

                                foreach (var name in words.Skip(1).Where(w => !w.StartsWith('-') && Regex.IsMatch(w, "^[A-Za-z_][A-Za-z0-9_.-]*$")))
                                {
                                    stage.Names.Add(name);
                                }
                            }
                            else if (tool == "chown" && written)
                            {
                                string? owner = words.Skip(1).FirstOrDefault(w => !w.StartsWith('-'));
                                if (owner is not null)
                                {
                                    CheckSpec(owner.Replace('.', ':'), stage, lines, startIndex, where + " chown", problems);
                                }
                            }
                        }

                        if (script.Contains("/etc/passwd", StringComparison.Ordinal) || script.Contains("/etc/group", StringComparison.Ordinal))
                        {
                            stage.Opaque = true;
                        }

                        steps.Add(new Step(lineNumber, written ? 0 : originalLine, rest.Length > 60 ? rest[..60] + "…" : rest, needsRoot, stage.Root));
                        break;
                    }
            }
        }

        return new Reading(problems, steps);
    }

    /// <summary>The user and group of a spec exist at this point.</summary>
    private static void CheckSpec(string spec, StageState stage, List<Line> lines, int index, string where, List<string> problems)
    {
        foreach (var name in spec.Split(':'))
        {
            if (name.Length == 0 || name.All(char.IsAsciiDigit) || stage.Names.Contains(name))
            {
                continue;
            }

            if (name.Contains('$') || !Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_.-]*$"))
            {
                problems.Add($"{where}: '{name}' is not a name or id a build can resolve");
                continue;
            }

            // Made later in the file: surely not there yet. Otherwise an unknown base or an opaque passwd may have it.
            bool createdLater = lines.Skip(index + 1).Any(l => Regex.IsMatch(l.Text, @"\b(useradd|adduser|groupadd|addgroup)\b[^\n]*\b" + Regex.Escape(name) + @"\b"));
            if (createdLater || !stage.Opaque)
            {
                problems.Add($"{where}: '{name}' does not exist there");
            }
        }
    }

    /// <summary>Shadow distros get groupadd/useradd, BusyBox ones addgroup/adduser with their short options.</summary>
    private static void CheckTool(string tool, List<string> words, BaseImageInfo info, string where, List<string> problems)
    {
        bool shadow = tool is "useradd" or "groupadd";
        if (info.UserTools == UserTools.None)
        {
            problems.Add($"{where}: {tool} on {info.Source}, which ships no user tools");
        }
        else if (info.UserTools == UserTools.Shadow && !shadow)
        {
            problems.Add($"{where}: {tool} on {info.Source}, whose tools are groupadd/useradd");
        }
        else if (info.UserTools == UserTools.BusyBox && (shadow || words.Any(w => w.StartsWith("--", StringComparison.Ordinal))))
        {
            problems.Add($"{where}: {string.Join(' ', words)} on {info.Source}, whose tools are BusyBox addgroup/adduser with short options");
        }
    }

    /// <summary>
    /// What in a RUN the fix wrote is shell syntax beyond a list of simple commands joined by <c>&amp;&amp;</c>:
    /// command substitution, another separator, a redirection or a glob outside single quotes (null: none).
    /// </summary>
    private static string? ShellSyntax(string run)
    {
        bool single = false, dbl = false;
        for (int i = 0; i < run.Length; i++)
        {
            char c = run[i];
            if (single)
            {
                single = c != '\'';
                continue;
            }

            if (c == '\\')
            {
                i++; // an escaped character is data, in double quotes and outside
                continue;
            }

            if (c == '`' || (c == '$' && i + 1 < run.Length && run[i + 1] == '('))
            {
                return "command substitution";
            }

            if (dbl)
            {
                dbl = c != '"';
                continue;
            }

            switch (c)
            {
                case '\'':
                    single = true;
                    break;
                case '"':
                    dbl = true;
                    break;
                case '&' when i + 1 < run.Length && run[i + 1] == '&':
                    i++;
                    break;
                case ';' or '&' or '|' or '<' or '>' or '*' or '?' or '[' or '\n' or '#':
                    return $"'{c}'";
            }
        }

        return single || dbl ? "an unterminated quote" : null;
    }

    private static bool NeedsRoot(string tool, List<string> words)
    {
        string args = " " + string.Join(' ', words.Skip(1)) + " ";
        return tool switch
        {
            "apt-get" or "apt" or "aptitude" => args.Contains(" install ", StringComparison.Ordinal) || args.Contains(" update ", StringComparison.Ordinal) || args.Contains(" upgrade ", StringComparison.Ordinal),
            "apk" => args.Contains(" add ", StringComparison.Ordinal) || args.Contains(" upgrade ", StringComparison.Ordinal),
            "yum" or "dnf" or "microdnf" or "zypper" or "tdnf" => args.Contains(" install ", StringComparison.Ordinal) || args.Contains(" update ", StringComparison.Ordinal),
            "useradd" or "groupadd" or "adduser" or "addgroup" or "usermod" or "chown" => true,
            "pip" or "pip3" => args.Contains(" install ", StringComparison.Ordinal) && !args.Contains(" --user ", StringComparison.Ordinal) && !args.Contains(" --target", StringComparison.Ordinal) && !args.Contains(" --prefix", StringComparison.Ordinal),
            "npm" or "yarn" or "pnpm" => Regex.IsMatch(args, @" (-g|--global|global) "),
            _ => Regex.IsMatch(args, @"(>>?|\s)(/etc|/usr)/") && tool is not ("cat" or "ls" or "test" or "[" or "grep" or "echo" or "readlink") || args.Contains(">/etc/", StringComparison.Ordinal) || args.Contains("> /etc/", StringComparison.Ordinal),
        };
    }

    private static string Expand(string text, Dictionary<string, string> variables) =>
        Variable().Replace(text, m => variables.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"^#\s*escape\s*=\s*(\S)", RegexOptions.IgnoreCase)]
    private static partial Regex EscapeDirective();

    [GeneratedRegex(@"<<-?[""']?(?<word>[A-Za-z_][A-Za-z0-9_]*)[""']?")]
    private static partial Regex Heredoc();

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)(=(?<value>""[^""]*""|'[^']*'|\S*))?")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"--chown=(\S+)")]
    private static partial Regex ChownFlag();

    [GeneratedRegex(@"&&|\|\||;|\||\n")]
    private static partial Regex Commands();

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex Variable();
}
