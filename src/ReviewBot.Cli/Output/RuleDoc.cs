using System.Text;
using ReviewBot.Analysis.Rules;

namespace ReviewBot.Cli.Output;

/// <summary>A rule's documentation as plain text (for <c>reviewbot rules ID</c>) and as Markdown (for SARIF help).</summary>
public static class RuleDoc
{
    /// <summary>The suppression comment each peer linter uses, keyed by its id prefix; ReviewBot honors them for the matching rule.</summary>
    public static string PeerPragma(string peerId) => peerId switch
    {
        _ when peerId.StartsWith("DL", StringComparison.Ordinal) => $"# hadolint ignore={peerId}",
        _ when peerId.StartsWith("CKV", StringComparison.Ordinal) => $"# checkov:skip={peerId}",
        _ when peerId.StartsWith("DS", StringComparison.Ordinal) || peerId.StartsWith("AVD", StringComparison.Ordinal) => $"# trivy:ignore:{peerId}",
        _ => peerId,
    };

    public static IEnumerable<string> Suppressions(RuleDescriptor rule) =>
        [$"# reviewbot ignore={rule.Id}", .. rule.PeerIds.Select(PeerPragma)];

    public static string ToText(RuleDescriptor rule)
    {
        var text = new StringBuilder();
        text.Append($"{rule.Id} {rule.Name} ({Output.TextFormatter.SeverityName(rule.DefaultSeverity)})\n{rule.Title}\n\n");
        text.Append($"Why\n{Indent(rule.Why)}\n\n");
        text.Append($"Example\n{Indent(rule.Example)}\n\n");
        text.Append($"Fix\n{Indent(rule.FixText)}\n\n");
        text.Append("Suppress\n  Put one of these comments on the line before the instruction, or at the top of the file for the whole file:\n");
        foreach (var pragma in Suppressions(rule))
        {
            text.Append($"    {pragma}\n");
        }

        return text.ToString();
    }

    public static string ToMarkdown(RuleDescriptor rule)
    {
        var text = new StringBuilder();
        text.Append($"## {rule.Id} {rule.Name}: {rule.Title}\n\n");
        text.Append($"### Why\n\n{rule.Why.Trim()}\n\n");
        text.Append($"### Example\n\n```dockerfile\n{rule.Example.Trim('\n')}\n```\n\n");
        text.Append($"### Fix\n\n{rule.FixText.Trim()}\n\n");
        text.Append("### Suppress\n\nOn the line before the instruction, or at the top of the file for the whole file:\n\n```dockerfile\n");
        text.Append(string.Join('\n', Suppressions(rule))).Append("\n```\n");
        return text.ToString();
    }

    private static string Indent(string text) => string.Join('\n', text.Trim('\n').Split('\n').Select(l => "  " + l.TrimEnd('\r')));
}
