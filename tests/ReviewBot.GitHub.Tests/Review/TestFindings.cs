using System.Collections.Immutable;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Rules;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.GitHub.Tests.Review;

/// <summary>Findings built by hand, so the planner is tested apart from the rules.</summary>
internal static class TestFindings
{
    public static readonly RuleDescriptor RootUser = new(
        "RB001", Severity.Error, "Container runs as root", "root-user",
        "A process running as root in a container is root on the host if it escapes. Most images need no root at run time. Switching user closes that door.",
        "FROM debian\nCMD [\"x\"]", "Creates a user and switches to it.");

    public static readonly RuleDescriptor CopyWithoutChown = new(
        "RB003", Severity.Notice, "Application files owned by root", "copy-without-chown",
        "Files copied without --chown belong to root.", "COPY app /app", "Adds --chown.");

    public static readonly RuleDescriptor Sudo = new(
        "RB005", Severity.Warning, "sudo in an image", "sudo", "sudo gives root back.", "RUN sudo x", "Removes sudo.");

    public static Finding Finding(RuleDescriptor rule, int start, int end, string message, params TextEdit[] edits) =>
        new(rule, rule.DefaultSeverity, new LineRange(start, end), message, edits.Length == 0 ? null : new Fix("Create a non-root user and switch to it.", [.. edits]));

    public static AnalysisResult Result(string text, params Finding[] findings) =>
        new(DockerfileDocument.Parse(text), [.. findings]);
}
