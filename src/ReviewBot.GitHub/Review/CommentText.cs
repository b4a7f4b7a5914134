using System.Text;
using ReviewBot.Analysis;

namespace ReviewBot.GitHub.Review;

/// <summary>The words of our comments: what is wrong and why, the fix, the rule's doc and how to suppress it.</summary>
public static class CommentText
{
    /// <summary>The pragma the engine honours on the line above an instruction.</summary>
    public static string SuppressionPragma(string ruleId) => $"# reviewbot ignore={ruleId}";

    /// <param name="note">Markdown of ours, shown after the fix (anything quoted in it is already made safe).</param>
    public static string Inline(Finding finding, IReadOnlyList<string>? suggestion, string fingerprint, string docsBaseUrl, string? note = null)
    {
        var text = new StringBuilder();
        text.Append(Headline(finding)).Append("\n\n");
        var why = FirstSentences(finding.Rule.Why, 2);
        if (why.Length > 0)
        {
            text.Append(why).Append("\n\n");
        }

        if (suggestion is not null && finding.Fix is { } fix)
        {
            text.Append(Markdown.Prose(fix.Description)).Append('\n');
            text.Append(MarkdownFence.Block("suggestion", string.Join('\n', suggestion) + (suggestion.Count > 0 ? "\n" : ""))).Append('\n');
        }

        if (note is not null)
        {
            text.Append(note).Append("\n\n");
        }

        text.Append(Footer(finding, docsBaseUrl)).Append('\n').Append(Fingerprint.Marker(fingerprint));
        return text.ToString();
    }

    /// <summary>Bold rule id and title, the severity, and the engine's message (which quotes the Dockerfile, so it goes through <see cref="Markdown.Prose(string, int)"/>).</summary>
    public static string Headline(Finding finding) =>
        $"**{finding.RuleId} · {finding.Rule.Title}** ({finding.Severity.ToString().ToLowerInvariant()}): {Markdown.Prose(finding.Message)}";

    public static string Footer(Finding finding, string docsBaseUrl) =>
        $"<sub>[{finding.RuleId} {finding.Rule.Name}]({DocUrl(finding, docsBaseUrl)}) · Intended? Put `{SuppressionPragma(finding.RuleId)}` on the line above the instruction, or disable {finding.RuleId} under `rules:` in `.github/reviewbot.yml`.</sub>";

    public static string DocUrl(Finding finding, string docsBaseUrl) => docsBaseUrl.TrimEnd('/') + "/" + finding.Rule.DocPath;

    /// <summary>Up to <paramref name="count"/> sentences of a text, on one line.</summary>
    public static string FirstSentences(string text, int count)
    {
        var flat = Fingerprint.Normalize(text);
        int end = 0;
        for (int found = 0; found < count; found++)
        {
            int next = flat.IndexOf(". ", end, StringComparison.Ordinal);
            if (next < 0)
            {
                return flat;
            }

            end = next + 1;
        }

        return flat[..end];
    }
}
