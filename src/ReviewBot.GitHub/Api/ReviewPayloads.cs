using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReviewBot.GitHub.Api;

/// <summary>
/// Our own request records for reviews and file comments: Octokit 14's review types only know the
/// deprecated <c>position</c>, and we need <c>line</c>/<c>side</c>/<c>start_line</c>/<c>start_side</c>.
/// </summary>
internal sealed record ReviewRequest(string CommitId, string Body, string Event, IReadOnlyList<ReviewCommentRequest> Comments);

/// <summary>One inline comment; <see cref="StartLine"/> and <see cref="StartSide"/> are left out for a single line.</summary>
internal sealed record ReviewCommentRequest(string Path, string Body, int Line, string Side, int? StartLine, string? StartSide);

/// <summary>A file-level comment (POST /repos/{o}/{r}/pulls/{n}/comments with subject_type file).</summary>
internal sealed record FileCommentRequest(string Body, string CommitId, string Path, string SubjectType);

/// <summary>A reply in a review comment's thread.</summary>
internal sealed record ReplyRequest(string Body);

/// <summary>Source-generated, so the requests serialize the same with the JIT and in a Native AOT build of the CLI.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReviewRequest))]
[JsonSerializable(typeof(FileCommentRequest))]
[JsonSerializable(typeof(ReplyRequest))]
internal sealed partial class ReviewJson : JsonSerializerContext
{
    public static string Serialize(ReviewRequest value) => JsonSerializer.Serialize(value, Default.ReviewRequest);

    public static string Serialize(FileCommentRequest value) => JsonSerializer.Serialize(value, Default.FileCommentRequest);

    public static string Serialize(ReplyRequest value) => JsonSerializer.Serialize(value, Default.ReplyRequest);
}
