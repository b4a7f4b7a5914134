using System.Text.Json.Serialization;

namespace ReviewBot.Cli.Output;

// The subset of SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) ReviewBot writes.

public sealed record SarifLog([property: JsonPropertyName("$schema")] string Schema, string Version, IReadOnlyList<SarifRun> Runs);

public sealed record SarifRun(
    SarifTool Tool,
    IReadOnlyDictionary<string, SarifArtifactLocation> OriginalUriBaseIds,
    IReadOnlyList<SarifInvocation> Invocations,
    IReadOnlyList<SarifResult> Results,
    string ColumnKind);

public sealed record SarifTool(SarifDriver Driver);

public sealed record SarifDriver(string Name, string? InformationUri, string SemanticVersion, IReadOnlyList<SarifRule> Rules);

public sealed record SarifRule(
    string Id,
    string Name,
    SarifMessage ShortDescription,
    SarifMessage FullDescription,
    SarifHelp Help,
    string? HelpUri,
    SarifConfiguration DefaultConfiguration,
    SarifRuleProperties Properties);

public sealed record SarifRuleProperties(
    IReadOnlyList<string> Tags,
    string Precision,
    [property: JsonPropertyName("security-severity")] string SecuritySeverity);

public sealed record SarifHelp(string Text, string Markdown);

public sealed record SarifConfiguration(string Level);

public sealed record SarifMessage(string Text);

public sealed record SarifInvocation(bool ExecutionSuccessful, IReadOnlyList<SarifNotification> ToolExecutionNotifications);

public sealed record SarifNotification(string Level, SarifMessage Message, IReadOnlyList<SarifLocation> Locations);

public sealed record SarifResult(
    string RuleId,
    int RuleIndex,
    string Level,
    SarifMessage Message,
    IReadOnlyList<SarifLocation> Locations,
    IReadOnlyDictionary<string, string> PartialFingerprints,
    IReadOnlyList<SarifFix>? Fixes);

public sealed record SarifLocation(SarifPhysicalLocation PhysicalLocation);

public sealed record SarifPhysicalLocation(SarifArtifactLocation ArtifactLocation, SarifRegion? Region);

public sealed record SarifArtifactLocation(string Uri, string? UriBaseId);

public sealed record SarifRegion(int StartLine, int? StartColumn, int? EndLine, int? EndColumn);

public sealed record SarifFix(SarifMessage Description, IReadOnlyList<SarifArtifactChange> ArtifactChanges);

public sealed record SarifArtifactChange(SarifArtifactLocation ArtifactLocation, IReadOnlyList<SarifReplacement> Replacements);

public sealed record SarifReplacement(SarifRegion DeletedRegion, SarifContent InsertedContent);

public sealed record SarifContent(string Text);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SarifLog))]
internal sealed partial class SarifJsonContext : JsonSerializerContext;
