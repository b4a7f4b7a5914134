using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Rules;

/// <summary>RB006: the final USER depends on a variable whose value cannot be known.</summary>
public sealed class UnresolvedUserRule : IRule
{
    public static RuleDescriptor Descriptor { get; } = new(
        "RB006",
        Severity.Notice,
        "USER depends on an unknown value",
        "unresolved-user",
        Why: "When `USER` comes from a build argument with no default, the user the image runs as is decided outside the Dockerfile. Left empty, or set to 0, the image runs as root, and nothing in the repository shows it.",
        Example: "FROM debian:bookworm-slim\nARG APP_USER\nUSER $APP_USER",
        FixText: "Give the argument a non-root default (`ARG APP_USER=10001`) so the image is non-root unless someone deliberately says otherwise.");

    public RuleDescriptor Rule => Descriptor;

    /// <remarks>Not an iterator: one finding or none, and its state machine was allocated for every file.</remarks>
    public IEnumerable<Finding> Analyze(RuleContext context)
    {
        var final = context.Model.FinalStage;
        var user = final?.FinalUser;
        if (final is null || user is null || user.IsResolved || user.Source is null)
        {
            return [];
        }

        string names = string.Join(", ", user.Unresolved.Distinct());
        if (user.OverBudget)
        {
            // The value is decided by the Dockerfile itself, but past what we agree to compute: the gate cannot
            // tell whether the image runs as root, and in doubt it fails.
            return [new Finding(
                Descriptor,
                Severity.Error,
                user.Source.Range,
                $"USER depends on {names}, whose value grows past what ReviewBot expands: the user this image runs as cannot be told, so it is treated as a failure. Set USER to a plain name or uid.")];
        }

        return [new Finding(
            Descriptor,
            Descriptor.DefaultSeverity,
            user.Source.Range,
            $"USER {user.Source.Arguments.Trim()} depends on {names}, whose value is not known in this Dockerfile: if it is empty or 0 at build time, the image runs as root. Give it a non-root default.",
            DefaultFor(context, final, user.Unresolved[0]))];
    }

    /// <summary>Turns a bare <c>ARG NAME</c> in the final stage into <c>ARG NAME=uid</c>.</summary>
    private static Fix? DefaultFor(RuleContext context, Stage final, string name)
    {
        var arg = final.Instructions.LastOrDefault(i => i.Is("ARG") && i.Arguments.Trim() == name && i.StartLine == i.EndLine);
        if (arg is null)
        {
            return null;
        }

        string line = context.Document.Line(arg.StartLine);
        int at = line.LastIndexOf(name, StringComparison.Ordinal) + name.Length;
        string updated = line[..at] + "=" + context.Options.Uid + line[at..];
        return new Fix($"Default {name} to the non-root uid {context.Options.Uid}.", [new TextEdit(arg.StartLine, arg.StartLine, updated + context.Document.NewLine)]);
    }
}
