using System.Collections.Immutable;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Manifests;
using ReviewBot.Registry;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Checks;
using ReviewBot.Configuration;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.PullRequests;

/// <summary>How a review ended. <see cref="Plan"/> is what was posted (null when skipped or superseded).</summary>
public sealed record ReviewOutcome(ReviewStatus Status, ReviewInput? Input, ReviewPlan? Plan, PostedReview? Posted, string? Reason)
{
    public static ReviewOutcome Skipped(string reason) => new(ReviewStatus.Skipped, null, null, null, reason);

    public static ReviewOutcome Superseded { get; } = new(ReviewStatus.Superseded, null, null, null, null);

    /// <summary>False when the token may not create check runs and the caller chose to go on without one.</summary>
    public bool CheckCreated { get; init; } = true;
}

public enum ReviewStatus
{
    Reviewed,
    Skipped,
    Superseded,
}

/// <summary>What one caller sets for a review; the bounds are the same for everyone.</summary>
public sealed record ReviewSettings
{
    /// <summary>
    /// A review's wall-clock budget. GitHub's own calls are bounded by the retry policy (one minute of
    /// Retry-After at most); two minutes covers a 50-Dockerfile pull request with a rate-limit wait and still
    /// ends the check long before a person gives up on it. Over budget, the review fails closed.
    /// </summary>
    public static readonly TimeSpan DefaultTimeBudget = TimeSpan.FromMinutes(2);

    public TimeSpan TimeBudget { get; init; } = DefaultTimeBudget;

    public string RuleDocsBaseUrl { get; init; } = ReviewPlanOptions.DefaultRuleDocsBaseUrl;

    /// <summary>GitHub's web address, for links to files at the reviewed commit.</summary>
    public string WebUrl { get; init; } = SourceLinks.DefaultWebUrl;

    /// <summary>True on the first try of a newly opened pull request: it has no comments of ours to list.</summary>
    public bool NewPullRequest { get; init; }

    /// <summary>
    /// Our account's login (the App's <c>{slug}[bot]</c>, the Action's <c>github-actions[bot]</c>): only its comments
    /// count as ours. Asked only when our earlier comments are listed, so a review that needs none costs no call.
    /// </summary>
    public required Func<CancellationToken, Task<string>> BotLogin { get; init; }

    /// <summary>Whether a failed review is tried again by itself (the App's queue); said on the failed check.</summary>
    public bool RetriedAutomatically { get; init; }

    /// <summary>The App's installation token for its account's own images on GitHub's container registry; null: anonymous.</summary>
    public Registry.GitHubPackagesAccess? Packages { get; init; }

    /// <summary>The process's budget of Dockerfile text, shared by every review in flight (the App's); unbounded by default (one review per process).</summary>
    public TextBudget Texts { get; init; } = TextBudget.Unlimited;
}

/// <summary>
/// "Review a pull request", the one use case the App's worker and <c>reviewbot review --github-pr</c> share:
/// read the config at the base, select and read the changed Dockerfiles, analyze, plan, post one review,
/// answer our fixed comments, and end with one completed check run. Bounded (Dockerfiles per pull request,
/// bytes per file, time per review) and failing closed: a review that cannot finish ends its check
/// <c>failure</c> with a plain reason (never exception text), unless the base's config says
/// <c>check.on_error: neutral</c>. Anything that was not checked keeps the check from passing.
/// </summary>
public sealed class PullRequestReviewer(Func<string, AnalyzerOptions, AnalysisResult>? analyze = null)
{
    /// <summary>
    /// Dockerfiles reviewed per pull request; the rest are named in the check, which then does not pass.
    /// They are read in a fixed number of calls (GraphQL) and each holds up to 4 MiB in memory; 50 keeps a
    /// review under 200 MiB, and is more Dockerfiles than a
    /// pull request changes outside mass edits (which then get a failing check saying so, never a pass).
    /// </summary>
    public const int MaxDockerfiles = 50;

    /// <summary>The engine's own input cap (4 MiB, DockerfileParser.MaxChars): a larger file is refused from its size, before its body is read.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Our budget of Dockerfile text one review holds, all files together (issue 20: 20 files of 3.9 MB took the
    /// process to 1.1 GB). Files past it are named in the check as not read, and the check cannot pass.
    /// </summary>
    public const long MaxReviewTextBytes = 16L * 1024 * 1024;

    /// <summary>A config larger than this is not a config; it is refused and the defaults are used.</summary>
    public const long MaxConfigBytes = 64 * 1024;

    /// <summary>How many paths a note names before it says "and N more" (the check summary is limited to 65535 characters).</summary>
    public const int MaxPathsNamed = 20;

    /// <summary>
    /// Other open pull requests with the same head judged for the commit's check, at most. Each costs what a review
    /// of it reads (its config, its comparison, its Dockerfiles), within this review's one time budget; more pull
    /// requests than this at one commit is not a workflow people have, so past it the check fails rather than waits.
    /// </summary>
    public const int MaxOtherPullRequests = 5;

    /// <summary>The status of a Dockerfile judged because a changed compose file or devcontainer.json names it, not because it changed.</summary>
    public const string UnchangedStatus = "unchanged";

    /// <summary>HTTP 403: the token may not do this (for check runs: no <c>checks: write</c>).</summary>
    private const int ForbiddenStatus = 403;

    public const string FailedTitle = "ReviewBot could not review this pull request";

    public const string FailedCommitTitle = "ReviewBot could not check this commit";

    private readonly Func<string, AnalyzerOptions, AnalysisResult> _analyze = analyze ?? DockerfileAnalyzer.Analyze;

    /// <summary>
    /// Reads the base images nothing else knows from their registries before the files are analyzed (the App by
    /// default, the CLI with --resolve-images); null: offline, images.json and the config's images: only. Never
    /// fails a review: an image it cannot read keeps today's facts, and the check's notes say which and why.
    /// </summary>
    public ImageResolver? Images { get; init; }

    /// <summary>
    /// Reviews and posts. Throws when the review could not finish (after writing the failed check), with
    /// <see cref="TimeoutException"/> when it ran over <see cref="ReviewSettings.TimeBudget"/>; the caller logs
    /// the details and may try again, and a later successful review replaces the failed check on this head.
    /// </summary>
    public async Task<ReviewOutcome> ReviewAsync(GitHubInstallationClient client, PullRequestTarget target, IPullRequestSource source, ReviewHooks hooks, ReviewSettings settings, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(settings.TimeBudget);
        using var texts = settings.Texts.Open(); // held until the review is posted: the plan reads the texts
        var onError = CheckConclusion.Failure; // until the base's config is read, and it may opt out
        try
        {
            var (config, notes) = await ReadConfigAsync(source, budget.Token).ConfigureAwait(false);
            onError = OnError(config);
            if (target.Draft && !config.ReviewDrafts)
            {
                return ReviewOutcome.Skipped($"draft pull requests are not reviewed ({source.ConfigLabel} says review.drafts: false)");
            }

            var input = await ReadFilesAsync(source, config, notes, settings.Packages, texts, budget.Token).ConfigureAwait(false);

            return await PostAsync(client, target, input, hooks, settings, budget.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (e is OperationCanceledException && budget.IsCancellationRequested)
            {
                e = new TimeoutException($"The review took longer than its budget of {settings.TimeBudget}.", e);
            }

            await FailCheckAsync(client, target, e, onError, settings, hooks).ConfigureAwait(false);
            if (e is TimeoutException { InnerException: OperationCanceledException })
            {
                throw e;
            }

            throw;
        }
    }

    /// <summary>
    /// Ends the head's check as a review that could not finish: a new completed check run (so it also
    /// replaces one left in progress), <paramref name="conclusion"/> (failure unless the base opts out), and a
    /// generic reason. For callers that fail before <see cref="ReviewAsync"/> could start (reading the pull request).
    /// </summary>
    /// <param name="subject">What the check is on; a pull request by default.</param>
    public static async Task FailCheckAsync(GitHubInstallationClient client, PullRequestTarget target, Exception error, CheckConclusion conclusion, ReviewSettings settings, ReviewHooks hooks, CheckSubject? subject = null)
    {
        try
        {
            // Not the review's token: that may be what ran out.
            await client.CreateCheckRunAsync(target.Owner, target.Repo, target.HeadSha, FailedCheck(conclusion, Classify(error), settings, subject ?? CheckSubject.PullRequest), CheckRerun.OfPullRequest(target.Number), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception inner)
        {
            hooks.CheckNotClosed(inner);
        }
    }

    /// <summary>
    /// The planner's input: the config at the base, then the changed Dockerfiles it selects (removed ones
    /// skipped), at most <see cref="MaxDockerfiles"/>, each at most <see cref="MaxFileBytes"/>, analyzed one by
    /// one so a file that makes the engine throw is reported and the rest are still reviewed.
    /// </summary>
    /// <param name="texts">The share of the process's text budget the texts are taken from; the caller disposes it once done with the input. None: unbounded but for the review's own budget.</param>
    public async Task<ReviewInput> ReadAsync(IPullRequestSource source, CancellationToken cancellationToken, Registry.GitHubPackagesAccess? packages = null, TextBudget.Lease? texts = null)
    {
        var (config, notes) = await ReadConfigAsync(source, cancellationToken).ConfigureAwait(false);
        using var unbounded = texts is null ? TextBudget.Unlimited.Open() : null;
        return await ReadFilesAsync(source, config, notes, packages, texts ?? unbounded!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The base's config (defaults when it has none), and notes for what in it was not understood.</summary>
    private static async Task<(RepositoryConfig Config, ImmutableArray<string>.Builder Notes)> ReadConfigAsync(IPullRequestSource source, CancellationToken cancellationToken)
    {
        var notes = ImmutableArray.CreateBuilder<string>();
        var config = RepositoryConfig.Default;
        var configRead = await source.ReadConfigAsync(MaxConfigBytes, cancellationToken).ConfigureAwait(false);
        // The organisation's config (its .github repository), which the repository's merges over key by key.
        var organisationRead = await source.ReadOrganisationConfigAsync(MaxConfigBytes, cancellationToken).ConfigureAwait(false);
        string? organisationText = organisationRead?.Text;
        if (organisationRead?.Status == FileReadStatus.TooLarge)
        {
            notes.Add($"The organisation's config (.github repository) is larger than {MaxConfigBytes / 1024} KiB, so it was not read.");
        }

        if (configRead.Status == FileReadStatus.TooLarge)
        {
            notes.Add($"{source.ConfigLabel} is larger than {MaxConfigBytes / 1024} KiB, so it was not read (the defaults are used).");
        }
        else if (configRead.Text is not null || organisationText is not null)
        {
            var parsed = organisationText is null ? RepositoryConfig.Parse(configRead.Text!) : RepositoryConfig.ParseMerged(organisationText, configRead.Text);
            config = parsed.Config;
            notes.AddRange(parsed.Errors.Select(error => $"{source.ConfigLabel}: {error} (the default is used)."));
        }

        return (config, notes);
    }

    private async Task<ReviewInput> ReadFilesAsync(IPullRequestSource source, RepositoryConfig config, ImmutableArray<string>.Builder notes, Registry.GitHubPackagesAccess? packages, TextBudget.Lease texts, CancellationToken cancellationToken)
    {
        var listed = await source.ListFilesAsync(cancellationToken).ConfigureAwait(false);
        var tree = await source.ReadHeadTreeAsync(cancellationToken).ConfigureAwait(false);
        if (tree.Truncated)
        {
            notes.Add("GitHub cut the head commit's tree listing off, so symbolic links and the Dockerfiles that compose files and devcontainer.json files name could not all be told.");
        }

        var (namedBy, buildFilesRead) = await DockerfileSelection.ReadBuildFilesAsync(source, tree, config, notes, cancellationToken).ConfigureAwait(false);
        var named = namedBy.Keys.ToHashSet(StringComparer.Ordinal);
        var selected = listed.Files.Where(f => !f.IsRemoved && config.IsIncluded(f.Path, named)).ToList();

        // A changed compose file or devcontainer.json changes what its Dockerfiles build: they are judged too, changed or not.
        var changedBuildFiles = listed.Files.Where(f => !f.IsRemoved && DockerfileReferences.IsBuildFile(f.Path)).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var selectedPaths = selected.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        selected.AddRange(namedBy
            .Where(n => n.Value.Any(changedBuildFiles.Contains) && !selectedPaths.Contains(n.Key) && !config.IsExcluded(n.Key) && (tree.Truncated || tree.KindOf(n.Key) is not null))
            .OrderBy(n => n.Key, StringComparer.Ordinal)
            .Select(n => new ChangedFile(n.Key, UnchangedStatus, null, null)));

        // A changed entrypoint script changes whether its image drops root: the Dockerfiles it starts are judged too.
        selectedPaths.UnionWith(selected.Select(f => f.Path));
        var (starting, scriptOwnersRead) = await ContextFiles.StartingChangedScriptsAsync(
            source,
            tree,
            listed.Files.Where(f => !f.IsRemoved && !selectedPaths.Contains(f.Path)).Select(f => f.Path).ToHashSet(StringComparer.Ordinal),
            path => !selectedPaths.Contains(path) && config.IsIncluded(path, named),
            (text, recorder) => config.AnalyzeWithConfig(text, config.ToAnalyzerOptions() with { Cancellation = cancellationToken, ReadContextFile = recorder }, _analyze),
            bytes => texts.TakeAsync(bytes, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        foreach (var dockerfile in starting)
        {
            notes.Add($"{Markdown.CodeSpan(dockerfile)} is checked because this {source.Subject.Noun} changes the script it starts with.");
        }

        if (!scriptOwnersRead)
        {
            notes.Add($"More than {ContextFiles.MaxScriptOwners} Dockerfiles sit in the folders of the files this {source.Subject.Noun} changes, or one of them is larger than {ContextFiles.MaxScriptOwnerBytes / 1024} KiB or could not be read, so whether it changes the script one of them starts with was not checked.");
        }

        selected.AddRange(starting.Select(d => new ChangedFile(d, UnchangedStatus, null, null)));
        var notChecked = new List<(string Path, string Why)>();

        // Read before the Dockerfiles: what they mount into an image is a fact its fix needs (RB008 judges them after).
        var changedPaths = listed.Files.Where(f => !f.IsRemoved).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var manifests = await ManifestSelection.ReadAsync(source, tree, config, changedPaths, notes, notChecked, cancellationToken).ConfigureAwait(false);
        bool complete = !listed.Truncated && !tree.Truncated && buildFilesRead && scriptOwnersRead && selected.Count <= MaxDockerfiles;
        if (listed.Truncated)
        {
            notes.Add(source.Subject == CheckSubject.PullRequest
                ? $"GitHub lists at most {GitHubLimits.ComparedFiles} changed files of a comparison of two commits, and this pull request reached that; Dockerfiles beyond those were not checked."
                : $"GitHub cut this {source.Subject.Noun}'s tree listing off; Dockerfiles beyond it were not checked.");
        }

        if (selected.Count > MaxDockerfiles)
        {
            notes.Add($"This {source.Subject.Noun} {source.Subject.Has} {selected.Count} Dockerfiles; ReviewBot checks at most {MaxDockerfiles} per {source.Subject.Noun}, so {Paths(selected.Skip(MaxDockerfiles).Select(f => f.Path))} were not checked.");
        }

        var analyzerOptions = config.ToAnalyzerOptions() with { Cancellation = cancellationToken };
        var files = new List<ReviewFile>();
        var analyzed = new List<ChangedFile>(); // files[i] is analyzed[i]
        var reviewed = selected.Take(MaxDockerfiles).ToList();

        // A symbolic link's blob is its target's path, not a Dockerfile: the target is judged in its place, or the link is named.
        var links = await DockerfileSelection.ResolveLinksAsync(source, tree, reviewed.Select(f => f.Path), cancellationToken).ConfigureAwait(false);
        foreach (var (link, resolution) in links.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (resolution.Why is { } why)
            {
                notChecked.Add((link, why));
            }
            else
            {
                notes.Add($"{Markdown.CodeSpan(link)} is a symbolic link to {Markdown.CodeSpan(resolution.Target!)}: that file was checked in its place, and its findings are reported on the link.");
            }
        }

        reviewed = [.. reviewed.Where(f => links.GetValueOrDefault(f.Path)?.Why is null)];
        string Target(ChangedFile f) => links.GetValueOrDefault(f.Path)?.Target ?? f.Path;

        // The budget is kept before any text is read, from the sizes the head's tree gave: a file past it is never downloaded.
        long held = 0;
        var overBudget = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in reviewed)
        {
            if (tree.SizeOf(Target(file)) is not long size || size > MaxFileBytes)
            {
                continue; // unknown: counted once read; too large: refused from its size by the read
            }

            if (held + size > MaxReviewTextBytes)
            {
                overBudget.Add(file.Path);
                notChecked.Add((file.Path, OverBudget));
                continue;
            }

            held += size;
        }

        reviewed = [.. reviewed.Where(f => !overBudget.Contains(f.Path))];
        await texts.TakeAsync(held, cancellationToken).ConfigureAwait(false);
        var actionImages = await DockerfileSelection.ReadActionImagesAsync(source, tree, reviewed.Select(Target).ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);

        // All at once: a source that can (GitHub's GraphQL) reads 50 Dockerfiles in two calls, not fifty.
        var reads = (await source.ReadHeadFilesAsync([.. reviewed.Select(Target)], MaxFileBytes, cancellationToken).ConfigureAwait(false)).ToArray();
        if (reads.Length != reviewed.Count)
        {
            // Zip would drop the files without an answer, and a file dropped unnoticed would pass the check.
            throw new InvalidOperationException($"Asked for {reviewed.Count} files, the source answered {reads.Length}.");
        }

        if (Images is not null)
        {
            var resolution = await Images.ResolveAsync([.. reads.Select(r => r.Text).OfType<string>()], analyzerOptions.Images, cancellationToken, packages).ConfigureAwait(false);
            analyzerOptions = analyzerOptions with { Images = resolution.Facts };
            notes.AddRange(resolution.Notices);
        }

        var dockerfileTexts = new Dictionary<string, string>(StringComparer.Ordinal);
        var contextFiles = new Dictionary<string, Func<string, string?>>(StringComparer.Ordinal);
        var unreadScripts = new List<(string Script, string Dockerfile)>();
        for (int i = 0; i < reviewed.Count; i++)
        {
            var (file, read) = (reviewed[i], reads[i]);
            reads[i] = null!; // the text is the review file's from here, or nobody's
            // Between files: a review cancelled (its time budget, or shutdown) stops analyzing at once.
            cancellationToken.ThrowIfCancellationRequested();
            if (read.Status == FileReadStatus.TooLarge)
            {
                notChecked.Add((file.Path, $"larger than {MaxFileBytes / (1024 * 1024)} MiB"));
                continue;
            }

            if (read.Status == FileReadStatus.NotText)
            {
                notChecked.Add((file.Path, "not a text file at the head"));
                continue;
            }

            if (read.Text is not { } text)
            {
                notChecked.Add((file.Path, "could not be read at the head"));
                continue;
            }

            if (tree.SizeOf(Target(file)) is not long sized || sized > MaxFileBytes)
            {
                // The tree did not give its size (cut off, or a source without sizes): counted now it is read.
                long bytes = read.Size ?? text.Length;
                if (held + bytes > MaxReviewTextBytes)
                {
                    notChecked.Add((file.Path, OverBudget));
                    continue;
                }

                held += bytes;
                await texts.TakeAsync(bytes, cancellationToken).ConfigureAwait(false);
            }

            dockerfileTexts[Target(file)] = text;

            // Analyzed once to learn which build-context file (the entrypoint script) the verdict turns on, and again
            // once it is read at the head: the engine does no I/O, and most Dockerfiles ask for none.
            var asked = new List<string>();
            if (Analyze(file.Path, text, OptionsFor(file.Path) with { ReadContextFile = ContextFiles.Recorder(asked) }) is not { } result)
            {
                continue;
            }

            if (asked.Count > 0)
            {
                var context = await ContextFiles.ReadAsync(source, tree, file.Path, asked, TakeAsync, cancellationToken).ConfigureAwait(false);
                contextFiles[file.Path] = context.Reader;
                unreadScripts.AddRange(context.Unread.Select(u => (u, file.Path)));
                if (Analyze(file.Path, text, OptionsFor(file.Path)) is not { } withContext)
                {
                    continue;
                }

                result = withContext;
            }

            // A link's diff is of its target path, and an unchanged Dockerfile has none: their findings go on the file, not on lines.
            var patch = links.ContainsKey(file.Path) || file.Status == UnchangedStatus ? null : await source.PatchAsync(file, cancellationToken).ConfigureAwait(false);
            files.Add(new ReviewFile(file.Path, text, result, patch));
            analyzed.Add(file);
        }

        foreach (var group in unreadScripts.GroupBy(u => u.Dockerfile, StringComparer.Ordinal))
        {
            notes.Add($"{Paths(group.Select(g => g.Script))}, which {Markdown.CodeSpan(group.Key)} copies in and starts, {(group.Count() == 1 ? "is" : "are")} larger than {AnalyzerOptions.MaxContextFileChars / (1024 * 1024)} MiB, not text, or over the review's budget, so not read: no step-down is taken from {(group.Count() == 1 ? "it" : "them")}.");
        }

        files = await CompareWithBaseAsync(source, config, OptionsFor, files, analyzed, links, notes, notChecked, cancellationToken).ConfigureAwait(false);

        files.AddRange(await ReviewManifestsAsync(source, config, analyzerOptions, listed, changedPaths, manifests, dockerfileTexts, notChecked, cancellationToken).ConfigureAwait(false));

        foreach (var group in notChecked.GroupBy(n => n.Why, StringComparer.Ordinal))
        {
            notes.Add($"{Paths(group.Select(g => g.Path))} {group.Key}, so not checked.");
        }

        return new ReviewInput(config, files, notes.ToImmutable(), complete && notChecked.Count == 0);

        // A Docker container action's image is judged knowing it (a link by its target's path).
        // And with the paths the repository's manifests mount into it, which its fix hands to the new user.
        AnalyzerOptions OptionsFor(string path)
        {
            string built = links.GetValueOrDefault(path)?.Target ?? path;
            return analyzerOptions with { RootExpected = actionImages.GetValueOrDefault(built), MountPaths = manifests.MountPathsOf(built), ReadContextFile = contextFiles.GetValueOrDefault(path) };
        }

        // In doubt: the file is named and the check cannot pass; the other files are still reviewed.
        AnalysisResult? Analyze(string path, string text, AnalyzerOptions options)
        {
            try
            {
                return config.AnalyzeWithConfig(text, options, _analyze);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                notChecked.Add((path, "could not be analyzed (an internal error of ReviewBot)"));
                return null;
            }
        }

        // A build-context file is held within the review's text budget, as the Dockerfiles are.
        async Task<bool> TakeAsync(long bytes)
        {
            if (held + bytes > MaxReviewTextBytes)
            {
                return false;
            }

            held += bytes;
            await texts.TakeAsync(bytes, cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>
    /// RB008 on the manifests the pull request changes, and on those that run an image a reviewed Dockerfile builds (a
    /// change of its USER concerns them, changed or not: their findings then go on the file). The Dockerfiles they link
    /// to and this review did not read are read at the head, within <see cref="MaxFileBytes"/> each.
    /// </summary>
    private async Task<List<ReviewFile>> ReviewManifestsAsync(IPullRequestSource source, RepositoryConfig config, AnalyzerOptions analyzerOptions, ChangedFiles listed, IReadOnlySet<string> changedPaths, ManifestSet manifests, Dictionary<string, string> dockerfileTexts, List<(string Path, string Why)> notChecked, CancellationToken cancellationToken)
    {
        var reviewed = dockerfileTexts.Keys.ToHashSet(StringComparer.Ordinal);
        var judged = manifests.Files.Where(m => changedPaths.Contains(m.Path) || m.Dockerfiles.Any(d => d is not null && reviewed.Contains(d))).ToList();
        var unread = judged.SelectMany(m => m.Dockerfiles).OfType<string>().Where(d => !dockerfileTexts.ContainsKey(d)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (unread.Count > 0)
        {
            var reads = await source.ReadHeadFilesAsync(unread, MaxFileBytes, cancellationToken).ConfigureAwait(false);
            foreach (var (path, read) in unread.Zip(reads))
            {
                if (read.Text is { } text)
                {
                    dockerfileTexts[path] = text;
                }
            }
        }

        var files = new List<ReviewFile>();
        foreach (var manifest in judged)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AnalysisResult result;
            try
            {
                result = config.AnalyzeWithConfig(manifest.Text, analyzerOptions, (manifestText, options) => ManifestAnalyzer.Analyze(manifest.Manifest, manifestText, c => manifest.DockerfileOf(c) is { } d && dockerfileTexts.TryGetValue(d, out var t) ? new BuiltImage(d, t) : null, options));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                notChecked.Add((manifest.Path, "could not be analyzed (an internal error of ReviewBot)"));
                continue;
            }

            var changed = listed.Files.FirstOrDefault(f => f.Path == manifest.Path && !f.IsRemoved);
            var patch = changed is null ? null : await source.PatchAsync(changed, cancellationToken).ConfigureAwait(false);
            files.Add(new ReviewFile(manifest.Path, manifest.Text, result, patch));
        }

        return files;
    }

    /// <summary>
    /// The files compared with their version at the base commit, read once for both uses (a renamed file under its old
    /// name; a file the pull request adds has none). Files with suppressions are analyzed again against the base's
    /// pragmas: each suppression then says whether the pull request added its pragma, and with
    /// <c>check.suppressions: base</c> one it added is ignored, so its finding counts. With <c>check.fail_on: new</c> (a
    /// pull request only: a branch's commit is its own base), the base version is analyzed too and the findings it
    /// already had are marked <see cref="ReviewFile.PreExisting"/>. Fail closed: a base version that cannot be read or
    /// analyzed has all its pragmas counted as added and all the head's findings as new; so do a symbolic link (its
    /// base blob is a path, not a Dockerfile) and a Dockerfile judged only because a changed compose file or
    /// devcontainer.json names it (the pull request changes what runs it).
    /// </summary>
    private async Task<List<ReviewFile>> CompareWithBaseAsync(IPullRequestSource source, RepositoryConfig config, Func<string, AnalyzerOptions> analyzerOptions, List<ReviewFile> files, List<ChangedFile> changed, IReadOnlyDictionary<string, LinkResolution> links, ImmutableArray<string>.Builder notes, List<(string Path, string Why)> notChecked, CancellationToken cancellationToken)
    {
        bool gate = config.FailOn == FailOn.New && source.Subject == CheckSubject.PullRequest;
        var suppressing = Enumerable.Range(0, files.Count).Where(i => !files[i].Analysis.Suppressed.IsEmpty).ToHashSet();
        var gated = Enumerable.Range(0, files.Count).Where(i => gate && HasBaseVersion(changed[i]) && !links.ContainsKey(changed[i].Path)).ToHashSet();
        // A copy's pragmas are not its source's either: they count as added, like a new file's.
        var inBase = Enumerable.Range(0, files.Count).Where(i => gated.Contains(i) || suppressing.Contains(i) && changed[i].Status is not (AddedStatus or CopiedStatus)).ToList();
        if (inBase.Count == 0 && suppressing.Count == 0)
        {
            return files;
        }

        var reads = inBase.Count == 0 ? [] : await source.ReadBaseFilesAsync([.. inBase.Select(i => changed[i].PreviousPath ?? changed[i].Path)], MaxFileBytes, MaxReviewTextBytes, cancellationToken).ConfigureAwait(false);
        if (reads.Count != inBase.Count)
        {
            throw new InvalidOperationException($"Asked for {inBase.Count} base files, the source answered {reads.Count}.");
        }

        var baseReads = inBase.Zip(reads).ToDictionary(x => x.First, x => x.Second);
        var unreadPragmas = new List<string>();
        var unreadFindings = new List<string>();
        var unanalyzedBase = new List<string>();
        var result = new List<ReviewFile>(files.Count);
        for (int i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[i];
            var read = baseReads.GetValueOrDefault(i);
            if (read is { Text: null, Status: not FileReadStatus.Missing } && suppressing.Contains(i))
            {
                unreadPragmas.Add(file.Path);
            }

            if (read is { Text: null, Status: not FileReadStatus.Missing } && gated.Contains(i))
            {
                unreadFindings.Add(file.Path);
            }

            if (suppressing.Contains(i))
            {
                var baseline = read?.Text is { } pragmaText ? PragmaBaseline.Of(pragmaText) : PragmaBaseline.Empty;
                try
                {
                    file = file with { Analysis = config.AnalyzeWithConfig(file.Text, analyzerOptions(file.Path) with { Baseline = baseline, BaselinePragmasOnly = config.Suppressions == SuppressionPolicy.Base }, _analyze) };
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    notChecked.Add((file.Path, "could not be analyzed (an internal error of ReviewBot)"));
                    continue;
                }
            }

            if (gated.Contains(i) && read?.Text is { } baseText)
            {
                try
                {
                    // Not with the head's scripts: the base's own may differ. Unread, an installed gosu is presumed
                    // used there, so a finding the head's script shows counts as new (the strict side).
                    file = file with { PreExisting = PreExisting.Of(file.Path, file.Analysis, config.AnalyzeWithConfig(baseText, analyzerOptions(file.Path) with { ReadContextFile = null }, _analyze)) };
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    unanalyzedBase.Add(file.Path);
                }
            }

            result.Add(file);
        }

        if (unreadPragmas.Count > 0)
        {
            notes.Add($"The base version of {Paths(unreadPragmas)} could not be read (too large, or not a text file), so every suppression pragma in it counts as added by this {source.Subject.Noun}.");
        }

        if (unreadFindings.Count > 0)
        {
            notes.Add($"The base version of {Paths(unreadFindings)} could not be read (too large, or not a text file), so every problem in it counts as new to this {source.Subject.Noun}.");
        }

        if (unanalyzedBase.Count > 0)
        {
            notes.Add($"The base version of {Paths(unanalyzedBase)} could not be analyzed (an internal error of ReviewBot), so every problem in it counts as new to this {source.Subject.Noun}.");
        }

        return result;
    }

    private static readonly string OverBudget = $"over the review's budget of {MaxReviewTextBytes / (1024 * 1024)} MiB of Dockerfile text (not read)";

    /// <summary>
    /// Whether the base commit has this file's earlier version, by GitHub's status: modified (or "changed", its mode only),
    /// or renamed (read under its old name). Anything else has none whose findings it may inherit, fail closed: an added
    /// file, a copied one (a new image built from a copy of an old Dockerfile is a new way to run as root), one judged
    /// unchanged, or a status GitHub adds later.
    /// </summary>
    private static bool HasBaseVersion(ChangedFile file) => file.Status is "modified" or "changed" or "renamed";

    /// <summary>GitHub's status of a file the pull request adds as a copy of another (also the CLI's for git's C).</summary>
    private const string CopiedStatus = "copied";

    /// <summary>GitHub's status of a file the pull request adds (also the CLI's for git's A).</summary>
    private const string AddedStatus = "added";

    /// <summary>
    /// The plan for <paramref name="input"/>; when not every Dockerfile was checked, the check cannot pass:
    /// it ends as <c>check.on_error</c> says (failure unless the base opts out), and its title says so.
    /// </summary>
    public static ReviewPlan Plan(ReviewInput input, ReviewPlanOptions options)
    {
        var plan = ReviewPlanner.Plan(input.Files, options with { Notes = [.. options.Notes, .. input.Notes], Complete = input.Complete });
        if (input.Complete)
        {
            return plan;
        }

        var check = plan.Check;
        var conclusion = check.Conclusion == CheckConclusion.Failure ? CheckConclusion.Failure : OnError(input.Config);
        var title = "Not every Dockerfile was checked; " + check.Title;
        return plan with { Check = check with { Conclusion = conclusion, Title = title.Length <= GitHubLimits.CheckRunTitleLength ? title : title[..(GitHubLimits.CheckRunTitleLength - 1)] + "…" } };
    }

    private async Task<ReviewOutcome> PostAsync(GitHubInstallationClient client, PullRequestTarget target, ReviewInput input, ReviewHooks hooks, ReviewSettings settings, CancellationToken cancellationToken)
    {
        var recalled = await hooks.RecallAsync(cancellationToken).ConfigureAwait(false);
        if (recalled.Superseded)
        {
            return ReviewOutcome.Superseded;
        }

        var planOptions = ReviewPlanOptions.From(input.Config) with
        {
            PostedFingerprints = recalled.Fingerprints,
            RuleDocsBaseUrl = settings.RuleDocsBaseUrl,
            Links = new SourceLinks(settings.WebUrl, target.Owner, target.Repo, target.HeadSha),
        };
        var plan = Plan(input, planOptions);

        // Our comments are listed only when they can tell something the caller's memory does not.
        PreviousComments? previous = null;
        if (!settings.NewPullRequest && (recalled.LastReviewedSha is null || !recalled.Fingerprints.All(plan.Fingerprints.Contains)))
        {
            string botLogin = await settings.BotLogin(cancellationToken).ConfigureAwait(false);
            previous = PreviousComments.From(await client.ListReviewCommentsAsync(target.Owner, target.Repo, target.Number, cancellationToken).ConfigureAwait(false), botLogin);
            plan = Plan(input, planOptions with { PostedFingerprints = previous.Fingerprints.Concat(recalled.Fingerprints).ToHashSet(StringComparer.Ordinal) });
        }

        hooks.Planned(plan, input.Files.Sum(f => f.Analysis.Findings.Length));
        var posted = await client.PostReviewAsync(target.Owner, target.Repo, target.Number, target.HeadSha, plan, cancellationToken).ConfigureAwait(false);

        // "Fixed in" only when every Dockerfile was checked: one left out still has its problems.
        if (previous is not null && input.Complete)
        {
            foreach (var id in previous.FixedComments(plan).ToList())
            {
                await client.ReplyAsync(target.Owner, target.Repo, target.Number, id, PreviousComments.FixedReply(target.HeadSha), cancellationToken).ConfigureAwait(false);
            }
        }

        var onPullRequest = recalled.Fingerprints.Concat(posted.Fingerprints).Concat(previous?.Fingerprints ?? Enumerable.Empty<string>()).ToHashSet(StringComparer.Ordinal);
        await hooks.RememberAsync(target.HeadSha, onPullRequest, plan.Fingerprints, cancellationToken).ConfigureAwait(false);

        // The check is the commit's, shared with every open pull request at this head: it says the worst of their verdicts.
        plan = plan with { Check = await CommitCheckAsync(client, target, plan.Check, settings, cancellationToken).ConfigureAwait(false) };
        var outcome = new ReviewOutcome(ReviewStatus.Reviewed, input, plan, posted, null);
        long checkRunId;
        try
        {
            checkRunId = await client.CreateCheckRunAsync(target.Owner, target.Repo, target.HeadSha, plan.Check, CheckRerun.OfPullRequest(target.Number), cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e.StatusCode == ForbiddenStatus && hooks.ContinueWithoutCheckRun(e))
        {
            return outcome with { CheckCreated = false };
        }

        await client.AddRemainingAnnotationsAsync(target.Owner, target.Repo, checkRunId, plan.Check, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// The check for the head commit: <paramref name="own"/> when this pull request is the only open one at that head,
    /// else the worst verdict over all of them (<see cref="CommitVerdict"/>), each judged against its own base and
    /// config as a review of it would (nothing is posted on them). A failure to judge one throws, and the review fails closed.
    /// </summary>
    private async Task<CheckRunPlan> CommitCheckAsync(GitHubInstallationClient client, PullRequestTarget target, CheckRunPlan own, ReviewSettings settings, CancellationToken cancellationToken)
    {
        var (pullRequests, complete) = await client.ListOpenPullRequestsAtHeadAsync(target.Owner, target.Repo, target.HeadSha, target.Number, cancellationToken).ConfigureAwait(false);
        var others = pullRequests.Where(p => p.Number != target.Number).OrderBy(p => p.Number).ToList();
        var verdicts = new List<PullRequestVerdict>();
        foreach (var other in others.Take(MaxOtherPullRequests))
        {
            // Drafts too: review.drafts spares a draft the comments, not the gate (it can be marked ready and merged at once).
            var source = new GitHubPullRequestSource(client, target with { Number = other.Number, BaseRef = other.BaseRef, BaseSha = other.BaseSha, Draft = other.Draft });
            using var texts = settings.Texts.Open(); // one other pull request's texts at a time, given back once judged
            var input = await ReadAsync(source, cancellationToken, settings.Packages, texts).ConfigureAwait(false);
            var check = Plan(input, ReviewPlanOptions.From(input.Config) with { RuleDocsBaseUrl = settings.RuleDocsBaseUrl }).Check;
            verdicts.Add(new PullRequestVerdict(other.Number, check.Conclusion, check.Title));
        }

        int notJudged = others.Count - verdicts.Count + (complete ? 0 : 1);
        return CommitVerdict.Combine(target.Number, own, verdicts, notJudged);
    }

    private static CheckConclusion OnError(RepositoryConfig config) =>
        config.OnError == ErrorConclusion.Neutral ? CheckConclusion.Neutral : CheckConclusion.Failure;

    private enum Why
    {
        OverBudget,
        RateLimited,
        GitHub,
        Internal,
    }

    private static Why Classify(Exception e) => e switch
    {
        TimeoutException { InnerException: OperationCanceledException } => Why.OverBudget,
        GitHubRateLimitedException => Why.RateLimited,
        GitHubApiException or HttpRequestException or TimeoutException or OperationCanceledException => Why.GitHub,
        _ => Why.Internal,
    };

    /// <summary>
    /// The failed check: a plain title and a generic reason. Exception text stays in the caller's logs: it may
    /// carry request details, and the check's output is public on public repositories.
    /// </summary>
    private static CheckRunPlan FailedCheck(CheckConclusion conclusion, Why why, ReviewSettings settings, CheckSubject subject)
    {
        string run = subject.Run;
        string reason = why switch
        {
            Why.OverBudget => $"The {run} took longer than ReviewBot allows one {run} ({settings.TimeBudget.TotalMinutes:0.#} minutes).",
            Why.RateLimited => $"GitHub's rate limit asked ReviewBot to wait longer than one {run} may take.",
            Why.GitHub => "GitHub did not answer ReviewBot's requests as expected.",
            _ => "ReviewBot ran into an internal error.",
        };
        string next = settings.RetriedAutomatically
            ? $"ReviewBot tries again by itself; a successful {run} replaces this result. You can also re-run this check."
            : "Re-run this check to try again.";
        string optOut = conclusion == CheckConclusion.Neutral
            ? $"This check is neutral rather than failing because `{RepositoryConfig.RepositoryPath}` {subject.ConfigAt} sets `check.on_error: neutral`."
            : $"Until a {run} finishes, this check fails: nothing was verified. (`check.on_error: neutral` in `{RepositoryConfig.RepositoryPath}` {subject.ConfigAt} makes it neutral instead.)";
        return new CheckRunPlan(conclusion, subject == CheckSubject.PullRequest ? FailedTitle : FailedCommitTitle, $"{reason} The details are in ReviewBot's logs.\n\n{next}\n\n{optOut}\n", []);
    }

    /// <summary>Paths as code spans, the first <see cref="MaxPathsNamed"/> of them; a pull request's paths are its author's text.</summary>
    internal static string Paths(IEnumerable<string> paths)
    {
        var list = paths.ToList();
        var named = string.Join(", ", list.Take(MaxPathsNamed).Select(Markdown.CodeSpan));
        return list.Count > MaxPathsNamed ? $"{named} and {list.Count - MaxPathsNamed} more" : named;
    }
}

/// <summary>What a review reads: the config it used, the analyzed files, notes for the check, and whether every selected Dockerfile was checked.</summary>
public sealed record ReviewInput(RepositoryConfig Config, IReadOnlyList<ReviewFile> Files, ImmutableArray<string> Notes, bool Complete);
