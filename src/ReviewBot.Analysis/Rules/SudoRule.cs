using System.Text.RegularExpressions;
using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Rules;

/// <summary>RB005: the image installs or calls sudo.</summary>
public sealed partial class SudoRule : IRule
{
    public static RuleDescriptor Descriptor { get; } = new(
        "RB005",
        Severity.Warning,
        "sudo in the image",
        "sudo",
        Why: "`sudo` in a container gives any process that gets in a way back to root, and it is never needed at build time: `RUN` already runs as root until `USER` switches away. It also behaves unpredictably without a TTY and a PAM setup.",
        Example: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y sudo",
        FixText: "Do the privileged steps before `USER` switches to the non-root user, and do not install `sudo`. Where a step really must change user at run time, use `gosu` or `su-exec`.",
        "DL3004");

    public RuleDescriptor Rule => Descriptor;

    /// <remarks>A list made at the first finding, not an iterator: the iterator's state machine was allocated for every file, and most files have no finding of this rule.</remarks>
    public IEnumerable<Finding> Analyze(RuleContext context)
    {
        List<Finding>? found = null;
        bool? callsAnywhere = null;
        var document = context.Document;
        var limit = new FindingLimit(context, Descriptor);
        foreach (var stage in context.Model.Stages)
        {
            for (int i = 0; i < stage.Instructions.Length; i++)
            {
                var instruction = stage.Instructions[i];
                if (!instruction.Is("RUN") && !(ReferenceEquals(stage, context.Model.FinalStage) && (instruction.Is("CMD") || instruction.Is("ENTRYPOINT"))))
                {
                    continue;
                }

                // Asked of each part before the text is joined: most RUNs never name sudo, and a RUN with heredocs
                // made a joined copy of its bodies for nothing.
                if (!DockerfileModel.ShellTextContains(instruction, "sudo"))
                {
                    continue;
                }

                string shell = DockerfileModel.ShellText(instruction);

                bool installs = InstallsSudo().IsMatch(shell);
                bool calls = CallsSudo().IsMatch(shell);
                if (!installs && !calls)
                {
                    continue;
                }

                if (limit.CountOnly(instruction.Range))
                {
                    continue;
                }

                Fix? fix = null;
                if (calls && !installs && instruction.Is("RUN") && stage.UserBefore(i).IsRoot && instruction.Heredocs.IsEmpty)
                {
                    // Already root here: sudo only adds a dependency.
                    var edits = new List<TextEdit>();
                    for (int line = instruction.StartLine; line <= instruction.EndLine; line++)
                    {
                        string text = document.Line(line);
                        string updated = PlainSudoPrefix().Replace(text, "");
                        if (updated != text)
                        {
                            edits.Add(new TextEdit(line, line, updated + document.NewLine));
                        }
                    }

                    fix = edits.Count > 0 ? new Fix("Drop `sudo`: this step already runs as root.", [.. edits]) : null;
                }
                else if (installs && !calls && instruction.Is("RUN") && instruction.Heredocs.IsEmpty && !(callsAnywhere ??= CallsAnywhere(context)))
                {
                    fix = DropFromInstall(document, instruction);
                }

                string what = installs ? "installs `sudo`" : "calls `sudo`";
                (found ??= []).Add(new Finding(
                    Descriptor,
                    Descriptor.DefaultSeverity,
                    instruction.Range,
                    $"this `{instruction.Keyword}` {what}, which gives any process in the container a way back to root.",
                    fix)
                {
                    Advice = fix is null ? "Build steps already run as root until `USER` switches away: do the privileged work there and drop `sudo`." : null,
                });
            }
        }

        return (IEnumerable<Finding>?)found ?? [];
    }

    /// <summary>Whether any instruction runs sudo: then the install is what it needs, and no fix takes it away.</summary>
    private static bool CallsAnywhere(RuleContext context) =>
        context.Model.Stages.Any(stage => stage.Instructions.Any(i => (i.Is("RUN") || i.Is("CMD") || i.Is("ENTRYPOINT")) && DockerfileModel.ShellTextContains(i, "sudo") && CallsSudo().IsMatch(DockerfileModel.ShellText(i))));

    /// <summary>
    /// The install lines without <c>sudo</c> among their packages, where each such line still installs another package
    /// after it (an install of nothing fails on some package managers); null when that is not so on every such line.
    /// </summary>
    private static Fix? DropFromInstall(Syntax.DockerfileDocument document, Syntax.Instruction instruction)
    {
        var edits = new List<TextEdit>();
        for (int line = instruction.StartLine; line <= instruction.EndLine; line++)
        {
            string text = document.Line(line);
            string updated = SudoPackage().Replace(text, "${head}");
            if (updated == text)
            {
                continue;
            }

            if (!InstallsSomething().IsMatch(updated) || CallsSudo().IsMatch(updated) || updated.Contains("sudo", StringComparison.Ordinal))
            {
                return null;
            }

            edits.Add(new TextEdit(line, line, updated + document.NewLine));
        }

        return edits.Count == 0 ? null : new Fix("Do not install `sudo`: build steps already run as root.", [.. edits]);
    }

    /// <summary>The word <c>sudo</c> in the package list of an install command on one line, with the blank before it.</summary>
    [GeneratedRegex(@"(?<head>\b(apt-get|apt|apk|yum|dnf|microdnf|zypper|tdnf|pacman)\b[^;&|\n]*?\b(install|add|-S)\b[^;&|\n]*?)[ \t]+sudo(?![\w.=<>~*-])")]
    private static partial Regex SudoPackage();

    /// <summary>An install command followed by at least one word that is not an option: a package.</summary>
    [GeneratedRegex(@"\b(install|add|-S)\b([ \t]+-\S+)*[ \t]+[^\s\\`&|;-]")]
    private static partial Regex InstallsSomething();

    /// <summary>A package manager's install command with sudo among its packages.</summary>
    [GeneratedRegex(@"\b(apt-get|apt|apk|yum|dnf|microdnf|zypper|tdnf|pacman)\b[^;&|\n]*?\b(install|add|-S)\b[^;&|\n]*?(?<![\w.-])sudo(?![\w.-])")]
    private static partial Regex InstallsSudo();

    /// <summary>sudo in command position: at the start or after a command separator.</summary>
    [GeneratedRegex(@"(^|[;&|(\n]|&&|\|\|)\s*sudo\s")]
    private static partial Regex CallsSudo();

    /// <summary>A <c>sudo </c> prefix with no options of its own (which would change its meaning).</summary>
    [GeneratedRegex(@"(?<=(^|[;&|(]|&&|\|\||^\s*RUN)\s*)sudo\s+(?=[^-\s])", RegexOptions.IgnoreCase)]
    private static partial Regex PlainSudoPrefix();
}
