namespace ReviewBot.GitHub.Api;

/// <summary>
/// GitHub refused a call (<see cref="StatusCode"/> is its HTTP status) or gave no answer (<see cref="StatusCode"/> 0:
/// connection error or timeout). With <see cref="GitHubRateLimitedException"/>, the only exception that leaves the
/// GitHub layer for an HTTP failure.
/// </summary>
public class GitHubApiException(int statusCode, string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>GitHub's HTTP status, or 0 when no answer came.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>
    /// The call may have reached GitHub and taken effect (no answer, or a 5xx): a create call must be read back
    /// before it is sent again.
    /// </summary>
    public bool Uncertain => StatusCode is 0 or >= 500;
}

/// <summary>
/// GitHub asked us to wait (rate limit) longer than <see cref="RetryPolicy.MaxWait"/>, or kept asking.
/// </summary>
public sealed class GitHubRateLimitedException(TimeSpan retryAfter, int statusCode = 429)
    : GitHubApiException(statusCode, $"GitHub rate limit: retry after {retryAfter.TotalSeconds:0} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
