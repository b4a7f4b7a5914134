using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ReviewBot.GitHub.Diff;

/// <summary>
/// The hunks of one file's unified diff as GitHub gives it in a pull request file's <c>patch</c>
/// (hunks only, no <c>diff --git</c>/<c>---</c>/<c>+++</c> header, though a header is tolerated).
/// </summary>
public sealed partial class FilePatch
{
    private FilePatch(ImmutableArray<DiffHunk> hunks) => Hunks = hunks;

    /// <summary>A patch with no hunks: nothing in the file can carry an inline comment.</summary>
    public static FilePatch Empty { get; } = new([]);

    public ImmutableArray<DiffHunk> Hunks { get; }

    /// <summary>
    /// Parses hunk headers <c>@@ -a,b +c,d @@</c> and checks each hunk's body against its counts.
    /// Throws <see cref="FormatException"/> when the text is not a unified diff, so a wrong placement
    /// (which GitHub would answer with 422) is never planned from a misread patch.
    /// </summary>
    public static FilePatch Parse(string? patch)
    {
        if (string.IsNullOrEmpty(patch))
        {
            return Empty;
        }

        var hunks = ImmutableArray.CreateBuilder<DiffHunk>();
        var lines = patch.Split('\n');
        int i = 0;
        while (i < lines.Length)
        {
            var line = lines[i].TrimEnd('\r');
            if (!line.StartsWith("@@", StringComparison.Ordinal))
            {
                if (hunks.Count == 0 && IsHeader(line))
                {
                    i++;
                    continue;
                }

                if (line.Length == 0 && i == lines.Length - 1)
                {
                    break; // the final newline
                }

                throw new FormatException($"Patch line {i + 1} is outside any hunk: '{Shorten(line)}'.");
            }

            var match = HunkHeader().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"Patch line {i + 1} is not a hunk header: '{Shorten(line)}'.");
            }

            var hunk = new DiffHunk(
                Number(match.Groups["os"]),
                match.Groups["oc"].Success ? Number(match.Groups["oc"]) : 1,
                Number(match.Groups["ns"]),
                match.Groups["nc"].Success ? Number(match.Groups["nc"]) : 1);
            i++;

            int oldSeen = 0, newSeen = 0;
            while (i < lines.Length && (oldSeen < hunk.OldCount || newSeen < hunk.NewCount || (i < lines.Length && lines[i].StartsWith('\\'))))
            {
                var body = lines[i];
                if (body.Length == 0 && i == lines.Length - 1)
                {
                    break;
                }

                switch (body.Length == 0 ? ' ' : body[0])
                {
                    case ' ':
                        oldSeen++;
                        newSeen++;
                        break;
                    case '-':
                        oldSeen++;
                        break;
                    case '+':
                        newSeen++;
                        break;
                    case '\\':
                        break; // "\ No newline at end of file"
                    default:
                        throw new FormatException($"Patch line {i + 1} is not a diff line: '{Shorten(body)}'.");
                }

                i++;
            }

            if (oldSeen != hunk.OldCount || newSeen != hunk.NewCount)
            {
                throw new FormatException(
                    $"Hunk @@ -{hunk.OldStart},{hunk.OldCount} +{hunk.NewStart},{hunk.NewCount} @@ has {oldSeen} old and {newSeen} new lines.");
            }

            hunks.Add(hunk);
        }

        return new FilePatch(hunks.ToImmutable());
    }

    /// <summary>The hunk holding new-side line <paramref name="line"/>, or null when the line is outside the diff.</summary>
    public DiffHunk? HunkOf(int line)
    {
        foreach (var hunk in Hunks)
        {
            if (hunk.ContainsNewLine(line))
            {
                return hunk;
            }
        }

        return null;
    }

    /// <summary>Whether a RIGHT-side comment may sit on <paramref name="line"/>.</summary>
    public bool IsCommentable(int line) => HunkOf(line) is not null;

    /// <summary>Whether lines <paramref name="start"/>..<paramref name="end"/> all lie in one hunk (a multi-line comment's rule).</summary>
    public bool InOneHunk(int start, int end) => HunkOf(start) is { } hunk && hunk.ContainsNewLine(end);

    private static bool IsHeader(string line) =>
        line.StartsWith("diff ", StringComparison.Ordinal) || line.StartsWith("index ", StringComparison.Ordinal)
        || line.StartsWith("--- ", StringComparison.Ordinal) || line.StartsWith("+++ ", StringComparison.Ordinal)
        || line.StartsWith("new file mode", StringComparison.Ordinal) || line.StartsWith("deleted file mode", StringComparison.Ordinal)
        || line.StartsWith("similarity index", StringComparison.Ordinal) || line.StartsWith("rename ", StringComparison.Ordinal)
        || line.StartsWith("old mode", StringComparison.Ordinal) || line.StartsWith("new mode", StringComparison.Ordinal);

    private static int Number(Group group) => int.Parse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";

    [GeneratedRegex(@"^@@ -(?<os>\d+)(,(?<oc>\d+))? \+(?<ns>\d+)(,(?<nc>\d+))? @@")]
    private static partial Regex HunkHeader();
}
