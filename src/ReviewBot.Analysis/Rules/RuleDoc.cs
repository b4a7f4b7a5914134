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
        text.Append("## Example\n\n```").Append(rule.ExampleLanguage).Append('\n').Append(rule.Example).Append("\n```\n\n");
        if (rule.Details is { } details)
        {
            text.Append("## How it decides\n\n").Append(details).Append("\n\n");
        }

        text.Append("## Fix\n\n").Append(rule.FixText).Append("\n\n");
        text.Append("## Suppress\n\n");
        if (rule.CannotBeSilenced)
        {
            text.Append("This rule cannot be suppressed: no comment in the file, and no `rules.disable` or `rules.severity` in `.github/reviewbot.yml`, turns it off. The file's own author could write any of them, and the gate would pass a file nobody checked.\n");
            return text.ToString();
        }

        if (rule.ExampleLanguage != "dockerfile")
        {
            text.Append("A manifest holds no ReviewBot pragmas: `rules: { disable: [").Append(rule.Id).Append("] }` or `rules: { severity: { ").Append(rule.Id).Append(": notice } }` in the base branch's `.github/reviewbot.yml` turns it off or down.\n");
            return text.ToString();
        }

        text.Append("Put one of these comments on the line before the instruction, or at the top of the file for the whole file (the peers' pragmas for the same problem are honoured too):\n\n```dockerfile\n")
            .AppendJoin('\n', Suppressions(rule)).Append("\n```\n\n");
        text.Append("A suppression is never silent: the review's check and its body list each suppressed finding with its pragma and whether the pull request added it. ")
            .Append("With `check: { suppressions: base }` in the base branch's `.github/reviewbot.yml`, only pragmas already in the base branch's version of the file count; one a pull request adds is ignored, and the finding counts.\n");
        return text.ToString();
    }

    /// <summary>The comments that silence the rule: ours, then each peer linter's own pragma for the same problem.</summary>
    public static IEnumerable<string> Suppressions(RuleDescriptor rule) =>
        [$"# reviewbot ignore={rule.Id}", .. rule.PeerIds.Select(Pragma)];

    private static string Pragma(string peerId) => peerId switch
    {
        _ when peerId.StartsWith("DL", StringComparison.Ordinal) => $"# hadolint ignore={peerId}",
        _ when peerId.StartsWith("CKV", StringComparison.Ordinal) => $"# checkov:skip={peerId}",
        _ => $"# trivy:ignore:{peerId}",
    };
}
