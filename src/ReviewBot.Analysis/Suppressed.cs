using System.Collections.Immutable;
using ReviewBot.Analysis.Rules;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis;

/// <summary>A suppression comment (<c># hadolint ignore=DL3002</c> …): its line and its text, from the <c>#</c>.</summary>
public sealed record Pragma(int Line, string Text);

/// <summary>Whether a pragma was already in the base version of the file.</summary>
public enum PragmaOrigin
{
    /// <summary>No base was compared (<c>reviewbot scan</c>).</summary>
    Unknown,

    /// <summary>The base version of the file holds the same pragma.</summary>
    Base,

    /// <summary>The change added it: the base version lacks it, or there is no base version (a new file).</summary>
    Added,
}

/// <summary>
/// A finding a pragma matched. Honoured, it is not among <see cref="AnalysisResult.Findings"/>; <see cref="Ignored"/>
/// (the change added the pragma and only the base's pragmas count), it is there as well.
/// </summary>
public sealed record SuppressedFinding(Finding Finding, Pragma Pragma, PragmaOrigin Origin, bool Ignored);

/// <summary>
/// The pragmas of the base version of a file, by content (normalized text, counted): lines shift, so a pragma is
/// matched by what it says, and each base pragma vouches for one pragma of the same text, so a copy of an existing
/// pragma pasted above another instruction is still an added one.
/// </summary>
public sealed class PragmaBaseline
{
    private readonly ImmutableDictionary<string, int> _counts;

    private PragmaBaseline(ImmutableDictionary<string, int> counts) => _counts = counts;

    /// <summary>A file with no base version (new in the change, or unreadable there): every pragma counts as added.</summary>
    public static PragmaBaseline Empty { get; } = new(ImmutableDictionary<string, int>.Empty);

    /// <summary>The pragmas of <paramref name="baseText"/>, the base version of the file.</summary>
    public static PragmaBaseline Of(string baseText)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in Suppressions.PragmaTexts(DockerfileDocument.Parse(baseText)))
        {
            var key = Normalize(text);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts.Count == 0 ? Empty : new(counts.ToImmutableDictionary(StringComparer.Ordinal));
    }

    /// <summary>How many pragmas of each normalized text the base holds; the caller spends them in line order.</summary>
    internal Dictionary<string, int> Remaining() => new(_counts, StringComparer.Ordinal);

    /// <summary>
    /// The text as compared: whitespace dropped and upper case, so re-indenting or re-spacing a pragma does not make
    /// it new (and a different rule id or tool always does).
    /// </summary>
    internal static string Normalize(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                result.Append(char.ToUpperInvariant(c));
            }
        }

        return result.ToString();
    }
}
