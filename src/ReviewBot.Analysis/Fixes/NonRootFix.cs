using System.Collections.Immutable;
using System.Globalization;
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
internal static class NonRootFix
{
    /// <summary>The uid/gid distroless and Chainguard images reserve for their <c>nonroot</c> user.</summary>
    public const int NonRootUid = 65532;

    private static readonly HashSet<string> RuntimeOnly = new(StringComparer.Ordinal) { "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL" };

    /// <summary>Who the image will run as after the fix.</summary>
    internal sealed record Plan(string User, string? Owner, string? Prepare, string How);

    public static Fix Build(RuleContext context, Stage final, EffectiveUser current)
    {
        var document = context.Document;
        var plan = Choose(context, final);
        var instructions = final.Instructions;
        var edits = ImmutableArray.CreateBuilder<TextEdit>();

        // 1. Application files become the new user's.
        int firstChowned = -1;
        if (plan.Owner is not null && context.Options.Chown)
        {
            for (int i = 0; i < instructions.Length; i++)
            {
                if (!InstructionEdits.CopiesApplicationFiles(final, i, document.EscapeChar))
                {
                    continue;
                }

                string? owner = InstructionEdits.Owner(final, i, document.EscapeChar);
                if (owner is null || DockerfileModel.IsRootName(DockerfileModel.SplitSpec(owner).User, final.CreatedUsers))
                {
                    edits.Add(InstructionEdits.SetChown(document, instructions[i], plan.Owner));
                    firstChowned = firstChowned < 0 ? i : firstChowned;
                }
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
        int userIndex = replaceRootUser ? rootUserIndex : Enumerable.Range(lastRun + 1, instructions.Length - lastRun - 1)
            .FirstOrDefault(i => RuntimeOnly.Contains(instructions[i].Keyword), instructions.Length);

        // 3. The user's creation (and its working folder) must come before the first COPY that names it.
        int prepareIndex = firstChowned >= 0 && firstChowned < userIndex ? firstChowned : userIndex;
        string indent = IndentAt(final, userIndex);
        string userLine = InstructionEdits.NewLine(document, indent, "USER " + plan.User);
        string prepareText = "";
        if (plan.Prepare is not null)
        {
            bool rootThere = prepareIndex >= instructions.Length ? current.IsRoot : final.UserBefore(prepareIndex).IsRoot;
            string prepareIndent = IndentAt(final, prepareIndex);
            prepareText = (rootThere ? "" : InstructionEdits.NewLine(document, prepareIndent, "USER root"))
                + InstructionEdits.NewLine(document, prepareIndent, "RUN " + plan.Prepare);
        }

        if (replaceRootUser)
        {
            var rootUser = instructions[rootUserIndex];
            edits.Add(new TextEdit(rootUser.StartLine, rootUser.EndLine, (prepareIndex == userIndex ? prepareText : "") + userLine));
        }
        else
        {
            int line = userIndex < instructions.Length ? instructions[userIndex].StartLine : final.EndLine + 1;
            edits.Add(InstructionEdits.InsertBefore(line, (prepareIndex == userIndex ? prepareText : "") + userLine));
        }

        if (prepareIndex != userIndex && prepareText.Length > 0)
        {
            edits.Add(InstructionEdits.InsertBefore(instructions[prepareIndex].StartLine, prepareText));
        }

        return new Fix(plan.How, edits.ToImmutable());
    }

    internal static Plan Choose(RuleContext context, Stage final)
    {
        var options = context.Options;
        var info = final.Base;
        string? workdir = WorkdirToOwn(context, final);

        if (info.Family == DistroFamily.Windows)
        {
            return new Plan("ContainerUser", null, null, "Run as ContainerUser, the unprivileged account Windows images ship.");
        }

        // A non-root user the Dockerfile already creates: just switch to it.
        var created = final.CreatedUsers.Values
            .Where(u => u.Uid != 0 && !DockerfileModel.IsRootName(u.Name, final.CreatedUsers))
            .OrderBy(u => u.Source.StartLine)
            .LastOrDefault();
        if (created is not null)
        {
            string owner = final.CreatedGroups.ContainsKey(created.Name) ? $"{created.Name}:{created.Name}" : created.Name;
            string user = options.Numeric && created.Uid is { } uid ? Numeric(uid, final.CreatedGroups.TryGetValue(created.Name, out var g) ? g.Uid ?? uid : uid) : created.Name;
            return new Plan(user, owner, Workdir(workdir, owner, info), $"Switch to {created.Name}, the user this Dockerfile already creates, and give it the application files.");
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
            return new Plan(user, owner, Workdir(workdir, owner, info), $"Run as {shipped.UserText}, the non-root user {Describe(final)} already ships, and give it the application files.");
        }

        if (!info.HasShell || info.UserTools == UserTools.None || info.Family is DistroFamily.Scratch or DistroFamily.Distroless)
        {
            // Scratch and distroless reserve 65532 for non-root; elsewhere the configured ids.
            bool reserved = info.Family is DistroFamily.Scratch or DistroFamily.Distroless or DistroFamily.Wolfi;
            string spec = Numeric(Free(info, reserved ? NonRootUid : options.Uid), Free(info, reserved ? NonRootUid : options.Gid));
            string why = info.HasShell ? "has no user-creation tools we can count on" : "has no shell to create a user in";
            return new Plan(spec, spec, Workdir(workdir, spec, info), $"Run as the numeric user {spec}: {Describe(final)} {why}, and a numeric USER needs no /etc/passwd entry.");
        }

        int chosenUid = Free(info, options.Uid);
        int chosenGid = Free(info, options.Gid);
        string userName = options.UserName;
        string groupName = options.GroupName;
        string create = info.UserTools == UserTools.BusyBox
            ? options.Numeric
                ? $"addgroup -S -g {chosenGid} {groupName} && adduser -S -u {chosenUid} -G {groupName} -H -D {userName}"
                : $"addgroup -S {groupName} && adduser -S -G {groupName} -H -D {userName}"
            : options.Numeric
                ? $"groupadd -r -g {chosenGid} {groupName} && useradd -r -u {chosenUid} -g {groupName} --no-create-home {userName}"
                : $"groupadd -r {groupName} && useradd -r -g {groupName} --no-create-home {userName}";
        string ownerSpec = $"{userName}:{groupName}";
        string prepare = workdir is null ? create : $"{create} && mkdir -p {workdir} && chown {ownerSpec} {workdir}";
        string tools = info.UserTools == UserTools.BusyBox ? "addgroup/adduser" : "groupadd/useradd";
        string how = options.Numeric
            ? $"Create the system group {groupName} and user {userName} with {tools} (as {Describe(final)} does it) and fixed ids, and run as {Numeric(chosenUid, chosenGid)}: a numeric USER lets Kubernetes runAsNonRoot verify the user."
            : $"Create the system group {groupName} and user {userName} with {tools} (as {Describe(final)} does it), give it the application files, and run as it.";
        return new Plan(options.Numeric ? Numeric(chosenUid, chosenGid) : userName, ownerSpec, prepare, how);
    }

    /// <summary>The final WORKDIR, when it is an application folder the new user should own.</summary>
    private static string? WorkdirToOwn(RuleContext context, Stage final)
    {
        foreach (var stage in final.Chain())
        {
            for (int i = stage.Instructions.Length - 1; i >= 0; i--)
            {
                if (stage.Instructions[i].Is("WORKDIR"))
                {
                    var path = stage.ExpandAt(i, stage.Instructions[i].Arguments.Trim().Trim('"', '\''), context.Document.EscapeChar);
                    return path.IsResolved && path.Text.StartsWith('/') && path.Text.Length > 1 && !path.Text.Contains(' ')
                        && !InstructionEditsIsSystem(path.Text) ? path.Text : null;
                }
            }
        }

        return null;
    }

    private static bool InstructionEditsIsSystem(string path) =>
        path is "/usr" or "/etc" or "/bin" or "/sbin" or "/lib" or "/root" || path.StartsWith("/usr/", StringComparison.Ordinal) || path.StartsWith("/etc/", StringComparison.Ordinal);

    private static string? Workdir(string? workdir, string owner, BaseImageInfo info) =>
        workdir is null || !info.HasShell ? null : $"mkdir -p {workdir} && chown {owner} {workdir}";

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
        final.RootImage is null ? "the base image" : final.RootImage.FullName + (final.RootImage.Tag is null ? "" : ":" + final.RootImage.Tag);

    private static string IndentAt(Stage final, int index) =>
        index < final.Instructions.Length ? final.Instructions[index].Indent : final.Instructions.IsEmpty ? final.From.Indent : final.Instructions[^1].Indent;
}
