namespace ReviewBot.GitHub;

/// <summary>
/// GitHub's own limits, each once, with where GitHub states it. Our own bounds (pages read, bytes per query, files
/// per review) are not here but beside the code they bound, named as ours.
/// </summary>
public static class GitHubLimits
{
    /// <summary>
    /// Items per page of a REST list: GitHub's <c>per_page</c> parameter, "The number of results per page (max 100)"
    /// (docs.github.com, "Using pagination in the REST API").
    /// </summary>
    public const int PageSize = 100;

    /// <summary>
    /// Changed files in one comparison: "the list of changed files is only shown on the first page of results, and it
    /// includes up to 300 changed files for the entire comparison" (REST, "Compare two commits"). A list this long may
    /// have been cut off.
    /// </summary>
    public const int ComparedFiles = 300;

    /// <summary>
    /// The text of a Blob through GraphQL: GitHub sends at most this many bytes of it and sets <c>isTruncated</c>
    /// (GraphQL reference, object <c>Blob</c>: <c>text</c>, <c>isTruncated</c>; the cut is at 512,000 bytes, as GitHub
    /// answers). A longer file is read whole through REST's raw contents.
    /// </summary>
    public const long GraphQLBlobTextBytes = 512_000;

    /// <summary>
    /// Characters in the body of a pull request, a review or a review comment; longer is refused with 422 "Body is too
    /// long (maximum is 65536 characters)" (GitHub's validation error for issue, pull request and comment bodies).
    /// </summary>
    public const int BodyLength = 65_536;

    /// <summary>A check run's <c>output.summary</c>: "Maximum length: 65535 characters" (REST, "Create a check run").</summary>
    public const int CheckRunSummaryLength = 65_535;

    /// <summary>A check run's <c>output.title</c> and an annotation's <c>title</c>: 255 characters (REST, "Create a check run").</summary>
    public const int CheckRunTitleLength = 255;

    /// <summary>An annotation's <c>message</c>: "Maximum length: 64 KB" (REST, "Create a check run").</summary>
    public const int AnnotationMessageLength = 64 * 1024;

    /// <summary>
    /// Annotations per create or update of a check run: "The Checks API limits the number of annotations to a maximum of
    /// 50 per API request"; more are sent in further updates, which GitHub appends (REST, "Update a check run").
    /// </summary>
    public const int AnnotationsPerRequest = 50;

    /// <summary>
    /// GitHub's secondary rate limit: "No more than 80 content-generating requests per minute" (docs.github.com,
    /// "Rate limits for the REST API", secondary rate limits).
    /// </summary>
    public const int ContentCreatingRequestsPerMinute = 80;

    /// <summary>The same page: "no more than 500 content-generating requests per hour".</summary>
    public const int ContentCreatingRequestsPerHour = 500;

    /// <summary>
    /// An installation's primary rate limit, when an answer does not say (no <c>x-ratelimit-limit</c>): "at least 5,000
    /// requests per hour" for a GitHub App installation, REST and GraphQL (points) alike ("Rate limits for the REST API").
    /// </summary>
    public const int InstallationRequestsPerHour = 5_000;

    /// <summary>
    /// A secondary rate limit answer without <c>retry-after</c> or <c>x-ratelimit-reset</c>: "wait for at least one
    /// minute before retrying" ("Rate limits for the REST API", exceeding the rate limit).
    /// </summary>
    public static readonly TimeSpan SecondaryRateLimitWait = TimeSpan.FromMinutes(1);
}
