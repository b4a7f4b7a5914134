using System.Globalization;
using System.Collections.Immutable;
using System.Text;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Configuration;
using ReviewBot.GitHub.PullRequests;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Onboarding;

/// <summary>A Dockerfile of the default branch as it was read: its text, or why it was not read (too large, over the count cap).</summary>
public sealed record OnboardingFile(string Path, string? Text, string? SkippedReason = null);

/// <summary>One file the onboarding commit rewrites, and what changed in it (rule ids, fix descriptions).</summary>
public sealed record OnboardingChange(string Path, string NewText, ImmutableArray<string> RuleIds, ImmutableArray<string> Descriptions)
{
    /// <summary>Who the final stage runs as before and after the commit (<c>USER</c>'s words, or root by the base image's default).</summary>
    public string RunsAs { get; init; } = "root";

    /// <inheritdoc cref="RunsAs"/>
    public string NowRunsAs { get; init; } = "";

    /// <summary>Privileged ports the commit moved (80 → 8080): whatever reaches the container must follow.</summary>
    public ImmutableArray<(int From, int To)> MovedPorts { get; init; } = [];

    /// <summary>The rules whose fixes the commit applies.</summary>
    public ImmutableArray<Analysis.Rules.RuleDescriptor> Rules { get; init; } = [];
}

/// <summary>A problem the onboarding commit leaves as it is (no fix exists, or it needs a decision), with its file.</summary>
public sealed record OnboardingLeftAlone(string Path, Finding Finding);

/// <summary>
/// The one onboarding pull request for a repository, built without I/O: every file's fixes as one commit,
/// and a body that says what changed per file, what was not checked, and what a reviewer should verify.
/// <see cref="HasChanges"/> false: the repository has nothing to fix and gets nothing.
/// </summary>
public sealed record OnboardingPlan(ImmutableArray<OnboardingChange> Changes, ImmutableArray<OnboardingFile> Skipped, string Body)
{
    /// <summary>What the commit does not fix, in the files it reads: said in the body so a reviewer knows what remains.</summary>
    public ImmutableArray<OnboardingLeftAlone> LeftAlone { get; init; } = [];

    public const string Title = "Run containers as a non-root user";

    /// <summary>The branch the pull request comes from; one per repository, so there is never a second one.</summary>
    public const string Branch = "reviewbot/non-root";

    public const string CommitMessage = "Run containers as a non-root user\n\nFixes by ReviewBot: each image ends as an unprivileged user.";

    /// <summary>Marks the body as ours, so a pull request by anyone else on the same branch name is never taken for it.</summary>
    public const string Marker = "<!-- reviewbot:onboarding -->";

    public bool HasChanges => !Changes.IsEmpty;
}

/// <summary>Applies the engine's fixes to a repository's Dockerfiles and writes the onboarding pull request's body.</summary>
public static class OnboardingPlanner
{
    /// <summary>Room kept for the state line <see cref="RepositoryOnboarder"/> adds under the marker (two SHAs and an id).</summary>
    public const int StateLineRoom = 256;

    /// <summary>Files the body names one by one; the rest are counted (the body must fit <see cref="GitHubLimits.BodyLength"/>).</summary>
    public const int MaxFilesDescribed = PullRequestReviewer.MaxPathsNamed;

    /// <summary>
    /// What onboarding may rewrite: a file named like a Dockerfile, outside <c>.github/</c>, whatever
    /// <c>paths.include</c> adds (a config that includes <c>.github/workflows/*.yml</c> must never make it commit a workflow).
    /// </summary>
    public static bool MayEdit(string path) =>
        DockerfileNames.IsDockerfile(path) && !path.StartsWith(".github/", StringComparison.OrdinalIgnoreCase);

    /// <param name="docsBaseUrl">Where rule docs live; rule names in the body link there.</param>
    /// <param name="actionImages">Dockerfiles that the default branch's Docker container actions are built from (Dockerfile → action file): they start as root on purpose, and a USER fix would break the action.</param>
    public static OnboardingPlan Plan(IEnumerable<OnboardingFile> files, RepositoryConfig config, string docsBaseUrl = ReviewPlanOptions.DefaultRuleDocsBaseUrl, IReadOnlyDictionary<string, string>? actionImages = null)
    {
        var options = config.ToAnalyzerOptions();
        var changes = ImmutableArray.CreateBuilder<OnboardingChange>();
        var skipped = ImmutableArray.CreateBuilder<OnboardingFile>();
        var leftAlone = ImmutableArray.CreateBuilder<OnboardingLeftAlone>();
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            if (file.Text is null)
            {
                skipped.Add(file);
                continue;
            }

            if (!MayEdit(file.Path))
            {
                continue;
            }

            // The default branch's own action files: trusted, as a review trusts the base's.
            var fileOptions = actionImages?.GetValueOrDefault(file.Path) is { } action
                ? options with { RootExpected = new RootExpected(RootExpectedReason.DockerAction, action) { Trusted = true } }
                : options;
            // Fixed as `reviewbot scan --fix` fixes it: a fix dropped for overlapping another is offered again on the fixed text.
            var (fixedText, after, _, findings) = FixApplier.FixAll(file.Text, config.AnalyzeWithConfig(file.Text, fileOptions), text => config.AnalyzeWithConfig(text, fileOptions));

            // What remains is read from the fixed text itself: a finding without a fix, or one the fix cannot settle.
            leftAlone.AddRange(after.Findings.Select(f => new OnboardingLeftAlone(file.Path, f)));
            if (fixedText == file.Text)
            {
                continue;
            }

            var before = FinalStage(file.Text, options);
            var now = FinalStage(fixedText, options);
            changes.Add(new OnboardingChange(
                file.Path,
                fixedText,
                [.. findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                [.. findings.Select(f => f.Fix!.Description).Distinct(StringComparer.Ordinal)])
            {
                RunsAs = before?.FinalUser.Spec is { Length: > 0 } was ? was : "root",
                NowRunsAs = now?.FinalUser.Spec ?? "",
                MovedPorts = [.. MovedPorts(before, now)],
                Rules = [.. findings.Select(f => f.Rule).DistinctBy(r => r.Id).OrderBy(r => r.Id, StringComparer.Ordinal)],
            });
        }

        var built = changes.ToImmutable();
        var skippedFiles = skipped.ToImmutable();
        var left = leftAlone.ToImmutable();
        return new OnboardingPlan(built, skippedFiles, built.IsEmpty ? "" : Body(built, skippedFiles, left, docsBaseUrl)) { LeftAlone = left };
    }

    private static Analysis.Model.Stage? FinalStage(string text, AnalyzerOptions options) =>
        Analysis.Model.DockerfileModel.Build(Analysis.Syntax.DockerfileDocument.Parse(text), options.Images).FinalStage;

    /// <summary>The privileged ports the final stage exposed before and no longer does, each with the port it exposes instead.</summary>
    private static IEnumerable<(int From, int To)> MovedPorts(Analysis.Model.Stage? before, Analysis.Model.Stage? now)
    {
        var was = ExposedPorts(before);
        var then = ExposedPorts(now);
        return was.Where(p => p < Analysis.Rules.PrivilegedPortRule.FirstUnprivilegedPort && !then.Contains(p) && then.Contains(p + Analysis.Rules.PrivilegedPortRule.PortShift))
            .Select(p => (p, p + Analysis.Rules.PrivilegedPortRule.PortShift));
    }

    /// <summary>The literal ports a stage's EXPOSE instructions name (<c>80</c>, <c>443/tcp</c>); variables and ranges are not read.</summary>
    private static SortedSet<int> ExposedPorts(Analysis.Model.Stage? stage)
    {
        var ports = new SortedSet<int>();
        foreach (var instruction in stage?.Instructions.Where(i => i.Is("EXPOSE")) ?? [])
        {
            foreach (var word in instruction.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                int slash = word.IndexOf('/', StringComparison.Ordinal);
                if (int.TryParse(slash < 0 ? word : word[..slash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port))
                {
                    ports.Add(port);
                }
            }
        }

        return ports;
    }

    private static string RuleLink(Analysis.Rules.RuleDescriptor rule, string docsBaseUrl) =>
        $"[{rule.Id} · {Markdown.TableProse(rule.Title)}]({CommentText.DocUrl(rule, docsBaseUrl)})";

    private static string Body(ImmutableArray<OnboardingChange> changes, ImmutableArray<OnboardingFile> skipped, ImmutableArray<OnboardingLeftAlone> leftAlone, string docsBaseUrl)
    {
        var body = new StringBuilder();
        body.Append(OnboardingPlan.Marker).Append('\n');
        var moved = changes.Where(c => !c.MovedPorts.IsEmpty).ToList();
        body.Append(changes.Length == 1 ? "1 Dockerfile runs its container as root" : $"{Markdown.Count(changes.Length)} Dockerfiles run their containers as root")
            .Append(" on the default branch; this pull request makes each image end as an unprivileged user, in one commit")
            .Append(moved.Count > 0 ? ", and moves the ports an unprivileged user cannot bind.\n\n" : ".\n\n");

        body.Append("### What changes\n\n| File | Runs as | Now runs as | Also changed |\n|---|---|---|---|\n");
        foreach (var change in changes.Take(MaxFilesDescribed))
        {
            var also = new List<string>();
            if (!change.MovedPorts.IsEmpty)
            {
                also.Add("port " + string.Join(", ", change.MovedPorts.Select(p => $"{p.From} → {p.To}")));
            }

            also.AddRange(change.Rules.Where(r => r.Id != Analysis.Rules.RootUserRule.Descriptor.Id).Select(r => RuleLink(r, docsBaseUrl)));
            body.Append("| ").Append(Markdown.TableCodeSpan(change.Path))
                .Append(" | ").Append(Markdown.TableCodeSpan(change.RunsAs))
                .Append(" | ").Append(change.NowRunsAs.Length == 0 ? "unknown" : Markdown.TableCodeSpan(change.NowRunsAs))
                .Append(" | ").Append(also.Count == 0 ? "—" : string.Join("; ", also)).Append(" |\n");
        }

        if (changes.Length > MaxFilesDescribed)
        {
            body.Append("\n…and ").Append(Markdown.Count(changes.Length - MaxFilesDescribed)).Append(" more files, changed the same way (see the commit).\n");
        }

        body.Append("\nEach fix follows ").Append(RuleLink(Analysis.Rules.RootUserRule.Descriptor, docsBaseUrl)).Append(": the user is created the way the base image's distro does it, or the one it ships is reused.\n\n");

        if (moved.Count > 0)
        {
            var first = moved[0].MovedPorts[0];
            body.Append("> [!WARNING]\n> **Ports move.** ")
                .Append(string.Join("; ", moved.Take(MaxFilesDescribed).Select(c => $"{Markdown.CodeSpan(c.Path)} now listens on {string.Join(", ", c.MovedPorts.Select(p => $"{p.To} instead of {p.From}"))}")))
                .Append(moved.Count > MaxFilesDescribed ? $"; and {Markdown.Count(moved.Count - MaxFilesDescribed)} more files" : "")
                .Append(".\n> Update whatever sends traffic to them before merging: ")
                .Append(CultureInfo.InvariantCulture, $"`docker run -p {first.From}:{first.To}`, compose `ports: [\"{first.From}:{first.To}\"]`, a Kubernetes Service `targetPort: {first.To}`, health checks and reverse proxies.\n\n");
        }

        if (!leftAlone.IsEmpty || !skipped.IsEmpty)
        {
            body.Append("### Not fixed here\n\n");
            foreach (var item in leftAlone.Take(MaxFilesDescribed))
            {
                var finding = item.Finding;
                body.Append("- ").Append(Markdown.CodeSpan(item.Path)).Append(CultureInfo.InvariantCulture, $" line {finding.Range.Start}: ")
                    .Append(RuleLink(finding.Rule, docsBaseUrl)).Append(" — ").Append(Markdown.Prose(finding.Message));
                if (CommentText.WhatToDo(finding) is { } advice)
                {
                    body.Append(' ').Append(Markdown.Prose(advice));
                }

                body.Append('\n');
            }

            if (leftAlone.Length > MaxFilesDescribed)
            {
                body.Append("- …and ").Append(Markdown.Count(leftAlone.Length - MaxFilesDescribed)).Append(" more problems: `reviewbot scan` lists them.\n");
            }

            foreach (var file in skipped.Take(MaxFilesDescribed))
            {
                body.Append("- ").Append(Markdown.CodeSpan(file.Path)).Append(": not checked, ").Append(Markdown.Prose(file.SkippedReason ?? "not read")).Append('\n');
            }

            if (skipped.Length > MaxFilesDescribed)
            {
                body.Append("- …and ").Append(Markdown.Count(skipped.Length - MaxFilesDescribed)).Append(" more not checked.\n");
            }

            body.Append('\n');
        }

        body.Append("### Before merging\n\n")
            .Append("- [ ] Each image builds: `docker build` for every changed Dockerfile.\n")
            .Append("- [ ] The container runs as the new user: `docker run --rm --entrypoint id IMAGE` shows a uid other than 0.\n")
            .Append("- [ ] What the application writes (caches, uploads, pid files, mounted volumes) belongs to that user.\n")
            .Append("- [ ] Volumes the old root image already wrote keep root's ownership: run once `docker run --rm -u 0 -v VOLUME:/path IMAGE chown -R UID:GID /path` for each (the new user's ids), or give the pod an init container that runs that `chown` as root.\n");
        if (moved.Count > 0)
        {
            body.Append("- [ ] Port mappings (`-p`, compose `ports:`, Kubernetes `targetPort`) point at the new ports.\n");
        }

        body.Append("- [ ] Kubernetes manifests with `runAsUser` or `fsGroup` still agree with the image's user.\n\n");

        body.Append("### If you close this pull request\n\n")
            .Append("Closing it without merging declines these fixes: ReviewBot does not open it again while the default branch needs the same fixes, ")
            .Append("and opens a new one only when a later change needs different ones. `onboarding: false` in `.github/reviewbot.yml` turns onboarding off for this repository. ")
            .Append("Either way, ReviewBot's check still reviews every pull request that changes a Dockerfile.\n");

        return Markdown.TruncateLines(body.ToString(), GitHubLimits.BodyLength - StateLineRoom);
    }
}
