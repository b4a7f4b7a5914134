using System.Globalization;
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
        Why: "A process that runs as root in a container is root on the host the moment it escapes (a kernel or runtime bug, a mounted socket, a privileged flag), and inside the container it can rewrite any file the application depends on. Running as an unprivileged user limits the damage. `USER` adds no layer and costs nothing.",
        Example: "FROM debian:bookworm-slim\nCOPY app /app\nCMD [\"/app/run\"]",
        FixText: "Create a non-root group and user the way the base image's distro does it (`groupadd` and `useradd` on Debian, Ubuntu and RHEL; `addgroup` and `adduser` on Alpine and BusyBox), or reuse the user the image already ships (`node`, `$APP_UID`, `nonroot`), or a numeric `USER` where there is no shell (scratch, distroless); give it the files it writes with `COPY --chown` (the program it only runs stays root-owned); and switch with `USER` after the last step that needs root.",
        "DL3002", "CKV_DOCKER_3", "CKV_DOCKER_8", "DS002")
    {
        Details = """
            An image that starts as root and drops to an unprivileged user when it starts gets a **notice** instead of an error, and no fix that would break it. The step-down counts only when it runs: a step-down tool must be the program of a command the container starts with, never a word in an `echo`, a comment, a file's name or another program's arguments (`RUN echo gosu`, `COPY su-exec-notes.txt /`, `ENTRYPOINT ["echo", "gosu"]` and `# gosu` all stay errors).

            Where the program is looked for: the first item of an exec-form `ENTRYPOINT` (followed by an exec-form `CMD`) or `CMD`, by the last part of its path (`/usr/local/bin/gosu`); after an init wrapper and its options (`tini --`, `dumb-init`, `catatonit`, `docker-init`, `env A=1`); after `exec`, assignments and shell keywords; the script file given to a shell (`bash -e /entrypoint.sh`); in each command of a shell-form `ENTRYPOINT`/`CMD` or `sh -c "…"`, split on `&&`, `||`, `;`, `|` and new lines, with quotes, comments and command substitutions read as the shell reads them.

            Which tools count, and with what (a tool that keeps root is no step-down, and a user written as a variable, `"$APP_USER"`, is taken for a non-root one):
            - `gosu USER COMMAND`, `su-exec USER COMMAND`, `s6-setuidgid USER COMMAND`, `setuidgid USER COMMAND`: a user that is not `root` or uid 0;
            - `setpriv` with `--reuid`, `--ruid` or `--euid` of a non-root user (`--init-groups` or `--clear-groups` alone do not change the user);
            - `chroot --userspec=USER[:GROUP]`, `chpst -u USER`;
            - `runuser -u USER` or `runuser USER`, and `su USER` (`su app -c srv`): `su -c srv` and `runuser -c srv` name no user and run as root. `su` keeps a root parent process, so prefer gosu or su-exec;
            - `sudo -u` does not count: RB005 reports sudo.

            The entrypoint script: when the image starts with a script the Dockerfile writes itself (`COPY <<EOF /entrypoint.sh`, `RUN cat > /entrypoint.sh <<EOF`, `RUN printf '…' > /entrypoint.sh`), its commands are read the same way, and a script that runs `exec "$@"` runs the `CMD` next. A script copied from the build context is read when the caller can read it: `reviewbot scan` reads it from the Dockerfile's folder (never through `..`; through a symbolic link only when its real path stays inside the tree scanned); a pull request review (the App, and `reviewbot review` in the Action) reads it at the head commit from the Dockerfile's folder, following a symbolic link inside the repository, within the review's text budget. A script that is read is the whole answer: if it never runs a step-down tool, installing one does not help. Only a script that is not there (or leads out of the tree, where no build can copy it from) is presumed to use the step-down tool the image installs; one that is there but larger than 1 MiB counts as no step-down (a review also names it in the check), so padding or linking a script does not pass.

            Images that must start as root get a **notice** and no fix at all, since a `USER` would break them:
            - **A Docker container action's image.** An `action.yml` or `action.yaml` anywhere in the repository with `runs.using: docker` and `runs.image` naming this Dockerfile (`Dockerfile`, or a path relative to the action's folder; a `docker://` image is not built from the repository). GitHub's runner starts the image as root with the workspace mounted and owned by root, and GitHub's documentation for Docker container actions says not to set `USER` (actions/checkout#956; Checkov reverted its non-root Dockerfile for this, checkov#1503). In a pull request review the `action.yml` counts only when the base commit's version names the same Dockerfile: one the pull request adds, or points at another Dockerfile, holds the fix back but leaves the error, so a pull request cannot excuse its own Dockerfile from the check. `reviewbot scan` reads the `action.yml` files of the folders it walks (an action's own folder, or a folder above its Dockerfile) and the one beside a Dockerfile named on the command line.
            - **A Docker socket user.** `/var/run/docker.sock` or `/run/docker.sock` declared as a `VOLUME`, named in the command the container starts with (`-H unix:///var/run/docker.sock`, `DOCKER_HOST=…`), or by a command of its entrypoint script (read as above; a comment does not count). The socket belongs to root or to the host's `docker` group, whose id differs from host to host.

            RB004 is not reported for an image that keeps root this way or steps down: no fix will make it non-root.

            A fix that would give the user more than 500 `COPY` lines, or hand over more than 500 folders, is not offered: nobody reviews a suggestion that size. The error stays, and its advice says what to do.

            A Dockerfile of more than 10,000 stages is read up to its 10,000th: the stage the image is built from cannot be told, so it is an error.

            When the script cannot be read (the official images' `docker-entrypoint.sh` in a pull request review), installing gosu or su-exec is taken as the evidence, because those tools do nothing else: a package manager's install of the package (`apt-get install gosu`, `apk add 'su-exec>=0.2'`), a download or copy to a file of that name (`wget -O /usr/local/bin/gosu`, `COPY --from=tianon/gosu /gosu /usr/local/bin/`), or running it while building (`gosu nobody true`). That counts only when the image starts with a script (a file the Dockerfile copies, or named `*.sh` or `*entrypoint*`), not a program such as `redis-server`. A base image whose own entrypoint steps down (postgres, redis, mysql, mongo, rabbitmq …) keeps the notice while the Dockerfile keeps that entrypoint.
            """,
    };

    public RuleDescriptor Rule => Descriptor;

    /// <remarks>
    /// Not an iterator: it reports one finding or none, and the iterator's state machine (which kept every local of the
    /// method) was allocated for every file, root or not.
    /// </remarks>
    public IEnumerable<Finding> Analyze(RuleContext context)
    {
        if (context.Model.FirstUnreadStage is { } unread)
        {
            // Hostile input is bounded, and what is not read never passes.
            return [new Finding(Descriptor, Severity.Error, unread.Range, string.Create(CultureInfo.InvariantCulture,
                $"This Dockerfile has more than {DockerfileModel.MaxStages:N0} stages; ReviewBot reads the first {DockerfileModel.MaxStages:N0}, so the stage the image is built from, and the user it runs as, cannot be told. It is treated as running as root."))];
        }

        var final = context.Model.FinalStage;
        if (final is null || !final.FinalUser.IsRoot)
        {
            return [];
        }

        var user = final.FinalUser;
        var range = user.Source?.Range ?? final.From.Range;
        if (OnPurpose(context, final) is var (why, trusted))
        {
            // Never a USER fix: it would break the image. Only a file the change did not write makes it a notice.
            return [new Finding(Descriptor, trusted ? Severity.Notice : Severity.Error, range, Describe(final, user, why))
            {
                Advice = trusted ? null : $"If root is really expected here, merge `{context.Options.RootExpected!.Source}` first: a change cannot excuse its own Dockerfile from this check.",
            }];
        }

        string stepDown = StepDown(context, final);
        if (stepDown.Length > 0)
        {
            // The official unprivileged variant where the Dockerfile only adds content; else what to do, in words.
            var variant = NonRootFix.UnprivilegedVariant(context, final);
            string howTo = variant is not null ? "" : final.Base.NonRootHowTo is { } text ? " " + text : "";
            return [new Finding(Descriptor, Severity.Notice, range,
                Describe(final, user, $" It {stepDown}, so the application itself should not run as root; but PID 1 and the entrypoint still start as root. Keep the step-down, or run as a non-root user from the start if the image supports it.{howTo}"),
                variant)];
        }

        var fix = NonRootFix.Build(context, final, user, out string? tooLarge);
        return [new Finding(Descriptor, Severity.Error, range, Describe(final, user, ""), fix)
        {
            Advice = fix is null ? $"Create an unprivileged user (or use a numeric uid), give it the files the application writes with `COPY --chown`, and switch to it with `USER` after the last step that needs root (no fix is offered: it would {tooLarge})." : null,
        }];
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
                return $"no `USER` is set, and `{image}` defaults to the administrator account `{user.User}`.{then}";
            }

            // Facts, not guesses: an image nothing declares, reads or lists is said to be unknown, not to run as root.
            return final.Base.IsKnown
                ? $"no `USER` in the final stage or the stages it builds on, and `{image}` runs as root by default.{then}"
                : $"no `USER` in the final stage or the stages it builds on, and {Unknown(final)}{then}";
        }

        string written = user.Source!.Arguments.Trim();
        if (user.User is "root" || !user.User.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return written == user.Spec
                ? $"`USER {written}` makes the image run as root (uid 0).{then}"
                : $"`USER {written}` resolves to `{user.Spec}`, so the image runs as root (uid 0).{then}";
        }

        if (user.User.Equals("ContainerAdministrator", StringComparison.OrdinalIgnoreCase))
        {
            return $"`USER {written}` runs the image as the Windows administrator account.{then}";
        }

        return $"`USER {written}` runs as uid 0: `{user.User}` is created with uid 0, which is root under another name.{then}";
    }

    /// <summary>
    /// What is said of a base image nothing is known about: that it is unknown, what follows from that, and how to
    /// tell ReviewBot (a sentence, ending with a full stop).
    /// </summary>
    internal static string Unknown(Stage final) => final.RootImage is { } image
        ? $"ReviewBot has no data for `{image}`: it runs as root unless it sets `USER`; declare it under `images:` in the config or let ReviewBot read its registry."
        : $"ReviewBot cannot tell which image `{final.Image.Text}` names (the name depends on a variable): it runs as root unless that image sets `USER`.";

    /// <summary>
    /// Why the image starts as root on purpose and no USER fix may be offered (a sentence after the description, starting
    /// with a space), and whether a file the change did not write says so; null when nothing does. The Dockerfile's own
    /// Docker socket comes first: the author of the file under review cannot use it to excuse anything else.
    /// </summary>
    internal static (string Why, bool Trusted)? OnPurpose(RuleContext context, Stage final)
    {
        string socket = final.DockerSocket ??= DockerSocket.Find(final, context.Options.ReadContextFile);
        if (socket.Length > 0)
        {
            return ($" It {socket}. {SocketTail}", true);
        }

        return context.Options.RootExpected switch
        {
            { Reason: RootExpectedReason.DockerAction, Trusted: true } action =>
                ($" It is the image of the Docker container action `{action.Source}`: GitHub's runner starts it as root with the workspace mounted and owned by root, and GitHub's documentation for Docker container actions says not to set `USER` (see actions/checkout#956), so root is expected here and no fix switches the user.", true),
            { Reason: RootExpectedReason.DockerAction } action =>
                ($" `{action.Source}`, which this change adds or rewrites, makes it the image of a Docker container action, which GitHub starts as root: no fix switches the user, but an `action.yml` counts only once it is on the base branch, so this stays an error.", false),
            { } mount => ($" `{mount.Source}` mounts the Docker socket into it, so it talks to the host's Docker daemon. {SocketTail}", mount.Trusted),
            null => null,
        };
    }

    private const string SocketTail = "The socket belongs to root (or to the host's `docker` group, whose id differs from host to host), so root is expected here and no fix switches the user; a non-root user needs that group (`--group-add`) or a rootless daemon.";

    /// <summary>Whether a root image keeps root on purpose (it steps down at run time, or must start as root): no fix will make it non-root.</summary>
    internal static bool KeepsRoot(RuleContext context, Stage final) =>
        final.FinalUser.IsRoot && (StepDown(context, final).Length > 0 || OnPurpose(context, final) is not null);

    /// <summary>How the image drops root at run time, or "" when it does not (see <see cref="Rules.StepDown"/>).</summary>
    /// <remarks>Worked out once per model: RB004 asks too, for every image that runs as root.</remarks>
    internal static string StepDown(RuleContext context, Stage final) =>
        final.StepDown ??= Rules.StepDown.Find(final, context.Options.ReadContextFile);
}
