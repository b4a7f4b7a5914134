using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Rules;

/// <summary>RB003: the image runs as a non-root user, but COPY/ADD leave the application's files root-owned.</summary>
public sealed class CopyWithoutChownRule : IRule
{
    public static RuleDescriptor Descriptor { get; } = new(
        "RB003",
        Severity.Notice,
        "Application files are owned by root",
        "copy-without-chown",
        Why: "COPY and ADD always create files owned by root, whatever USER says. When the image runs as a non-root user, the application can read those files but not write them: logs, caches, uploads and generated files fail with \"permission denied\", and people then switch the image back to root.",
        Example: "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]",
        FixText: "Add --chown=user:group to the COPY/ADD of the application's files.");

    public RuleDescriptor Rule => Descriptor;

    public IEnumerable<Finding> Analyze(RuleContext context)
    {
        var final = context.Model.FinalStage;
        var user = final?.FinalUser;
        if (final is null || user is null || user.IsRoot || !user.IsResolved || !context.Options.Chown || final.Base.Family == DistroFamily.Windows)
        {
            yield break;
        }

        string owner = user.Group is not null || !final.CreatedGroups.ContainsKey(user.User) ? user.Spec : $"{user.User}:{user.User}";
        for (int i = 0; i < final.Instructions.Length; i++)
        {
            var instruction = final.Instructions[i];
            if (instruction.GetFlag("chown") is not null || !InstructionEdits.CopiesApplicationFiles(final, i, context.Document.EscapeChar))
            {
                continue;
            }

            string destination = InstructionEdits.Destination(instruction) ?? "";
            bool valid = SafeText.IsValidSpec(owner);
            yield return new Finding(
                Descriptor,
                Descriptor.DefaultSeverity,
                instruction.Range,
                valid
                    ? $"{instruction.Keyword} leaves {destination} owned by root while the image runs as {user.Spec}: the application cannot write there. Give the files to the user with --chown={owner}."
                    : $"{instruction.Keyword} leaves {destination} owned by root while the image runs as {user.Spec}: the application cannot write there. {user.Spec} is not a valid user[:group] name, so no fix names it: give the files to a valid user or numeric uid:gid with --chown.",
                valid ? new Fix($"Add --chown={owner}.", [InstructionEdits.SetChown(context.Document, instruction, owner)]) : null);
        }
    }
}
