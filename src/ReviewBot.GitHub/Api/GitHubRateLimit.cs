using System.Globalization;
using System.Net;

namespace ReviewBot.GitHub.Api;

/// <summary>
/// GitHub's one rule for "wait, then try again": Retry-After (429, 403 secondary limits, and 5xx), the primary
/// limit used up (x-ratelimit-remaining 0 until x-ratelimit-reset), and the secondary limit's message when no
/// header says how long (then at least a minute). A rate-limited request was not carried out, so waiting and
/// sending it again is safe for every method, POST included.
/// </summary>
internal static class GitHubRateLimit
{
    /// <summary>A 403's body is read to find the secondary limit's message; GitHub's error bodies are small.</summary>
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>How long GitHub asks us to wait before this request may be sent again; null when it is no rate limit.</summary>
    public static async ValueTask<TimeSpan?> WaitAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return RetryAfter(response, time) ?? RateLimitReset(response, time) ?? GitHubLimits.SecondaryRateLimitWait;
        }

        if (response.StatusCode != HttpStatusCode.Forbidden)
        {
            return null;
        }

        if (RetryAfter(response, time) is { } retryAfter)
        {
            return retryAfter;
        }

        if (response.Headers.TryGetValues("x-ratelimit-remaining", out var remaining) && remaining.FirstOrDefault() == "0")
        {
            return RateLimitReset(response, time) ?? GitHubLimits.SecondaryRateLimitWait;
        }

        return (await ErrorBodyAsync(response, cancellationToken).ConfigureAwait(false)).Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
            ? GitHubLimits.SecondaryRateLimitWait
            : null;
    }

    /// <summary>Retry-After as seconds or a date; GitHub also sends it with some 5xx.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
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

    /// <summary>The body of an error answer, buffered (so it can be read again) and capped.</summary>
    public static async Task<string> ErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return ""; // over the cap or cut off: not a message we can use
        }
    }

    public static TimeSpan? RateLimitReset(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.TryGetValues("x-ratelimit-reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(Math.Min(epoch, DateTimeOffset.MaxValue.ToUnixTimeSeconds())) - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
