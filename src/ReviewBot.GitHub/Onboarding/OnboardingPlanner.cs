using System.Collections.Immutable;
using System.Text;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.GitHub.Configuration;
using ReviewBot.GitHub.PullRequests;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Onboarding;

/// <summary>A Dockerfile of the default branch as it was read: its text, or why it was not read (too large, over the count cap).</summary>
public sealed record OnboardingFile(string Path, string? Text, string? SkippedReason = null);

/// <summary>One file the onboarding commit rewrites, and what changed in it (rule ids, fix descriptions).</summary>
public sealed record OnboardingChange(string Path, string NewText, ImmutableArray<string> RuleIds, ImmutableArray<string> Descriptions);

/// <summary>
/// The one onboarding pull request for a repository, built without I/O: every file's fixes as one commit,
/// and a body that says what changed per file, what was not checked, and what a reviewer should verify.
/// <see cref="HasChanges"/> false: the repository has nothing to fix and gets nothing.
/// </summary>
public sealed record OnboardingPlan(ImmutableArray<OnboardingChange> Changes, ImmutableArray<OnboardingFile> Skipped, string Body)
{
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
    /// <summary>GitHub: a pull request body is at most 65,536 characters.</summary>
    public const int MaxBodyLength = 65_536;

    /// <summary>Room kept for the state line <see cref="RepositoryOnboarder"/> adds under the marker (two SHAs and an id).</summary>
    public const int StateLineRoom = 256;

    /// <summary>Files the body names one by one; the rest are counted (the body must fit <see cref="MaxBodyLength"/>).</summary>
    public const int MaxFilesDescribed = PullRequestReviewer.MaxPathsNamed;

    /// <summary>
    /// What onboarding may rewrite: a file named like a Dockerfile, outside <c>.github/</c>, whatever
    /// <c>paths.include</c> adds (a config that includes <c>.github/workflows/*.yml</c> must never make it commit a workflow).
    /// </summary>
    public static bool MayEdit(string path) =>
        DockerfileNames.IsDockerfile(path) && !path.StartsWith(".github/", StringComparison.OrdinalIgnoreCase);

    public static OnboardingPlan Plan(IEnumerable<OnboardingFile> files, RepositoryConfig config)
    {
        var options = config.ToAnalyzerOptions();
        var changes = ImmutableArray.CreateBuilder<OnboardingChange>();
        var skipped = ImmutableArray.CreateBuilder<OnboardingFile>();
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

            var findings = config.Apply(DockerfileAnalyzer.Analyze(file.Text, options).Findings).Where(f => f.Fix is not null).ToList();
            var edits = FixApplier.Combine(findings.Select(f => f.Fix!));
            if (edits.IsEmpty)
            {
                continue;
            }

            var fixedText = FixApplier.Apply(file.Text, edits);
            if (fixedText == file.Text)
            {
                continue;
            }

            changes.Add(new OnboardingChange(
                file.Path,
                fixedText,
                [.. findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                [.. findings.Select(f => f.Fix!.Description).Distinct(StringComparer.Ordinal)]));
        }

        var built = changes.ToImmutable();
        var skippedFiles = skipped.ToImmutable();
        return new OnboardingPlan(built, skippedFiles, built.IsEmpty ? "" : Body(built, skippedFiles));
    }

    private static string Body(ImmutableArray<OnboardingChange> changes, ImmutableArray<OnboardingFile> skipped)
    {
        var body = new StringBuilder();
        body.Append(OnboardingPlan.Marker).Append('\n');
        body.Append("ReviewBot found containers that run as **root** on the default branch. This pull request makes each image ")
            .Append("end as an unprivileged user, with every fix in one commit. Close it to decline: it will not be opened again ")
            .Append("for the same findings, and `onboarding: false` in `.github/reviewbot.yml` turns it off for this repository.\n\n");

        body.Append("**Changes**\n\n");
        foreach (var change in changes.Take(MaxFilesDescribed))
        {
            body.Append("**").Append(Markdown.CodeSpan(change.Path)).Append("**\n\n");
            body.Append("Rules: ").Append(string.Join(", ", change.RuleIds.Select(Markdown.Word))).Append("\n\n");
            foreach (var description in change.Descriptions)
            {
                body.Append("- ").Append(Markdown.Prose(description)).Append('\n');
            }

            body.Append('\n');
        }

        if (changes.Length > MaxFilesDescribed)
        {
            body.Append("…and ").Append(Markdown.Count(changes.Length - MaxFilesDescribed)).Append(" more files, changed the same way (see the commit).\n\n");
        }

        if (!skipped.IsEmpty)
        {
            body.Append("**Not checked**\n\n");
            foreach (var file in skipped.Take(MaxFilesDescribed))
            {
                body.Append("- ").Append(Markdown.CodeSpan(file.Path)).Append(": ").Append(Markdown.Prose(file.SkippedReason ?? "not read")).Append('\n');
            }

            if (skipped.Length > MaxFilesDescribed)
            {
                body.Append("- …and ").Append(Markdown.Count(skipped.Length - MaxFilesDescribed)).Append(" more.\n");
            }

            body.Append('\n');
        }

        body.Append("**Before merging, check**\n\n")
            .Append("- Each image builds: `docker build .` for every changed Dockerfile.\n")
            .Append("- The container runs as the new user: `docker run --rm --entrypoint id IMAGE` shows a uid other than 0.\n")
            .Append("- What the application writes (caches, uploads, pid files, mounted volumes) belongs to that user.\n")
            .Append("- Volumes the old root image already wrote keep root's ownership: run once `docker run --rm -u 0 -v VOLUME:/path IMAGE chown -R UID:GID /path` for each (the new user's ids), or give the pod an init container that runs that `chown` as root.\n")
            .Append("- Ports below 1024 are not bound inside the container (an unprivileged user cannot); map them outside instead.\n")
            .Append("- Kubernetes manifests with `runAsUser` or `fsGroup` still agree with the image's user.\n");

        return Markdown.TruncateLines(body.ToString(), MaxBodyLength - StateLineRoom);
    }
}
