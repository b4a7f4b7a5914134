using System.Text;

namespace ReviewBot.Analysis.Rules;

/// <summary>A rule's documentation page (docs/rules/RBnnn.md), written from its descriptor so the two never drift.</summary>
public static class RuleDoc
{
    public static string Markdown(RuleDescriptor rule)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(rule.Id).Append(' ').Append(rule.Name).Append(": ").Append(rule.Title).Append("\n\n");
        text.Append("Severity: **").Append(rule.DefaultSeverity.ToString().ToLowerInvariant()).Append("**\n\n");
        text.Append("## Why\n\n").Append(rule.Why).Append("\n\n");
        text.Append("## Example\n\n```dockerfile\n").Append(rule.Example).Append("\n```\n\n");
        text.Append("## Fix\n\n").Append(rule.FixText).Append("\n\n");
        text.Append("## Suppress\n\n");
        text.Append("On the line before the instruction, or at the top of the file for the whole file:\n\n```dockerfile\n# reviewbot ignore=")
            .Append(rule.Id).Append("\n```\n");
        if (rule.PeerIds.Length > 0)
        {
            text.Append("\nThe peers' pragmas for the same problem are honoured too: ")
                .Append(string.Join(", ", rule.PeerIds.Select(Pragma))).Append(".\n");
        }

        return text.ToString();
    }

    private static string Pragma(string peerId) => peerId switch
    {
        _ when peerId.StartsWith("DL", StringComparison.Ordinal) => $"`# hadolint ignore={peerId}`",
        _ when peerId.StartsWith("CKV", StringComparison.Ordinal) => $"`# checkov:skip={peerId}`",
        _ => $"`# trivy:ignore:{peerId}`",
    };
}
