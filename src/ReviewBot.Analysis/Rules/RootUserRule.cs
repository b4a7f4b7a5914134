using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Rules;

/// <summary>RB001: the image that runs (the last stage) runs as root.</summary>
public sealed class RootUserRule : IRule
{
    public static RuleDescriptor Descriptor { get; } = new(
        "RB001",
        Severity.Error,
        "Container runs as root",
        "root-user",
        Why: "A process that runs as root in a container is root on the host the moment it escapes (a kernel or runtime bug, a mounted socket, a privileged flag), and inside the container it can rewrite any file the application depends on. Running as an unprivileged user limits the damage. USER adds no layer and costs nothing.",
        Example: "FROM debian:bookworm-slim\nCOPY app /app\nCMD [\"/app/run\"]",
        FixText: "Create a non-root group and user the way the base image's distro does it (groupadd/useradd on Debian, Ubuntu and RHEL; addgroup/adduser on Alpine and BusyBox), or reuse the user the image already ships (node, $APP_UID, nonroot), or a numeric USER where there is no shell (scratch, distroless); give it the application files with COPY --chown; and switch with USER after the last step that needs root.",
        "DL3002", "CKV_DOCKER_3", "CKV_DOCKER_8", "DS002");

    /// <summary>Programs that drop from root to another user when the container starts.</summary>
    private static readonly string[] StepDownTools = ["gosu", "su-exec", "setpriv", "runuser", "chpst", "s6-setuidgid", "setuidgid"];


    public RuleDescriptor Rule => Descriptor;

    /// <remarks>
    /// Not an iterator: it reports one finding or none, and the iterator's state machine (which kept every local of the
    /// method) was allocated for every file, root or not.
    /// </remarks>
    public IEnumerable<Finding> Analyze(RuleContext context)
    {
        var final = context.Model.FinalStage;
        if (final is null || !final.FinalUser.IsRoot)
        {
            return [];
        }

        var user = final.FinalUser;
        var range = user.Source?.Range ?? final.From.Range;
        string stepDown = StepDown(final);
        if (stepDown.Length > 0)
        {
            // The official unprivileged variant where the Dockerfile only adds content; else what to do, in words.
            var variant = NonRootFix.UnprivilegedVariant(context, final);
            string howTo = variant is not null ? "" : final.Base.NonRootHowTo is { } text ? " " + text : "";
            return [new Finding(Descriptor, Severity.Notice, range,
                Describe(final, user, $" It {stepDown}, so the application itself should not run as root; but PID 1 and the entrypoint still start as root. Keep the step-down, or run as a non-root user from the start if the image supports it.{howTo}"),
                variant)];
        }

        var fix = NonRootFix.Build(context, final, user);
        return [new Finding(Descriptor, Severity.Error, range, Describe(final, user, " A process that escapes the container as root is root on the host."), fix)];
    }

    /// <summary>What makes the image run as root, followed by <paramref name="then"/>.</summary>
    /// <remarks>The rest of the message is written into the same string: the description alone was a string for every root image.</remarks>
    private static string Describe(Stage final, EffectiveUser user, string then)
    {
        if (user.Origin == UserOrigin.BaseImage)
        {
            string image = final.RootImage?.ToString() ?? final.Image.Text;
            if (final.Base.Family == DistroFamily.Windows)
            {
                return $"The image runs as {user.User}: no USER is set, and {image} defaults to the administrator account.{then}";
            }

            // Facts, not guesses: an image nothing declares, reads or lists is said to be unknown, not to run as root.
            return final.Base.IsKnown
                ? $"The image runs as root: no USER is set in the final stage or the stages it builds on, and {image} runs as root by default.{then}"
                : $"No USER is set in the final stage or the stages it builds on, and {Unknown(final)}{then}";
        }

        string written = user.Source!.Arguments.Trim();
        if (user.User is "root" || user.User.All(char.IsAsciiDigit))
        {
            return written == user.Spec
                ? $"USER {written} makes the image run as root (uid 0).{then}"
                : $"USER {written} resolves to {user.Spec}, so the image runs as root (uid 0).{then}";
        }

        if (user.User.Equals("ContainerAdministrator", StringComparison.OrdinalIgnoreCase))
        {
            return $"USER {written} runs the image as the Windows administrator account.{then}";
        }

        return $"USER {written} runs as uid 0: {user.User} is created with uid 0, which is root under another name.{then}";
    }

    /// <summary>
    /// What is said of a base image nothing is known about: that it is unknown, what follows from that, and how to
    /// tell ReviewBot (a sentence, ending with a full stop).
    /// </summary>
    internal static string Unknown(Stage final) => final.RootImage is { } image
        ? $"ReviewBot has no data for {image}: it runs as root unless it sets USER; declare it under images: in the config or let ReviewBot read its registry."
        : $"ReviewBot cannot tell which image {final.Image.Text} names (the name depends on a variable): it runs as root unless that image sets USER.";

    /// <summary>How the image drops root at run time, or "" when it does not.</summary>
    /// <remarks>Worked out once per model: RB004 asks too, for every image that runs as root.</remarks>
    internal static string StepDown(Stage final) => final.StepDown ??= FindStepDown(final);

    private static string FindStepDown(Stage final)
    {
        // The last ENTRYPOINT and CMD of the chain, nearest stage first; read backwards in place (this runs for every
        // image that runs as root, which is most of them).
        Instruction? entrypointInstruction = null;
        Instruction? cmdInstruction = null;
        foreach (var stage in final.Chain())
        {
            var instructions = stage.Instructions;
            for (int i = instructions.Length - 1; i >= 0; i--)
            {
                var instruction = instructions[i];
                if (entrypointInstruction is null && instruction.Is("ENTRYPOINT"))
                {
                    entrypointInstruction = instruction;
                }
                else if (cmdInstruction is null && instruction.Is("CMD"))
                {
                    cmdInstruction = instruction;
                }
            }
        }

        // The first tool (in the list's order) either names. Their words are searched in place: no tool name holds a
        // space, so a search of ENTRYPOINT and CMD joined with spaces finds what a search of each word finds, and the
        // joined strings were made for every image that runs as root.
        foreach (var tool in StepDownTools)
        {
            if (Contains(entrypointInstruction, tool, StringComparison.Ordinal) || Contains(cmdInstruction, tool, StringComparison.Ordinal))
            {
                return $"drops root with {tool} when it starts";
            }
        }

        // Searched last, and only then: every RUN's script for seven names is most of this method's work.
        if (entrypointInstruction is not null && InstallsStepDownTool(final))
        {
            return "installs a step-down tool (gosu, su-exec …) that its entrypoint presumably uses to drop root";
        }

        // The base's own entrypoint steps down unless this Dockerfile replaces it.
        bool keepsBaseEntrypoint = entrypointInstruction is null || Contains(entrypointInstruction, "entrypoint", StringComparison.OrdinalIgnoreCase);
        return final.Base.StepsDownAtRuntime && keepsBaseEntrypoint
            ? $"uses the start-up of {final.RootImage?.Repository}, which begins as root and switches to an unprivileged user"
            : "";
    }

    private static bool InstallsStepDownTool(Stage final)
    {
        foreach (var stage in final.Chain())
        {
            foreach (var instruction in stage.Instructions)
            {
                if ((instruction.Is("RUN") || instruction.Is("COPY") || instruction.Is("ADD")) && UserCommands.ContainsAny(instruction.Arguments, StepDownTools))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether the instruction's words (its arguments, or its exec-form items) contain <paramref name="word"/>, which holds no space.</summary>
    private static bool Contains(Instruction? instruction, string word, StringComparison comparison)
    {
        if (instruction is null)
        {
            return false;
        }

        if (!instruction.IsJsonForm)
        {
            return instruction.Arguments.Contains(word, comparison);
        }

        foreach (var item in instruction.JsonArguments)
        {
            if (item.Contains(word, comparison))
            {
                return true;
            }
        }

        return false;
    }
}
