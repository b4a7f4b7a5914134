namespace ReviewBot.Analysis.Rules;

/// <summary>
/// A rule's identity and its documentation. The <see cref="Id"/> is a contract: CLI output, docs,
/// suppressions and the GitHub side all use it.
/// </summary>
/// <param name="Id">Stable identifier, e.g. RB001.</param>
/// <param name="DefaultSeverity">Severity unless a finding says otherwise.</param>
/// <param name="Title">One line, e.g. "Container runs as root".</param>
/// <param name="Name">Kebab-case name, e.g. root-user.</param>
/// <param name="Why">Why it matters, a few sentences.</param>
/// <param name="Example">A short Dockerfile that triggers it.</param>
/// <param name="FixText">What the fix does.</param>
/// <param name="PeerIds">Peer linters' ids whose suppression pragmas also silence this rule (DL3002, CKV_DOCKER_3 …).</param>
public sealed record RuleDescriptor(
    string Id,
    Severity DefaultSeverity,
    string Title,
    string Name,
    string Why,
    string Example,
    string FixText,
    params string[] PeerIds)
{
    /// <summary>
    /// True for a rule that guards the gate itself (RB007): no pragma, <c>rules.disable</c> or <c>rules.severity</c>
    /// changes it, since the author of the file under review could write any of them.
    /// </summary>
    public bool CannotBeSilenced { get; init; }

    /// <summary>How the rule decides where that is not obvious, as markdown paragraphs for its doc; null when there is nothing to add.</summary>
    public string? Details { get; init; }

    /// <summary>The language of <see cref="Example"/>'s fence: a Dockerfile, or a manifest's YAML.</summary>
    public string ExampleLanguage { get; init; } = "dockerfile";

    /// <summary>Path of the rule's doc inside the repository.</summary>
    public string DocPath => $"docs/rules/{Id}.md";
}
