using System.Collections.Immutable;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Configuration;

/// <summary>What the review posts as its event.</summary>
public enum ReviewEvent
{
    Comment,
    RequestChanges,
}

/// <summary>A non-passing check conclusion a repository may choose (error-level findings; a review that could not finish).</summary>
public enum ErrorConclusion
{
    Failure,
    Neutral,
}

/// <summary>Which suppression pragmas a review honours (<c>check.suppressions</c>).</summary>
public enum SuppressionPolicy
{
    /// <summary>Every pragma (each suppression is still listed, with whether the pull request added it).</summary>
    Any,

    /// <summary>Only pragmas already in the base branch's version of the file; one the pull request adds is ignored.</summary>
    Base,
}

/// <summary>Which findings fail a pull request's check (<c>check.fail_on</c>).</summary>
public enum FailOn
{
    /// <summary>Only those the pull request introduces or makes worse than the same file at the base commit; older ones are listed, not blocking.</summary>
    New,

    /// <summary>Every finding in the Dockerfiles the pull request changes, old or new.</summary>
    All,
}

/// <summary>
/// A repository's <c>.github/reviewbot.yml</c> (also <c>reviewbot scan --config FILE</c>).
/// Build it with <see cref="Parse"/>; <see cref="Default"/> is what a repository without a file gets.
/// </summary>
public sealed record RepositoryConfig
{
    /// <summary>Where the App looks for the file in a repository.</summary>
    public const string RepositoryPath = ".github/reviewbot.yml";

    public static RepositoryConfig Default { get; } = new();

    /// <summary>Rule ids that do not run (upper case).</summary>
    public ImmutableHashSet<string> DisabledRules { get; init; } = ImmutableHashSet.Create<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per-rule severity overrides, keyed by rule id.</summary>
    public ImmutableDictionary<string, Severity> SeverityOverrides { get; init; } = ImmutableDictionary.Create<string, Severity>(StringComparer.OrdinalIgnoreCase);

    public string FixUser { get; init; } = AnalyzerOptions.Default.UserName;

    public string FixGroup { get; init; } = AnalyzerOptions.Default.GroupName;

    public int FixUid { get; init; } = AnalyzerOptions.Default.Uid;

    public int FixGid { get; init; } = AnalyzerOptions.Default.Gid;

    /// <summary>Fixed uid/gid and <c>USER uid:gid</c> (what Kubernetes <c>runAsNonRoot</c> can verify).</summary>
    public bool FixNumeric { get; init; } = AnalyzerOptions.Default.Numeric;

    /// <summary>Add <c>--chown</c> to application COPY/ADD.</summary>
    public bool FixChown { get; init; } = AnalyzerOptions.Default.Chown;

    /// <summary><c>fix.openshift</c>: fixes that run under OpenShift's arbitrary uid in group 0 (see <see cref="AnalyzerOptions.OpenShift"/>).</summary>
    public bool FixOpenShift { get; init; } = AnalyzerOptions.Default.OpenShift;

    /// <summary>Extra globs (relative to the repository root) whose files are Dockerfiles.</summary>
    public ImmutableArray<PathGlob> Include { get; init; } = [];

    /// <summary>Globs whose files are never analyzed, even when their name is a Dockerfile name.</summary>
    public ImmutableArray<PathGlob> Exclude { get; init; } = [];

    public ReviewEvent ReviewEvent { get; init; } = ReviewEvent.Comment;

    /// <summary>Whether draft pull requests are reviewed.</summary>
    public bool ReviewDrafts { get; init; } = true;

    /// <summary>The check's conclusion when an error-level finding remains (<c>check.conclusion_on_error</c>).</summary>
    public ErrorConclusion ConclusionOnError { get; init; } = ErrorConclusion.Failure;

    /// <summary>
    /// The check's conclusion when the review could not finish or not every Dockerfile was checked
    /// (<c>check.on_error</c>). Failure by default, so branch protection never passes what nobody checked;
    /// read at the base commit only, so a pull request cannot opt itself out.
    /// </summary>
    public ErrorConclusion OnError { get; init; } = ErrorConclusion.Failure;

    /// <summary>
    /// Which pragmas suppress a finding in a review (<c>check.suppressions</c>): any by default, or only those the base
    /// branch's version of the file already has, so a pull request cannot silence its own gate. Read from the base only.
    /// </summary>
    public SuppressionPolicy Suppressions { get; init; } = SuppressionPolicy.Any;

    /// <summary>
    /// Which findings fail a pull request's check (<c>check.fail_on</c>): by default only those it introduces or makes
    /// worse (old debt is the onboarding pull request's and the default branch's check's), or all of them. Read from the
    /// base only, so a pull request cannot loosen its own gate; the default branch's check always counts every finding.
    /// </summary>
    public FailOn FailOn { get; init; } = FailOn.New;

    /// <summary>
    /// Whether the App may open its one onboarding pull request ("Run containers as a non-root user") in this
    /// repository (<c>onboarding</c>). Read from the default branch; the App's own switch must be on too.
    /// </summary>
    public bool Onboarding { get; init; } = true;

    /// <summary>
    /// What the organisation's own base images run as (<c>images:</c>); first match wins, over the registry and
    /// images.json. After <see cref="ParseMerged"/>, the organisation's entries come first.
    /// </summary>
    public ImmutableArray<ImageDeclaration> Images { get; init; } = [];

    /// <summary>
    /// <c>built_images</c>: the image each listed Dockerfile builds, so a Kubernetes manifest or Helm values that run
    /// that image (tag and digest aside) are judged against that Dockerfile's USER (RB008). Compose's <c>build:</c> needs none.
    /// </summary>
    public ImmutableArray<BuiltImageDeclaration> BuiltImages { get; init; } = [];

    /// <summary>Parses the YAML text. Never throws: problems become <see cref="RepositoryConfigResult.Errors"/> and the setting keeps its default.</summary>
    public static RepositoryConfigResult Parse(string yaml) => RepositoryConfigParser.Parse(yaml);

    /// <summary>
    /// The repository's config merged over the organisation's (its <c>.github</c> repository's
    /// <c>.github/reviewbot.yml</c>), key by key: a section's key the repository sets replaces the organisation's,
    /// and <c>images:</c> is the organisation's entries followed by the repository's, so a repository can add images
    /// but never drop or override one its organisation declared. Errors of either file are reported, prefixed.
    /// </summary>
    public static RepositoryConfigResult ParseMerged(string? organisationYaml, string? repositoryYaml) =>
        RepositoryConfigParser.ParseMerged(organisationYaml, repositoryYaml);

    public AnalyzerOptions ToAnalyzerOptions() => new()
    {
        Images = Images.IsEmpty ? ImageFacts.None : new ImageFacts { Declarations = Images },
        UserName = FixUser,
        GroupName = FixGroup,
        Uid = FixUid,
        Gid = FixGid,
        Numeric = FixNumeric,
        Chown = FixChown,
        OpenShift = FixOpenShift,
        DisabledRules = DisabledRules,
    };

    /// <summary>
    /// The one way every caller (a review, a scan, onboarding) analyzes a text under this config: <paramref name="options"/>
    /// are <see cref="ToAnalyzerOptions"/> with the caller's facts about the file added, and the findings returned are
    /// those the repository wants (<see cref="Apply"/>). <paramref name="analyze"/>: the engine's front door for the
    /// file's kind (a manifest's, or a test's), the Dockerfile analyzer by default.
    /// </summary>
    public AnalysisResult AnalyzeWithConfig(string text, AnalyzerOptions options, Func<string, AnalyzerOptions, AnalysisResult>? analyze = null)
    {
        var result = (analyze ?? DockerfileAnalyzer.Analyze)(text, options);
        // Without disabled rules or overrides (most repositories) Apply changes nothing: no copy of every file's result.
        return DisabledRules.IsEmpty && SeverityOverrides.IsEmpty ? result : result with { Findings = Apply(result.Findings) };
    }

    /// <summary>The finding's severity after the repository's override for its rule, if any.</summary>
    public Severity ApplySeverity(Finding finding) =>
        !finding.Rule.CannotBeSilenced && SeverityOverrides.TryGetValue(finding.RuleId, out var severity) ? severity : finding.Severity;

    /// <summary>
    /// The findings the repository wants: disabled rules dropped (in case a caller analyzed without
    /// <see cref="ToAnalyzerOptions"/>) and severities overridden. A finding whose severity stays is kept as it is.
    /// </summary>
    public ImmutableArray<Finding> Apply(IEnumerable<Finding> findings) =>
        [.. findings.Where(f => f.Rule.CannotBeSilenced || !DisabledRules.Contains(f.RuleId)).Select(f => ApplySeverity(f) is var severity && severity != f.Severity ? f with { Severity = severity } : f)];

    /// <summary>
    /// True when the file at <paramref name="path"/> (relative to the repository root, / or \ separators)
    /// is analyzed: its name is a Dockerfile name or it matches an include glob, and no exclude glob matches it.
    /// </summary>
    /// <param name="named">Paths a compose file or devcontainer.json names as Dockerfiles: Dockerfiles whatever their names.</param>
    public bool IsIncluded(string path, IReadOnlySet<string>? named = null)
    {
        var normalized = PathGlob.Normalize(path);
        return (DockerfileNames.IsDockerfile(normalized) || Include.Any(g => g.IsMatch(normalized)) || named?.Contains(normalized) == true)
            && !IsExcluded(normalized);
    }

    /// <summary>True when an exclude glob matches <paramref name="path"/>: never analyzed, and as a compose file or devcontainer.json never read.</summary>
    public bool IsExcluded(string path)
    {
        var normalized = PathGlob.Normalize(path);
        return Exclude.Any(g => g.IsMatch(normalized));
    }
}

/// <summary>A parsed config and every problem found in the text (empty when the file is valid).</summary>
public sealed record RepositoryConfigResult(RepositoryConfig Config, ImmutableArray<string> Errors)
{
    public bool IsValid => Errors.IsEmpty;
}

/// <summary>A Dockerfile of the repository (its path from the root) and the image name manifests run it as.</summary>
public sealed record BuiltImageDeclaration(string Dockerfile, string Image);
