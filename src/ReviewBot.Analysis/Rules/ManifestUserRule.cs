using System.Globalization;
using System.Text.RegularExpressions;
using ReviewBot.Analysis.Manifests;
using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Rules;

/// <summary>
/// RB008: a Compose file, Kubernetes manifest or Helm values runs a container as root, or as a user its Dockerfile does
/// not build it for. Judged on the manifest's lines (<see cref="ManifestAnalyzer"/>), not on a Dockerfile's.
/// </summary>
public static partial class ManifestUserRule
{
    public static RuleDescriptor Descriptor { get; } = new(
        "RB008",
        Severity.Error,
        "Manifest and Dockerfile disagree on the user",
        "manifest-user",
        Why: "The user a container runs as is decided last by what runs it. `runAsUser: 0`, `privileged: true` or Compose's `user: root` run it as root whatever the Dockerfile's `USER` says, and no Dockerfile linter sees them. A `runAsUser` other than the image's own uid leaves every file the image gave its user unwritable (permission denied at run time, never at build time), and Kubernetes' `runAsNonRoot: true` cannot verify a `USER` given by name: the pod does not start.",
        Example: "# compose.yaml\nservices:\n  web:\n    build: .\n    user: root",
        FixText: "Remove the setting that runs the container as root. Where the repository builds the image (Compose `build:`, or `built_images` in `.github/reviewbot.yml`), set `runAsUser`/`user` to the Dockerfile's numeric `USER` (the suggestion does), and write `USER` as a uid (`USER 10001:10001`; `fix.numeric: true` makes ReviewBot's fixes do so) so `runAsNonRoot` can verify it.")
    {
        ExampleLanguage = "yaml",
        Details = """
            Files read: Compose files (`compose.yaml`, `docker-compose*.yml`), Kubernetes manifests (`Pod`, `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`, `Job`, `CronJob`; several documents per file), and a Helm chart's `values.yaml` (a literal `securityContext`, `containerSecurityContext` or `podSecurityContext`; the chart's `templates/` are not YAML and are not read). A pod-level `securityContext` counts for every container that does not set its own, as Kubernetes applies it.

            Anywhere: `runAsUser: 0`, `privileged: true`, `allowPrivilegeEscalation: true` in a container that runs as root, and Compose `user: root`/`0`/`0:0` are errors on the manifest's line.

            Where the repository builds the image the manifest runs (a Compose service's `build:`, or a `built_images` entry of `.github/reviewbot.yml` whose `image` is the manifest's image without its tag), also: a `runAsUser`/`user` other than the Dockerfile's `USER` (a warning, with the Dockerfile's uid as the suggestion), and `runAsNonRoot: true` with no `runAsUser` over a `USER` given by name (an error: the kubelet refuses to start it).
            """,
    };

    /// <summary>Characters of a manifest value quoted in a message.</summary>
    private const int MaxQuoted = 80;

    /// <summary>The Dockerfile's final user, as far as the engine can tell it without a registry.</summary>
    private sealed record ImageUser(string Path, EffectiveUser User, long? Uid, int Line);

    public static List<Finding> Check(Manifest manifest, DockerfileDocument lines, Func<ManifestContainer, BuiltImage?> builtFrom, AnalyzerOptions options)
    {
        var findings = new List<Finding>();
        var flagged = new HashSet<int>();
        var users = new Dictionary<string, ImageUser?>(StringComparer.Ordinal);
        foreach (var container in manifest.Containers)
        {
            var image = builtFrom(container) is { } built ? UserOf(built, users, options) : null;
            Check(container, image, lines, findings, flagged);
        }

        return findings;
    }

    private static ImageUser? UserOf(BuiltImage built, Dictionary<string, ImageUser?> users, AnalyzerOptions options)
    {
        if (users.TryGetValue(built.DockerfilePath, out var known))
        {
            return known;
        }

        var document = DockerfileDocument.Parse(built.DockerfileText);
        var final = document.Instructions.IsEmpty ? null : DockerfileModel.Build(document, options.Images).FinalStage;
        ImageUser? user = null;
        if (final?.FinalUser is { IsResolved: true } effective)
        {
            long? uid = long.TryParse(effective.User, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : final.Chain().Select(s => s.CreatedUsers.GetValueOrDefault(effective.User)?.Uid).FirstOrDefault(u => u is not null);
            user = new ImageUser(built.DockerfilePath, effective, effective.IsRoot ? 0 : uid, effective.Source?.StartLine ?? final.From.StartLine);
        }

        users[built.DockerfilePath] = user;
        return user;
    }

    private static void Check(ManifestContainer container, ImageUser? image, DockerfileDocument lines, List<Finding> findings, HashSet<int> flagged)
    {
        string name = Quote(container.Name);
        string builtBy = image is null ? "" : $"`{Quote(image.Path)}` (line {image.Line}) builds it to run as `USER {Quote(image.User.Spec)}`";
        if (container.RunAsUser is { Value: 0 } rootUid)
        {
            Add(findings, flagged, rootUid.Line, Severity.Error,
                $"`runAsUser: 0` runs {name} as root, whatever its image's `USER` says.",
                image is { Uid: > 0 } ? Replace(lines, rootUid.Line, RunAsUserLine(), image.Uid.Value.ToString(CultureInfo.InvariantCulture), $"Run it as the image's own uid {image.Uid}.") : null,
                "Remove `runAsUser: 0`, or set it to the uid of the image's USER.");
        }
        else if (container.RunAsUser is { } uid && image is { Uid: > 0 } && uid.Value != image.Uid)
        {
            Add(findings, flagged, uid.Line, Severity.Warning,
                $"`runAsUser: {uid.Value}` runs {name} as uid {uid.Value}, but {builtBy}: the files the image gives its user are not uid {uid.Value}'s, so writing them fails with permission denied.",
                Replace(lines, uid.Line, RunAsUserLine(), image.Uid.Value.ToString(CultureInfo.InvariantCulture), $"Run it as the image's own uid {image.Uid}."),
                null);
        }

        if (container.User is { } user)
        {
            string who = user.Value.Split(':')[0];
            if (who is "root" or "0")
            {
                Add(findings, flagged, user.Line, Severity.Error,
                    $"`user: {Quote(user.Value)}` runs {name} as root, whatever its image's `USER` says.",
                    image is { User.IsRoot: false } ? Delete(lines, user.Line, ComposeUserLine(), $"Remove it: the image's own `USER {Quote(image.User.Spec)}` applies.") : null,
                    "Remove `user:`, or set it to the image's non-root user.");
            }
            else if (image is { User.IsRoot: false } && !SameUser(who, image))
            {
                Add(findings, flagged, user.Line, Severity.Warning,
                    $"`user: {Quote(user.Value)}` runs {name} as another user than the image's: {builtBy}, and the files it gives that user are not this one's.",
                    Delete(lines, user.Line, ComposeUserLine(), $"Remove it: the image's own `USER {Quote(image.User.Spec)}` applies."),
                    null);
            }
        }

        if (container.Privileged is { Value: true } privileged)
        {
            Add(findings, flagged, privileged.Line, Severity.Error,
                $"`privileged: true` gives {name} every capability and the host's devices: root in it is root on the host.",
                null,
                "Remove `privileged: true`, and add only the capabilities the container needs (`cap_add`, `capabilities.add`).");
        }

        bool runsAsRoot = container.RunAsUser is { Value: 0 } || container.User?.Value.Split(':')[0] is "root" or "0" || (container.RunAsUser is null && container.User is null && image is { User.IsRoot: true });
        if (container.AllowPrivilegeEscalation is { Value: true } escalation && runsAsRoot)
        {
            Add(findings, flagged, escalation.Line, Severity.Error,
                $"`allowPrivilegeEscalation: true` in {name}, which runs as root: any process in it may gain every privilege root has.",
                null,
                "Set `allowPrivilegeEscalation: false` and run the container as a non-root user.");
        }

        if (container.RunAsNonRoot is { Value: true } nonRoot && container.RunAsUser is null && image is { User.IsRoot: false } && !IsNumeric(image.User.User))
        {
            Add(findings, flagged, nonRoot.Line, Severity.Error,
                $"`runAsNonRoot: true` over {builtBy}: Kubernetes cannot verify a user given by name, and the pod does not start (container has runAsNonRoot and image has non-numeric user).",
                image.Uid is > 0 ? InsertRunAsUser(lines, nonRoot.Line, image.Uid.Value) : null,
                $"Write the Dockerfile's `USER` as a uid (`USER 10001:10001`; `fix.numeric: true` makes ReviewBot's fixes do so), or set `runAsUser` here to the uid of `{Quote(image.User.User)}`.");
        }
    }

    private static bool SameUser(string who, ImageUser image) =>
        who == image.User.User || (image.Uid is { } uid && long.TryParse(who, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n == uid);

    private static bool IsNumeric(string user) => user.Length > 0 && user.All(char.IsAsciiDigit);

    private static void Add(List<Finding> findings, HashSet<int> flagged, int line, Severity severity, string message, Fix? fix, string? advice)
    {
        // A pod-level setting inherited by several containers is one problem on one line.
        if (flagged.Add(line))
        {
            findings.Add(new Finding(Descriptor, severity, LineRange.Single(line), message, fix) { Advice = fix is null ? advice : null });
        }
    }

    /// <summary>A value of the author's as a code span's content: one line, no backticks, bounded.</summary>
    private static string Quote(string value)
    {
        var flat = value.Replace('`', '\'').ReplaceLineEndings(" ");
        return flat.Length <= MaxQuoted ? flat : flat[..MaxQuoted] + "…";
    }

    /// <summary>The line with the value <paramref name="pattern"/> captures replaced; no fix when the line is not that plain shape (flow style, anchors).</summary>
    private static Fix? Replace(DockerfileDocument lines, int line, Regex pattern, string value, string description)
    {
        if (line < 1 || line > lines.LineCount || pattern.Match(lines.Line(line)) is not { Success: true } match)
        {
            return null;
        }

        var text = lines.Line(line);
        var group = match.Groups["value"];
        return new Fix(description, [new TextEdit(line, line, text[..group.Index] + value + text[(group.Index + group.Length)..] + lines.NewLine)]);
    }

    private static Fix? Delete(DockerfileDocument lines, int line, Regex pattern, string description) =>
        line >= 1 && line <= lines.LineCount && pattern.IsMatch(lines.Line(line)) ? new Fix(description, [new TextEdit(line, line, "")]) : null;

    /// <summary><c>runAsUser: N</c> under <c>runAsNonRoot: true</c>, at its indentation (after a list's <c>- </c>, the key's column).</summary>
    private static Fix? InsertRunAsUser(DockerfileDocument lines, int line, long uid)
    {
        if (line < 1 || line > lines.LineCount || RunAsNonRootLine().Match(lines.Line(line)) is not { Success: true } match)
        {
            return null;
        }

        var indent = new string(' ', match.Groups["key"].Index);
        return new Fix($"Run it as the image's uid {uid}, which Kubernetes can verify.", [new TextEdit(line + 1, line, $"{indent}runAsUser: {uid}{lines.NewLine}")]);
    }

    [GeneratedRegex(@"^\s*(?:-\s+)?runAsUser:\s*[""']?(?<value>\d+)[""']?\s*(?:#.*)?$")]
    private static partial Regex RunAsUserLine();

    [GeneratedRegex(@"^\s*user:\s*\S.*$")]
    private static partial Regex ComposeUserLine();

    [GeneratedRegex(@"^(?<pre>\s*(?:-\s+)?)(?<key>runAsNonRoot):\s*true\s*(?:#.*)?$")]
    private static partial Regex RunAsNonRootLine();
}
