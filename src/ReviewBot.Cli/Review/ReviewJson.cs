using System.Text.Json;
using System.Text.Json.Serialization;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Review;

namespace ReviewBot.Cli.Review;

/// <summary>
/// The plan as JSON, version 1, in GitHub's own field names (snake_case): the review's comments carry
/// what <c>POST …/pulls/{n}/reviews</c> takes (path, line, side, start_line, start_side, body).
/// </summary>
public static class ReviewJson
{
    public const int FormatVersion = 1;

    public static void Write(ReviewPlan plan, ReviewRange range, TextWriter output)
    {
        var document = new JsonReviewPlan(
            FormatVersion,
            range.Base,
            range.Head,
            ReviewMarkdown.ReviewEventName(plan),
            plan.Body,
            [.. plan.Comments.Select(Comment)],
            [.. plan.Overflow.Select(Comment)],
            [.. plan.FileComments.Select(f => new JsonFileComment(f.Path, f.Body, "file", f.Fingerprints))],
            new JsonCheckRun(
                CheckRunPlan.Name,
                ReviewMarkdown.ConclusionName(plan.Check.Conclusion),
                plan.Check.Title,
                plan.Check.Summary,
                [.. plan.Check.Annotations.Select(a => new JsonAnnotation(a.Path, a.StartLine, a.EndLine, a.Level.ToString().ToLowerInvariant(), a.Title, a.Message))]));
        output.WriteLine(JsonSerializer.Serialize(document, ReviewPlanJsonContext.Default.JsonReviewPlan));
    }

    private static JsonComment Comment(InlineComment c) => new(
        c.Path,
        c.Line,
        "RIGHT",
        c.StartLine,
        c.StartLine is null ? null : "RIGHT",
        c.Body,
        c.RuleId,
        c.Severity.ToString().ToLowerInvariant(),
        c.Fingerprint,
        c.Suggestion is { } lines ? [.. lines] : null);
}

public sealed record JsonReviewPlan(
    int Version,
    string Base,
    string Head,
    string Event,
    string Body,
    IReadOnlyList<JsonComment> Comments,
    IReadOnlyList<JsonComment> Overflow,
    IReadOnlyList<JsonFileComment> FileComments,
    JsonCheckRun Check);

/// <summary>An inline comment; <see cref="StartLine"/> and <see cref="StartSide"/> are left out for one line, as GitHub wants.</summary>
public sealed record JsonComment(string Path, int Line, string Side, int? StartLine, string? StartSide, string Body, string RuleId, string Severity, string Fingerprint, IReadOnlyList<string>? Suggestion);

public sealed record JsonFileComment(string Path, string Body, string SubjectType, IReadOnlyList<string> Fingerprints);

public sealed record JsonCheckRun(string Name, string Conclusion, string Title, string Summary, IReadOnlyList<JsonAnnotation> Annotations);

public sealed record JsonAnnotation(string Path, int StartLine, int EndLine, string AnnotationLevel, string Title, string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonReviewPlan))]
internal sealed partial class ReviewPlanJsonContext : JsonSerializerContext;
