using System.Collections.Immutable;
using System.Text;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Api;

/// <summary>When GitHub refuses a review's inline comments (422), their content moves to file-level comments.</summary>
internal static class ReviewFallback
{
    public static string Explanation(int count) =>
        $"GitHub did not accept {count} inline {(count == 1 ? "comment" : "comments")} on this diff, so {(count == 1 ? "it is" : "they are")} posted as file comments instead.";

    public static ImmutableArray<FileComment> MoveToFileComments(IEnumerable<InlineComment> comments, ImmutableArray<FileComment> fileComments)
    {
        var result = fileComments.ToBuilder();
        foreach (var group in comments.GroupBy(c => c.Path, StringComparer.Ordinal))
        {
            var body = new StringBuilder();
            foreach (var comment in group)
            {
                var lines = comment.StartLine is { } start ? $"lines {start}-{comment.Line}" : $"line {comment.Line}";
                // A suggestion block only works inline; here it is shown as the replacement text.
                body.Append("**").Append(lines).Append("**: ")
                    .Append(comment.Body.Replace("suggestion\n", "dockerfile\n", StringComparison.Ordinal)).Append("\n\n");
            }

            var fingerprints = group.Select(c => c.Fingerprint).ToImmutableArray();
            int existing = result.FindIndex(f => f.Path == group.Key);
            if (existing >= 0)
            {
                var f = result[existing];
                result[existing] = f with { Body = body + f.Body, Fingerprints = [.. fingerprints, .. f.Fingerprints] };
            }
            else
            {
                result.Add(new FileComment(group.Key, body.ToString(), fingerprints));
            }
        }

        return result.ToImmutable();
    }

    private static int FindIndex(this ImmutableArray<FileComment>.Builder builder, Func<FileComment, bool> match)
    {
        for (int i = 0; i < builder.Count; i++)
        {
            if (match(builder[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
