using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Rules;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Output;

/// <summary>
/// SARIF 2.1.0 as GitHub code scanning takes it (https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
/// rules with help, results with regions relative to %SRCROOT% (the current folder, which is the repository
/// root in CI), stable partial fingerprints, and fixes as artifact changes.
/// </summary>
public sealed class SarifFormatter(IReadOnlyList<RuleDescriptor> catalog)
{
    public const string SrcRoot = "%SRCROOT%";

    /// <summary>Our fingerprint key; GitHub computes its own primaryLocationLineHash and keeps ours alongside.</summary>
    public const string FingerprintKey = "reviewbotFingerprint/v1";

    private const string StandardInputUri = "stdin";

    public void Write(ScanReport report, TextWriter output)
    {
        var rules = catalog.Concat(report.AllFindings.Select(f => f.Rule))
            .DistinctBy(r => r.Id)
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var ruleIndex = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);

        var results = new List<SarifResult>();
        var notifications = new List<SarifNotification>();
        foreach (var file in report.Files)
        {
            var location = ArtifactLocation(file, report.RootDirectory);
            if (file.ReadError is not null)
            {
                notifications.Add(new SarifNotification("error", new SarifMessage(file.ReadError), [new SarifLocation(new SarifPhysicalLocation(location, null))]));
            }

            foreach (var diagnostic in file.Diagnostics)
            {
                var region = diagnostic.Line > 0 ? new SarifRegion(diagnostic.Line, null, diagnostic.Line, null) : null;
                notifications.Add(new SarifNotification("warning", new SarifMessage(diagnostic.Message), [new SarifLocation(new SarifPhysicalLocation(location, region))]));
            }

            if (!file.Omitted.IsEmpty)
            {
                notifications.Add(new SarifNotification("note", new SarifMessage($"{file.OmittedCount:N0} more findings not reported (the per-file limit): {file.OmittedSummary}"), [new SarifLocation(new SarifPhysicalLocation(location, null))]));
            }

            var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var finding in file.Findings)
            {
                results.Add(new SarifResult(
                    finding.RuleId,
                    ruleIndex[finding.RuleId],
                    Level(finding.Severity),
                    new SarifMessage(Wording.PlainSentence(finding, finding.Fix is null ? finding.Advice : null)),
                    [new SarifLocation(new SarifPhysicalLocation(location, new SarifRegion(finding.Range.Start, null, finding.Range.End, null)))],
                    new Dictionary<string, string> { [FingerprintKey] = Fingerprint(file, finding, location.Uri, occurrences) },
                    finding.Fix is { Edits.IsEmpty: false } fix && file.Text is not null ? [ToSarif(fix, file.Text, location)] : null));
            }
        }

        var log = new SarifLog(
            "https://json.schemastore.org/sarif-2.1.0.json",
            "2.1.0",
            [new SarifRun(
                new SarifTool(new SarifDriver("ReviewBot", InformationUri, ToolVersion, [.. rules.Select(ToSarif)])),
                new Dictionary<string, SarifArtifactLocation> { [SrcRoot] = new(new Uri(Path.TrimEndingDirectorySeparator(report.RootDirectory) + Path.DirectorySeparatorChar).AbsoluteUri, null) },
                [new SarifInvocation(!report.HasReadErrors, notifications)],
                results,
                "utf16CodeUnits")]);
        output.WriteLine(JsonSerializer.Serialize(log, SarifJsonContext.Default.SarifLog));
    }

    /// <summary>
    /// The project's home (tool.driver.informationUri: Microsoft's SARIF validator warns without it), from the
    /// RepositoryUrl the CLI project sets, which the SDK stamps on the assembly as metadata.
    /// </summary>
    internal static string? InformationUri { get; } = typeof(SarifFormatter).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "RepositoryUrl" && Uri.IsWellFormedUriString(a.Value, UriKind.Absolute))?.Value?.TrimEnd('/');

    /// <summary>The rule's page in the repository (docs/rules is generated from the rules and checked by a test).</summary>
    private static string? HelpUri(RuleDescriptor rule) => InformationUri is null ? null : $"{InformationUri}/blob/main/docs/rules/{rule.Id}.md";

    private static string ToolVersion { get; } =
        (typeof(SarifFormatter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    public static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    /// <summary>
    /// GitHub ranks security alerts by <c>security-severity</c> (0-10: over 7 high, 4-7 medium, under 4 low).
    /// Running as root is a real privilege-escalation path, hence high for errors.
    /// </summary>
    private static string SecuritySeverity(Severity severity) => severity switch
    {
        Severity.Error => "7.5",
        Severity.Warning => "5.0",
        _ => "2.0",
    };

    private static SarifRule ToSarif(RuleDescriptor rule) => new(
        rule.Id,
        ToPascalCase(rule.Name),
        new SarifMessage(rule.Title),
        new SarifMessage(Wording.Plain(rule.Why.Trim())),
        new SarifHelp(RuleDoc.Markdown(rule), RuleDoc.Markdown(rule)),
        HelpUri(rule),
        new SarifConfiguration(Level(rule.DefaultSeverity)),
        new SarifRuleProperties(["security", "docker", "container", rule.Name], "high", SecuritySeverity(rule.DefaultSeverity)));

    /// <summary>SARIF's rule name is a PascalCase identifier ("RootUser").</summary>
    private static string ToPascalCase(string kebab) =>
        string.Concat(kebab.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static SarifArtifactLocation ArtifactLocation(FileReport file, string root)
    {
        if (file.FullPath is null)
        {
            return new SarifArtifactLocation(StandardInputUri, null);
        }

        var relative = Path.GetRelativePath(root, file.FullPath);
        if (Path.IsPathRooted(relative) || relative.StartsWith("..", StringComparison.Ordinal))
        {
            return new SarifArtifactLocation(new Uri(file.FullPath).AbsoluteUri, null);
        }

        var segments = relative.Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString);
        return new SarifArtifactLocation(string.Join('/', segments), SrcRoot);
    }

    /// <summary>
    /// Stable across unrelated edits: rule, file and the flagged lines' content (not their numbers), plus a
    /// counter for identical lines, so an alert survives lines moving up or down.
    /// </summary>
    private static string Fingerprint(FileReport file, Finding finding, string uri, Dictionary<string, int> occurrences)
    {
        var content = new StringBuilder();
        if (file.Text is not null)
        {
            var lines = LineTable.Split(file.Text);
            for (int line = finding.Range.Start; line <= finding.Range.End && line <= lines.Count; line++)
            {
                content.Append(lines[line - 1].Trim()).Append('\n');
            }
        }

        var key = $"{finding.RuleId}\0{uri}\0{content}";
        occurrences[key] = occurrences.TryGetValue(key, out var seen) ? seen + 1 : 0;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{key}\0{occurrences[key]}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>
    /// Each line edit becomes a replacement of whole lines. SARIF counts the text after the last line break as
    /// one more line, so "lines s..e" is the region from (s, 1) to (e + 1, 1); a last line with no line break
    /// ends at its last column instead.
    /// </summary>
    private static SarifFix ToSarif(Fix fix, string text, SarifArtifactLocation location)
    {
        var lines = LineTable.Split(text);
        var replacements = new List<SarifReplacement>();
        foreach (var edit in fix.Edits)
        {
            var inserted = edit.NewText;
            var (startLine, startColumn) = Position(lines, edit.StartLine);
            var (endLine, endColumn) = Position(lines, edit.EndLine + 1);
            bool lastLineUnterminated = lines.Count > 0 && !EndsWithNewLine(lines[^1]);
            if (edit.StartLine == lines.Count + 1 && lastLineUnterminated && inserted.Length > 0)
            {
                inserted = LineTable.DetectNewLine(text) + inserted; // as FixApplier does
            }

            replacements.Add(new SarifReplacement(new SarifRegion(startLine, startColumn, endLine, endColumn), new SarifContent(inserted)));
        }

        return new SarifFix(new SarifMessage(Wording.Plain(fix.Description)), [new SarifArtifactChange(location, replacements)]);
    }

    /// <summary>Where line <paramref name="line"/> starts; past the last line, the end of the text.</summary>
    private static (int Line, int Column) Position(List<string> lines, int line)
    {
        if (line <= lines.Count)
        {
            return (line, 1);
        }

        if (lines.Count == 0)
        {
            return (1, 1);
        }

        var last = lines[^1];
        return EndsWithNewLine(last) ? (lines.Count + 1, 1) : (lines.Count, last.Length + 1);
    }

    private static bool EndsWithNewLine(string line) => line.EndsWith('\n') || line.EndsWith('\r');
}
