using System.Text;
using ReviewBot.Analysis.Rules;

namespace ReviewBot.Cli.Output;

/// <summary>A rule's documentation as plain text, for <c>reviewbot rules ID</c> and SARIF help.</summary>
public static class RuleText
{
    public static string ToText(RuleDescriptor rule)
    {
        var text = new StringBuilder();
        text.Append($"{rule.Id} {rule.Name} ({Output.TextFormatter.SeverityName(rule.DefaultSeverity)})\n{rule.Title}\n\n");
        text.Append($"Why\n{Indent(rule.Why)}\n\n");
        text.Append($"Example\n{Indent(rule.Example)}\n\n");
        text.Append($"Fix\n{Indent(rule.FixText)}\n\n");
        text.Append("Suppress\n  Put one of these comments on the line before the instruction, or at the top of the file for the whole file:\n");
        foreach (var pragma in RuleDoc.Suppressions(rule))
        {
            text.Append($"    {pragma}\n");
        }

        return text.ToString();
    }

    private static string Indent(string text) => string.Join('\n', text.Trim('\n').Split('\n').Select(l => "  " + l.TrimEnd('\r')));
}
