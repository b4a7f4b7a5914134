using System.Text.RegularExpressions;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Rules;

/// <summary>
/// <c># reviewbot ignore=RB001[,RB004]</c> on the comment lines right above an instruction, or above the
/// first instruction for the whole file; the peers' pragmas for the matching rules:
/// <c># hadolint ignore=DL3002</c> (and <c>hadolint global ignore=</c>), <c># checkov:skip=CKV_DOCKER_3</c>
/// (file-wide, as checkov reads it) and <c># trivy:ignore:DS002</c>. Each id remembers the pragma that named it,
/// so a suppressed finding is reported with its pragma instead of vanishing.
/// </summary>
internal sealed partial class Suppressions
{
    /// <summary>The pragma that named an id, whether the base had it, and whether it is ignored (added, and only the base's count).</summary>
    internal sealed record Entry(Pragma Pragma, PragmaOrigin Origin, bool Ignored);

    // Made at the first pragma: most files have none, and every file made a set and a dictionary for nothing.
    private Dictionary<string, Entry>? _fileWide;
    private Dictionary<int, Dictionary<string, Entry>>? _byLine;

    /// <summary>The text of every pragma comment of <paramref name="document"/>, in line order (what a base version vouches for).</summary>
    internal static List<string> PragmaTexts(DockerfileDocument document)
    {
        var texts = new List<string>();
        foreach (int line in document.CommentLines)
        {
            var text = document.CommentText(line);
            if (MayBePragma(text) && text.ToString() is var pragma && Parse(pragma).Ids.Count > 0)
            {
                texts.Add(pragma);
            }
        }

        return texts;
    }

    /// <param name="baseline">The base version's pragmas; null when no base is compared.</param>
    /// <param name="baselineOnly">Only pragmas the baseline vouches for suppress (with no baseline, none does).</param>
    public static Suppressions Read(DockerfileDocument document, PragmaBaseline? baseline = null, bool baselineOnly = false)
    {
        var result = new Suppressions();
        if (document.CommentLines.IsEmpty)
        {
            return result;
        }

        var remaining = baseline?.Remaining();
        int firstInstruction = document.Instructions.IsEmpty ? int.MaxValue : document.Instructions[0].StartLine;
        // One forward sweep: comments come in line order, so the next instruction and the first line that is
        // neither blank nor a comment only move forward (50,000 pragma lines once took 15 s pairwise).
        var instructions = document.Instructions;
        int nextIndex = 0;
        int firstCode = 0; // the first line after the current comment that is neither blank nor a comment
        foreach (int line in document.CommentLines)
        {
            // Most comments are prose: only one that may hold a pragma becomes a string and meets the expressions.
            var text = document.CommentText(line);
            if (!MayBePragma(text))
            {
                continue;
            }

            var comment = new Comment(line, text.ToString());
            var (ids, fileWide) = Parse(comment.Text);
            if (ids.Count == 0)
            {
                continue;
            }

            // In line order, each base pragma of the same text vouches for one pragma here.
            var origin = PragmaOrigin.Unknown;
            if (remaining is not null)
            {
                var key = PragmaBaseline.Normalize(comment.Text);
                origin = remaining.TryGetValue(key, out int left) && left > 0 ? PragmaOrigin.Base : PragmaOrigin.Added;
                if (origin == PragmaOrigin.Base)
                {
                    remaining[key] = left - 1;
                }
            }

            var entry = new Entry(new Pragma(comment.Line, comment.Text), origin, baselineOnly && origin != PragmaOrigin.Base);

            // The instruction the comment belongs to: the next one, with only comments or blank lines between.
            while (nextIndex < instructions.Length && instructions[nextIndex].StartLine <= comment.Line)
            {
                nextIndex++;
            }

            int next = nextIndex < instructions.Length ? instructions[nextIndex].StartLine : 0;
            if (firstCode <= comment.Line)
            {
                firstCode = comment.Line + 1;
                while (firstCode <= document.LineCount && IsBlankOrComment(document.Line(firstCode)))
                {
                    firstCode++;
                }
            }

            bool adjacent = next != 0 && firstCode >= next;
            if (fileWide || (IsReviewBot(comment.Text) && comment.Line < firstInstruction))
            {
                Add(result._fileWide ??= new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase), ids, entry);
            }
            else if (adjacent)
            {
                var byLine = result._byLine ??= [];
                if (!byLine.TryGetValue(next, out var set))
                {
                    byLine[next] = set = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
                }

                Add(set, ids, entry);
            }
        }

        return result;
    }

    /// <summary>The first pragma naming each id stays, unless it is ignored and a later one is not.</summary>
    private static void Add(Dictionary<string, Entry> entries, List<string> ids, Entry entry)
    {
        foreach (var id in ids)
        {
            if (!entries.TryGetValue(id, out var existing) || (existing.Ignored && !entry.Ignored))
            {
                entries[id] = entry;
            }
        }
    }

    /// <summary>The finding suppressed by its pragma, or null when no pragma names it; an honoured pragma wins over an ignored one.</summary>
    public SuppressedFinding? Match(Finding finding) =>
        Pragma(finding.Rule, finding.Range.Start) is { } entry ? new SuppressedFinding(finding, entry.Pragma, entry.Origin, entry.Ignored) : null;

    /// <summary>
    /// The pragma that names <paramref name="rule"/> for a finding starting on <paramref name="line"/>, or null; an
    /// ignored one (under <c>check.suppressions: base</c>) silences nothing but is listed all the same.
    /// </summary>
    internal Entry? Pragma(RuleDescriptor rule, int line) =>
        Best(Find(_fileWide, rule), _byLine is { } byLine && byLine.TryGetValue(line, out var ids) ? Find(ids, rule) : null);

    private static Entry? Find(Dictionary<string, Entry>? ids, RuleDescriptor rule)
    {
        if (ids is null)
        {
            return null;
        }

        Entry? best = ids.GetValueOrDefault(rule.Id);
        best = Best(best, ids.GetValueOrDefault(rule.Name));
        foreach (var peer in rule.PeerIds)
        {
            best = Best(best, ids.GetValueOrDefault(peer));
        }

        return best;
    }

    private static Entry? Best(Entry? a, Entry? b) => a is null || (a.Ignored && b is { Ignored: false }) ? b : a;

    /// <summary>
    /// Whether a comment can match one of the pragma expressions: all but checkov's need "ignore", checkov's needs
    /// "checkov:". The letters tested ("gnore", "ov:") have no case variants beyond ASCII's, unlike i, k and s (İ, K
    /// for Kelvin, ſ), so an ordinal case-insensitive search finds every comment the case-insensitive expressions match.
    /// </summary>
    /// <remarks>
    /// Both words hold an "o", and only "o" and "O" are "o" ignoring case: one vectorised search for it, then a look
    /// around each one. Two case-insensitive searches (scalar code) per comment were 1.8% of a corpus scan's CPU.
    /// </remarks>
    internal static bool MayBePragma(ReadOnlySpan<char> comment)
    {
        for (int i = comment.IndexOfAny('o', 'O'); i >= 0;)
        {
            if ((i >= 2 && i + 3 <= comment.Length && comment.Slice(i - 2, 5).Equals("gnore", StringComparison.OrdinalIgnoreCase))
                || (i + 3 <= comment.Length && comment.Slice(i, 3).Equals("ov:", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            int next = comment[(i + 1)..].IndexOfAny('o', 'O');
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    private static (List<string> Ids, bool FileWide) Parse(string comment)
    {
        var ids = new List<string>();
        bool fileWide = false;
        var match = ReviewBotPragma().Match(comment);
        if (match.Success)
        {
            ids.AddRange(SplitIds(match.Groups["ids"].Value));
            return (ids, false);
        }

        match = HadolintPragma().Match(comment);
        if (match.Success)
        {
            ids.AddRange(SplitIds(match.Groups["ids"].Value));
            return (ids, match.Groups["global"].Success);
        }

        foreach (Match skip in CheckovPragma().Matches(comment))
        {
            ids.Add(skip.Groups["id"].Value);
            fileWide = true;
        }

        foreach (Match ignore in TrivyPragma().Matches(comment))
        {
            ids.Add(ignore.Groups["id"].Value);
        }

        return (ids, fileWide);
    }

    private static bool IsReviewBot(string comment) => ReviewBotPragma().IsMatch(comment);

    private static IEnumerable<string> SplitIds(string ids) =>
        ids.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsBlankOrComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length == 0 || trimmed[0] == '#';
    }

    [GeneratedRegex(@"^#\s*reviewbot\s+ignore\s*=\s*(?<ids>[\w,\s-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ReviewBotPragma();

    [GeneratedRegex(@"^#\s*hadolint\s+(?<global>global\s+)?ignore\s*=\s*(?<ids>[\w,\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex HadolintPragma();

    [GeneratedRegex(@"checkov:skip=(?<id>CKV_[A-Z0-9_]+)", RegexOptions.IgnoreCase)]
    private static partial Regex CheckovPragma();

    [GeneratedRegex(@"trivy:ignore:(?<id>[A-Z]+[-_]?[0-9]+)", RegexOptions.IgnoreCase)]
    private static partial Regex TrivyPragma();
}
