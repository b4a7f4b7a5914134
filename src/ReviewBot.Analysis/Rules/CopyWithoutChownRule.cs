using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Rules;

/// <summary>
/// RB003: the image runs as a non-root user, but the application's files end up root-owned where it may write.
/// Build inputs (dependency manifests copied for an install) and copies a later COPY --chown lays over are not.
/// </summary>
public sealed class CopyWithoutChownRule : IRule
{
    public static RuleDescriptor Descriptor { get; } = new(
        "RB003",
        Severity.Notice,
        "Application files are owned by root",
        "copy-without-chown",
        Why: "`COPY` and `ADD` always create files owned by root, whatever `USER` says. When the image runs as a non-root user, the application can read those files but not write them: logs, caches, uploads and generated files fail with \"permission denied\", and people then switch the image back to root. Not reported: files copied only for a build step (a `requirements.txt` or `package.json` before the install), files a later `COPY --chown` copies over the same place, and code the process runs but never writes (build output `COPY --from` another stage, entrypoint scripts, the one file its `ENTRYPOINT` or `CMD` runs): root-owned code is what a compromised process cannot rewrite.",
        Example: "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]",
        FixText: "Add `--chown=user:group` to the `COPY` or `ADD` of the application's files, once the user exists: a `COPY` before the user is created cannot name it, so give the files to the user on a `COPY` after its creation (or create the user earlier).");

    public RuleDescriptor Rule => Descriptor;

    /// <remarks>A list made at the first finding, not an iterator: the iterator's state machine was allocated for every file, and most files have no finding of this rule.</remarks>
    public IEnumerable<Finding> Analyze(RuleContext context)
    {
        List<Finding>? found = null;
        var final = context.Model.FinalStage;
        var user = final?.FinalUser;
        if (final is null || user is null || user.IsRoot || !user.IsResolved || !context.Options.Chown || final.Base.Family == DistroFamily.Windows)
        {
            return [];
        }

        char escape = context.Document.EscapeChar;
        string owner = user.Group is not null || !final.CreatedGroups.ContainsKey(user.User) ? user.Spec : $"{user.User}:{user.User}";
        // OpenShift runs an arbitrary uid in group 0: the group is what lets it write (fix.openshift).
        owner = context.Options.OpenShift ? DockerfileModel.SplitSpec(owner).User + ":0" : owner;
        var (ownerUser, ownerGroup) = DockerfileModel.SplitSpec(owner);
        var limit = new FindingLimit(context, Descriptor);
        for (int i = 0; i < final.Instructions.Length; i++)
        {
            var instruction = final.Instructions[i];
            if (instruction.GetFlag("chown") is not null || !InstructionEdits.CopiesApplicationFiles(final, i, escape)
                || ApplicationFiles.IsBuildInput(final, i) || ApplicationFiles.IsCodeOnly(final, i) || ApplicationFiles.IsProgram(final, i, escape)
                || ApplicationFiles.CoveredBy(final, i, escape) is not null)
            {
                continue;
            }

            if (limit.CountOnly(instruction.Range))
            {
                continue;
            }

            string destination = InstructionEdits.Destination(instruction) ?? "";
            string problem = $"{instruction.Keyword} leaves {destination} owned by root while the image runs as {user.Spec}: the application cannot write there.";
            if (!SafeText.IsValidSpec(owner))
            {
                (found ??= []).Add(new Finding(Descriptor, Descriptor.DefaultSeverity, instruction.Range,
                    $"{problem} {user.Spec} is not a valid user[:group] name, so no fix names it: give the files to a valid user or numeric uid:gid with --chown."));
                continue;
            }

            // --chown resolves names in the image as it is at this line: a user created later does not exist yet.
            int? createdAt = ApplicationFiles.CreatedAfter(final, i, ownerUser, isGroup: false)
                ?? (ownerGroup is null ? null : ApplicationFiles.CreatedAfter(final, i, ownerGroup, isGroup: true));
            if (createdAt is { } at)
            {
                (found ??= []).Add(new Finding(Descriptor, Descriptor.DefaultSeverity, instruction.Range,
                    $"{problem} --chown={owner} cannot go here: the user is created only at line {final.Instructions[at].StartLine}. Copy the files the application writes after that line with --chown={owner}, or create the user before this {instruction.Keyword}."));
                continue;
            }

            (found ??= []).Add(new Finding(Descriptor, Descriptor.DefaultSeverity, instruction.Range,
                $"{problem} Give the files to the user with --chown={owner}.",
                new Fix($"Add --chown={owner}.", [InstructionEdits.SetChown(context.Document, instruction, owner)])));
        }

        return (IEnumerable<Finding>?)found ?? [];
    }
}
