using System.Globalization;
using System.Net;

namespace ReviewBot.GitHub.Api;

/// <summary>How hard to retry GitHub.</summary>
public sealed record RetryPolicy
{
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First backoff for 5xx and timeouts; doubled each attempt, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait for Retry-After or a rate-limit reset inside one run; longer waits fail the run, and the work item comes back later.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One attempt that takes longer than this is abandoned and retried as a timeout.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest one call may take across all its attempts and waits.</summary>
    public TimeSpan CallTimeout => (AttemptTimeout + MaxWait + (BaseDelay * Math.Pow(2, MaxAttempts))) * MaxAttempts;

    /// <summary>GitHub: when a secondary rate limit has no Retry-After, wait at least one minute.</summary>
    public static readonly TimeSpan SecondaryRateLimitDefaultWait = TimeSpan.FromMinutes(1);
}

/// <summary>Thrown when GitHub asks us to wait longer than <see cref="RetryPolicy.MaxWait"/>.</summary>
public sealed class GitHubRateLimitedException(TimeSpan retryAfter)
    : Exception($"GitHub rate limit: retry after {retryAfter.TotalSeconds:0} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Retries GitHub calls: 5xx, network errors and timeouts with exponential backoff; 429 and 403 rate
/// limits after the time GitHub gives (Retry-After, or x-ratelimit-reset when the quota is used up).
/// 401 and 422 are not retried here: they need a new token or a different request.
/// </summary>
public sealed class GitHubRetryHandler(RetryPolicy policy, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Buffer the body once, so every attempt sends the same bytes.
        byte[]? body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var contentHeaders = request.Content?.Headers.ToList();

        for (int attempt = 1; ; attempt++)
        {
            if (body is not null)
            {
                var content = new ByteArrayContent(body);
                foreach (var header in contentHeaders!)
                {
                    content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                request.Content = content;
            }

            HttpResponseMessage response;
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(policy.AttemptTimeout);
            try
            {
                response = await base.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);
                if (response.Content is not null)
                {
                    // Read the body inside the attempt, so a response that stalls midway is a timeout too.
                    await response.Content.LoadIntoBufferAsync(attemptTimeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or TimeoutException && attempt < policy.MaxAttempts)
            {
                await Task.Delay(Backoff(attempt), time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var wait = await RetryWaitAsync(response, attempt, cancellationToken).ConfigureAwait(false);
            if (wait is null || attempt >= policy.MaxAttempts)
            {
                return response;
            }

            if (wait > policy.MaxWait)
            {
                response.Dispose();
                throw new GitHubRateLimitedException(wait.Value);
            }

            response.Dispose();
            await Task.Delay(wait.Value, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TimeSpan?> RetryWaitAsync(HttpResponseMessage response, int attempt, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return RetryAfter(response) ?? Backoff(attempt);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return RetryAfter(response) ?? RateLimitReset(response) ?? RetryPolicy.SecondaryRateLimitDefaultWait;
        }

        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            if (RetryAfter(response) is { } retryAfter)
            {
                return retryAfter;
            }

            if (response.Headers.TryGetValues("x-ratelimit-remaining", out var remaining) && remaining.FirstOrDefault() == "0")
            {
                return RateLimitReset(response) ?? RetryPolicy.SecondaryRateLimitDefaultWait;
            }

            if (response.Content is not null)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (text.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase))
                {
                    return RetryPolicy.SecondaryRateLimitDefaultWait;
                }
            }
        }

        return null;
    }

    private TimeSpan Backoff(int attempt) =>
        policy.BaseDelay * Math.Pow(2, attempt - 1) * (0.8 + (Random.Shared.NextDouble() * 0.4));

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private TimeSpan? RateLimitReset(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("x-ratelimit-reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(epoch) - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
