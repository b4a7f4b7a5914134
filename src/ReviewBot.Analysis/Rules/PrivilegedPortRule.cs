using System.Globalization;
using System.Text.RegularExpressions;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Rules;

/// <summary>RB004: EXPOSE of a port below 1024 in an image that runs, or after the fix will run, as non-root.</summary>
public sealed partial class PrivilegedPortRule : IRule
{
    public static RuleDescriptor Descriptor { get; } = new(
        "RB004",
        Severity.Warning,
        "Privileged port in a non-root image",
        "privileged-port",
        Why: "Ports below 1024 are privileged: a non-root process cannot bind them without extra capabilities, so a non-root image that listens on 80 fails to start. That is no reason to run as root: listen on a high port inside the container and map it outside.",
        Example: "FROM nginxinc/nginx-unprivileged\nEXPOSE 80",
        FixText: "Make the application listen on a high port (80 becomes 8080, 443 becomes 8443, any other port p becomes p + 8000), expose that, and map it outside with `docker run -p 80:8080`, a Kubernetes Service port 80 with `targetPort: 8080`, or a reverse proxy. The suggestion moves `EXPOSE` only together with the setting in this Dockerfile that makes the application listen there (`--port 80`, `--bind 0.0.0.0:80`, `PORT=80`); where none names the port, the advice says what to change and no suggestion is offered, since an `EXPOSE` moved alone would make the Dockerfile lie.");

    /// <summary>Ports below this need root or CAP_NET_BIND_SERVICE (Linux: net.ipv4.ip_unprivileged_port_start defaults to 1024).</summary>
    public const int FirstUnprivilegedPort = 1024;

    /// <summary>How far a privileged port moves up: 80 → 8080, 443 → 8443.</summary>
    public const int PortShift = 8000;

    public RuleDescriptor Rule => Descriptor;

    /// <remarks>A list made at the first finding, not an iterator: the iterator's state machine was allocated for every file, and most files have no finding of this rule.</remarks>
    public IEnumerable<Finding> Analyze(RuleContext context)
    {
        List<Finding>? found = null;
        var final = context.Model.FinalStage;
        if (final is null || final.Base.Family == DistroFamily.Windows
            || RootUserRule.KeepsRoot(context, final))
        {
            return [];
        }

        var document = context.Document;
        var limit = new FindingLimit(context, Descriptor);
        Dictionary<int, List<int>>? listen = null;
        HashSet<int>? claimed = null;
        List<int>? ports = null;
        for (int i = 0; i < final.Instructions.Length; i++)
        {
            var instruction = final.Instructions[i];
            if (!instruction.Is("EXPOSE"))
            {
                continue;
            }

            // Words read in place: only one with a variable is made a string, to expand it (most EXPOSE lines name
            // unprivileged ports, and each word and its split at / was a string of its own). The ports go to one list
            // reused for every EXPOSE, copied only for a finding written in full: a list each was most of what
            // 400,000 EXPOSE lines allocated once their findings were only counted.
            (ports ??= []).Clear();
            var arguments = instruction.Arguments.AsSpan();
            foreach (var range in arguments.SplitAny(" \t"))
            {
                var word = arguments[range];
                if (word.IsEmpty)
                {
                    continue;
                }

                var expanded = word.Contains('$') ? final.ExpandAt(i, word.ToString(), document.EscapeChar).Text.AsSpan() : word;
                int slash = expanded.IndexOf('/');
                var port = slash < 0 ? expanded : expanded[..slash];
                if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is > 0 and < FirstUnprivilegedPort)
                {
                    ports.Add(number);
                }
            }

            if (ports.Count == 0)
            {
                continue;
            }

            if (limit.CountOnly(instruction.Range))
            {
                continue;
            }

            List<int> privileged = [.. ports];

            // A port moves only together with the setting that makes the application listen there (CMD/ENTRYPOINT
            // --bind 0.0.0.0:80, ENV PORT=80): an EXPOSE moved alone would make the Dockerfile lie about the port the
            // application listens on. Each port's listen lines are rewritten once, with the first EXPOSE that names it,
            // so 20,000 EXPOSE lines cannot each rewrite every ENV.
            listen ??= ListenLines(final, document);
            List<int> named = [.. privileged.Where(listen.ContainsKey)];
            List<int> unnamed = [.. privileged.Where(p => !listen.ContainsKey(p))];
            var edits = named.Count == 0 ? [] : MoveExposedPorts(document, instruction, named).ToList();
            var lines = new SortedSet<int>();
            foreach (int port in named)
            {
                if ((claimed ??= []).Add(port))
                {
                    lines.UnionWith(listen[port]);
                }
            }

            foreach (int line in lines)
            {
                string text = document.Line(line);
                string updated = MoveListenPorts(text, named);
                if (updated != text)
                {
                    edits.Add(new TextEdit(line, line, updated + document.NewLine));
                }
            }

            string list = string.Join(" ", privileged);
            string example = $"-p {privileged[0]}:{privileged[0] + PortShift}";
            string runsAs = final.FinalUser.IsRoot ? "once the image stops running as root, its user" : $"the image runs as `{final.FinalUser.Spec}`, which";
            string below = privileged.Count == 1 ? $"is a port below {FirstUnprivilegedPort}" : $"names ports below {FirstUnprivilegedPort}";
            string them = privileged.Count == 1 ? "it" : "them";
            string mapIt = $"map it outside with `docker run {example}`, a Kubernetes Service `targetPort`, or a reverse proxy.";
            // What a suggestion cannot do: for a port nothing in the Dockerfile names, where the application listens is
            // set in its code or configuration, and EXPOSE follows that change.
            string elsewhere = unnamed.Count == 0 ? "" :
                $"no `--port`, `--bind` or `PORT` setting in this Dockerfile names {(unnamed.Count == 1 ? "the port" : "the ports")}{(edits.Count == 0 ? "" : " " + string.Join(", ", unnamed))}: "
                + $"make the application listen on {Moved(unnamed)}, then change `EXPOSE` to match";
            (found ??= []).Add(new Finding(
                Descriptor,
                Descriptor.DefaultSeverity,
                instruction.Range,
                $"`EXPOSE {list}` {below}: {runsAs} cannot bind {them}.",
                edits.Count == 0 ? null : new Fix(
                    $"Listen on {Moved(named)}, in `EXPOSE` and where the image names the port; {mapIt}" + (unnamed.Count == 0 ? "" : $" But {elsewhere}."),
                    [.. edits.OrderBy(e => e.StartLine)]))
            {
                Advice = edits.Count > 0 ? null
                    : unnamed.Count > 0 ? $"{char.ToUpperInvariant(elsewhere[0])}{elsewhere[1..]}, and {mapIt}"
                    : $"Listen on {Moved(named)} where the image names the port (an earlier `EXPOSE`'s fix moves it), expose that, and {mapIt}",
            });
        }

        return (IEnumerable<Finding>?)found ?? [];
    }

    /// <summary>"8080 (from 80), 8443 (from 443)".</summary>
    private static string Moved(List<int> ports) => string.Join(", ", ports.Select(p => $"{p + PortShift} (from {p})"));

    /// <summary>The line with each listen setting of one of <paramref name="privileged"/> moved up by <see cref="PortShift"/>.</summary>
    /// <remarks>
    /// A method of its own: the replacement's lambda captures the ports, and inside the rule's loop its closure was
    /// made for every instruction of the final stage, EXPOSE or not.
    /// </remarks>
    private static string MoveListenPorts(string text, List<int> privileged) =>
        ListenPort().Replace(text, m =>
            int.TryParse(m.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && privileged.Contains(p)
                ? m.Groups["before"].Value + (p + PortShift).ToString(CultureInfo.InvariantCulture)
                : m.Value);

    /// <summary>The lines of the final stage's CMD, ENTRYPOINT and ENV that set a privileged listen port, by port.</summary>
    private static Dictionary<int, List<int>> ListenLines(Stage final, Syntax.DockerfileDocument document)
    {
        var byPort = new Dictionary<int, List<int>>();
        foreach (var other in final.Instructions.Where(x => x.Is("CMD") || x.Is("ENTRYPOINT") || x.Is("ENV")))
        {
            for (int line = other.StartLine; line <= other.EndLine; line++)
            {
                string text = document.Line(line);
                if (!MayNameListenPort(text))
                {
                    continue;
                }

                foreach (Match match in ListenPort().Matches(text))
                {
                    if (int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and < FirstUnprivilegedPort)
                    {
                        if (!byPort.TryGetValue(p, out var lines))
                        {
                            byPort[p] = lines = [];
                        }

                        if (lines.Count == 0 || lines[^1] != line)
                        {
                            lines.Add(line);
                        }
                    }
                }
            }
        }

        return byPort;
    }

    /// <summary>
    /// Whether <see cref="ListenPort"/> can match the line: each of its matches holds a ':', PORT, -port or --listen
    /// (case-sensitive, as the expression is). Most CMD, ENTRYPOINT and ENV lines hold none, and the expression was
    /// run over every one of them.
    /// </summary>
    internal static bool MayNameListenPort(ReadOnlySpan<char> line) =>
        line.Contains(':') || line.Contains("PORT", StringComparison.Ordinal) || line.Contains("-port", StringComparison.Ordinal)
        || line.Contains("--listen", StringComparison.Ordinal);

    /// <summary>The edits that move an EXPOSE's literal privileged ports (those in <paramref name="only"/>, or all) up by <see cref="PortShift"/> (80 → 8080).</summary>
    internal static IEnumerable<TextEdit> MoveExposedPorts(Syntax.DockerfileDocument document, Syntax.Instruction instruction, IReadOnlyCollection<int>? only = null)
    {
        for (int line = instruction.StartLine; line <= instruction.EndLine; line++)
        {
            string text = document.Line(line);
            string updated = LiteralPort().Replace(text, m =>
                int.TryParse(m.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and < FirstUnprivilegedPort
                    && (only is null || only.Contains(p))
                    ? (p + PortShift).ToString(CultureInfo.InvariantCulture)
                    : m.Value);
            if (updated != text)
            {
                yield return new TextEdit(line, line, updated + document.NewLine);
            }
        }
    }

    /// <summary>A listen address or port setting: <c>0.0.0.0:80</c>, <c>--port 80</c>, <c>"--port", "80"</c> (exec form), <c>PORT=80</c>.</summary>
    [GeneratedRegex(@"(?<before>(?<=(0\.0\.0\.0|\[::\]|localhost|127\.0\.0\.1|\*|[\s""'=])):|(--port|--http-port|--listen|\w*PORT)(""\s*,\s*""|[= ]""?))(?<port>\d{1,5})(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex ListenPort();

    /// <summary>A port number written as a whole word, before an optional /tcp or /udp (ranges and variables are left alone).</summary>
    [GeneratedRegex(@"(?<=(^|\s))(?<port>\d{1,5})(?=(/tcp|/udp|/sctp)?(\s|$|\\\s*$))", RegexOptions.IgnoreCase)]
    private static partial Regex LiteralPort();
}
