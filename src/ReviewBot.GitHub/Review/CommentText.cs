using System.Text;
using ReviewBot.Analysis;

namespace ReviewBot.GitHub.Review;

/// <summary>
/// The words of our comments, in one voice: a headline (rule id and title, then the fact), what to do (the
/// suggestion with its one-line description, or the advice), and the why, the rule's doc and how to silence it
/// folded in a <c>&lt;details&gt;</c> so a busy reader sees the headline and the fix first.
/// </summary>
public static class CommentText
{
    /// <summary>The pragma the engine honours on the line above an instruction.</summary>
    public static string SuppressionPragma(string ruleId) => $"# reviewbot ignore={ruleId}";

    /// <summary>How a comment on a problem the base commit already had begins: it does not block, but its fix is offered while the author is in the file.</summary>
    public const string AlreadyThereLabel = "*Already there before this pull request* (not blocking with `check.fail_on: new`):";

    /// <param name="note">Markdown of ours, shown after the fix (anything quoted in it is already made safe).</param>
    /// <param name="preExisting">The base commit's version of the file already had this problem: the comment says so first.</param>
    public static string Inline(Finding finding, IReadOnlyList<string>? suggestion, string fingerprint, string docsBaseUrl, string? note = null, bool preExisting = false)
    {
        var text = new StringBuilder();
        if (preExisting)
        {
            text.Append(AlreadyThereLabel).Append(' ');
        }

        text.Append(Headline(finding)).Append("\n\n");
        if (suggestion is not null && finding.Fix is { } fix)
        {
            text.Append(Markdown.Prose(fix.Description)).Append('\n');
            text.Append(MarkdownFence.Block("suggestion", string.Join('\n', suggestion) + (suggestion.Count > 0 ? "\n" : ""))).Append('\n');
        }
        else if (WhatToDo(finding) is { } advice)
        {
            text.Append(Markdown.Prose(advice)).Append("\n\n");
        }

        if (note is not null)
        {
            text.Append(note).Append("\n\n");
        }

        text.Append(Details(finding, docsBaseUrl)).Append('\n').Append(Fingerprint.Marker(fingerprint));
        return text.ToString();
    }

    /// <summary>What to do when no suggestion is shown: the finding's advice, else its fix's description; null when it has neither.</summary>
    public static string? WhatToDo(Finding finding) => finding.Advice ?? finding.Fix?.Description;

    /// <summary>
    /// Bold rule id and title, then the engine's message (which quotes the Dockerfile, so it goes through
    /// <see cref="Markdown.Prose(string, int)"/>): <c>**RB001 · Container runs as root** — no `USER` …</c>.
    /// </summary>
    public static string Headline(Finding finding) =>
        $"**{finding.RuleId} · {finding.Rule.Title}** — {Markdown.Prose(finding.Message)}";

    /// <summary>The why, the rule's doc and how to silence the rule, folded.</summary>
    public static string Details(Finding finding, string docsBaseUrl) =>
        $"<details><summary>Why this matters, and how to silence it</summary>\n\n{Markdown.Prose(Fingerprint.Normalize(finding.Rule.Why))}\n\n"
        + $"Rule: [{finding.RuleId} {finding.Rule.Name}]({DocUrl(finding, docsBaseUrl)}). {Silence(finding.RuleId)}\n\n</details>";

    /// <summary>How to silence one rule, with its real id.</summary>
    public static string Silence(string ruleId) =>
        $"Intended? Put `{SuppressionPragma(ruleId)}` on the line above the instruction, or disable {ruleId} under `rules:` in `.github/reviewbot.yml`.";

    public static string DocUrl(Finding finding, string docsBaseUrl) => DocUrl(finding.Rule, docsBaseUrl);

    public static string DocUrl(Analysis.Rules.RuleDescriptor rule, string docsBaseUrl) => docsBaseUrl.TrimEnd('/') + "/" + rule.DocPath;

    /// <summary>A rule's title inside a sentence: "container runs as root", "sudo in the image".</summary>
    public static string TitleInSentence(Analysis.Rules.RuleDescriptor rule) =>
        rule.Title.Length > 1 && char.IsUpper(rule.Title[0]) && char.IsLower(rule.Title[1]) ? char.ToLowerInvariant(rule.Title[0]) + rule.Title[1..] : rule.Title;
}
