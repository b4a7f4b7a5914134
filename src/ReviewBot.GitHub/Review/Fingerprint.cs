using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.GitHub.Review;

/// <summary>
/// A finding's identity across pushes: (rule, path, normalized instruction text). Line numbers are left
/// out on purpose, so a finding that only moved keeps its fingerprint and is not posted again.
/// It travels hidden in every comment as <c>&lt;!-- reviewbot:fp=… --&gt;</c>.
/// </summary>
public static partial class Fingerprint
{
    private const string Prefix = "<!-- reviewbot:fp=";
    private const string Suffix = " -->";

    public static string Compute(string ruleId, string path, string normalizedText)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{ruleId.ToUpperInvariant()}\n{path}\n{normalizedText}"));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 10));
    }

    /// <summary>The fingerprint of a finding in a document.</summary>
    public static string Of(Finding finding, string path, DockerfileDocument document) =>
        Compute(finding.RuleId, path, InstructionText(finding, document));

    /// <summary>
    /// The text of the instructions the finding's range touches, whitespace and line continuations
    /// collapsed, so re-indenting or re-wrapping does not change it. Falls back to the message when the
    /// range touches no instruction (a whole-file finding).
    /// </summary>
    public static string InstructionText(Finding finding, DockerfileDocument document)
    {
        var range = finding.Range;

        // Instructions are in line order and do not overlap: a binary search finds the first one the range
        // touches, so 3,000 findings in a 3,000-instruction file cost 3,000 searches, not 9 million checks.
        var all = document.Instructions;
        int low = 0, high = all.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (all[middle].EndLine < range.Start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        var instructions = new List<Instruction>();
        for (int i = low; i < all.Length && all[i].StartLine <= range.End; i++)
        {
            instructions.Add(all[i]);
        }

        if (instructions.Count == 0)
        {
            return Normalize(finding.Message);
        }

        var text = new StringBuilder();
        foreach (var instruction in instructions)
        {
            for (int line = instruction.StartLine; line <= instruction.EndLine && line <= document.LineCount; line++)
            {
                text.Append(document.Line(line)).Append('\n');
            }
        }

        return Normalize(text.ToString());
    }

    /// <summary>Collapses every whitespace run (line breaks and line continuations included) to one space.</summary>
    public static string Normalize(string text) => Whitespace().Replace(Continuation().Replace(text, " "), " ").Trim();

    /// <summary>The hidden marker put at the end of a comment.</summary>
    public static string Marker(string fingerprint) => Prefix + fingerprint + Suffix;

    /// <summary>
    /// The fingerprints of the marker lines that end a comment body, where we write them. A marker anywhere
    /// else (quoted from a Dockerfile, a path or a message) is text, not a claim that a finding was posted.
    /// </summary>
    public static IEnumerable<string> Parse(string? body) => body is null ? [] : Split(body).Fingerprints;

    /// <summary>A body of ours cut into its text and the fingerprints of the marker lines that end it.</summary>
    public static (string Text, IReadOnlyList<string> Fingerprints) Split(string body)
    {
        var lines = body.TrimEnd().Split('\n');
        var found = new List<string>();
        int i = lines.Length - 1;
        for (; i >= 0 && MarkerLine().Match(lines[i].TrimEnd('\r')) is { Success: true } match; i--)
        {
            found.Add(match.Groups[1].Value);
        }

        found.Reverse();
        return (found.Count == 0 ? body : string.Join('\n', lines[..(i + 1)]) + "\n", found);
    }

    [GeneratedRegex(@"[\\`][ \t]*\r?\n")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>A whole line holding one marker: 10 bytes of SHA-256 in lowercase hex, as <see cref="Compute"/> writes it.</summary>
    [GeneratedRegex(@"\A<!-- reviewbot:fp=([0-9a-f]{20}) -->\z")]
    private static partial Regex MarkerLine();
}
