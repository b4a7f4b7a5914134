using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReviewBot.GitHub.Review;

/// <summary>
/// When GitHub refuses a review's inline comments (422), their content moves into the file-level comments.
/// Each merged body keeps our rules: its fingerprint markers are the last lines (where
/// <see cref="Fingerprint.Parse"/> reads them), it fits <see cref="GitHubLimits.BodyLength"/>, and what
/// does not fit is counted, its fingerprints not claimed, so a later run comments on it.
/// </summary>
public static partial class InlineFallback
{
    /// <summary>Room kept for the "and N more" line.</summary>
    private const int Reserve = 1000;

    /// <summary>The line added to the review's body when its inline comments moved.</summary>
    public static string Explanation(int count) =>
        $"GitHub did not accept {count} inline {(count == 1 ? "comment" : "comments")} on this diff, so {(count == 1 ? "it is" : "they are")} posted as file comments instead.";

    public static ImmutableArray<FileComment> ToFileComments(IEnumerable<InlineComment> comments, ImmutableArray<FileComment> fileComments)
    {
        var result = fileComments.ToBuilder();
        foreach (var group in comments.GroupBy(c => c.Path, StringComparer.Ordinal))
        {
            int existing = -1;
            for (int i = 0; i < result.Count && existing < 0; i++)
            {
                existing = result[i].Path == group.Key ? i : -1;
            }

            var (tail, tailFingerprints) = existing >= 0 ? Fingerprint.Split(result[existing].Body) : ("", []);
            int markers = tailFingerprints.Sum(fp => Fingerprint.Marker(fp).Length + 1);
            var body = new StringBuilder();
            var moved = new List<string>();
            var left = new List<string>();
            foreach (var comment in group.OrderBy(c => c.FirstLine))
            {
                var part = Part(comment);
                int marker = Fingerprint.Marker(comment.Fingerprint).Length + 1;
                if (left.Count > 0 || body.Length + part.Length + tail.Length + markers + marker + Reserve > GitHubLimits.BodyLength)
                {
                    left.Add(comment.RuleId);
                    continue;
                }

                body.Append(part);
                markers += marker;
                moved.Add(comment.Fingerprint);
            }

            if (left.Count > 0)
            {
                body.Append(CultureInfo.InvariantCulture, $"And {Markdown.Count(left.Count)} more (a comment holds at most {Markdown.Count(GitHubLimits.BodyLength)} characters; a later run comments on them): {Markdown.Tally(left)}.\n\n");
            }

            ImmutableArray<string> fingerprints = [.. moved, .. tailFingerprints];
            body.Append(tail);
            foreach (var fp in fingerprints)
            {
                body.Append(Fingerprint.Marker(fp)).Append('\n');
            }

            var merged = new FileComment(group.Key, body.ToString(), fingerprints);
            if (existing >= 0)
            {
                result[existing] = merged;
            }
            else
            {
                result.Add(merged);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The comment under its line numbers, without its marker; a suggestion only works inline, so its fence becomes a plain one.</summary>
    private static string Part(InlineComment comment)
    {
        var lines = comment.StartLine is { } start ? $"lines {start}-{comment.Line}" : $"line {comment.Line}";
        var text = SuggestionFence().Replace(Fingerprint.Split(comment.Body).Text.TrimEnd(), "$1dockerfile", 1);
        return $"**{lines}**: {text}\n\n";
    }

    /// <summary>Our suggestion fence opener: a whole line of three or more backticks and the word (Dockerfile text never stands there, see <see cref="CommentText.Inline"/>).</summary>
    [GeneratedRegex(@"^(`{3,})suggestion$", RegexOptions.Multiline)]
    private static partial Regex SuggestionFence();
}
