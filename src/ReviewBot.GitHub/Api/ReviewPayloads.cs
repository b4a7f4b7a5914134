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

internal static class ReviewJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
