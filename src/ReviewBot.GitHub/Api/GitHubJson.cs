using System.Text.Json.Serialization;

namespace ReviewBot.GitHub.Api;

// Our own records for GitHub's JSON, only the fields we use. Octokit 14's review types only knew the deprecated
// `position` (we need line/side/start_line/start_side), and it read JSON by reflection, which Native AOT cannot do.

internal sealed record ReviewRequest(string CommitId, string Body, string Event, IReadOnlyList<ReviewCommentRequest> Comments);

/// <summary>One inline comment; <see cref="StartLine"/> and <see cref="StartSide"/> are left out for a single line.</summary>
internal sealed record ReviewCommentRequest(string Path, string Body, int Line, string Side, int? StartLine, string? StartSide);

/// <summary>A file-level comment (POST /repos/{o}/{r}/pulls/{n}/comments with subject_type file).</summary>
internal sealed record FileCommentRequest(string Body, string CommitId, string Path, string SubjectType);

/// <summary>A reply in a review comment's thread.</summary>
internal sealed record ReplyRequest(string Body);

/// <summary>POST /repos/{o}/{r}/check-runs. <see cref="ExternalId"/> is ours, so an uncertain create can be found again.</summary>
internal sealed record CheckRunCreateRequest(string Name, string HeadSha, string Status, string? Conclusion, string ExternalId, CheckRunOutputRequest Output);

/// <summary>PATCH /repos/{o}/{r}/check-runs/{id}.</summary>
internal sealed record CheckRunUpdateRequest(string? Status, string? Conclusion, CheckRunOutputRequest Output);

internal sealed record CheckRunOutputRequest(string Title, string Summary, IReadOnlyList<CheckRunAnnotationRequest>? Annotations);

internal sealed record CheckRunAnnotationRequest(string Path, int StartLine, int EndLine, string AnnotationLevel, string Message, string? Title);

internal sealed record IdResponse(long Id);

internal sealed record ErrorResponse(string? Message);

/// <summary>
/// POST /app/installations/{id}/access_tokens: the token, its expiry, and what it may do ("packages": "read"). Permissions
/// are read as JSON values: one that is not a string (a shape GitHub adds) must not fail every token.
/// </summary>
internal sealed record InstallationTokenResponse(string Token, DateTimeOffset ExpiresAt, Dictionary<string, System.Text.Json.JsonElement>? Permissions);

internal sealed record AppResponse(string Slug);

internal sealed record RefResponse(string? Sha, string? Ref, RepositoryResponse? Repo);

internal sealed record RepositoryResponse(string? FullName);

/// <summary>GET /repos/{o}/{r}/compare/{base}...{head}: only its files (the diff of the merge base and the head).</summary>
internal sealed record CompareResponse(IReadOnlyList<PullRequestFileResponse>? Files);

internal sealed record PullRequestResponse(int Number, string State, bool Draft, RefResponse Head, RefResponse Base);

internal sealed record PullRequestFileResponse(string Filename, string Status, string? Patch, string? PreviousFilename);

internal sealed record UserResponse(string? Login, string? Type);

internal sealed record ReviewCommentResponse(long Id, string? Body, long? InReplyToId, string? Path, UserResponse? User, long? PullRequestReviewId);

internal sealed record ReviewResponse(long Id, string? Body, string? CommitId, UserResponse? User);

internal sealed record CheckRunResponse(long Id, string? Name, string Status, string? Conclusion, string? ExternalId, CheckRunOutputResponse? Output = null);

internal sealed record CheckRunOutputResponse(int AnnotationsCount);

internal sealed record CheckRunListResponse(int TotalCount, IReadOnlyList<CheckRunResponse> CheckRuns);

/// <summary>Source-generated, so GitHub's JSON reads and writes the same with the JIT and in the Native AOT reviewbot.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReviewRequest))]
[JsonSerializable(typeof(FileCommentRequest))]
[JsonSerializable(typeof(ReplyRequest))]
[JsonSerializable(typeof(CheckRunCreateRequest))]
[JsonSerializable(typeof(CheckRunUpdateRequest))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(InstallationTokenResponse))]
[JsonSerializable(typeof(Auth.TokenRequest))]
[JsonSerializable(typeof(AppResponse))]
[JsonSerializable(typeof(PullRequestResponse))]
[JsonSerializable(typeof(List<PullRequestFileResponse>))]
[JsonSerializable(typeof(CompareResponse))]
[JsonSerializable(typeof(List<PullRequestResponse>))]
[JsonSerializable(typeof(List<ReviewCommentResponse>))]
[JsonSerializable(typeof(List<ReviewResponse>))]
[JsonSerializable(typeof(CheckRunListResponse))]
[JsonSerializable(typeof(CheckRunResponse))]
[JsonSerializable(typeof(GraphQLRequest))]
[JsonSerializable(typeof(TreeResponse))]
internal sealed partial class GitHubJson : JsonSerializerContext;
