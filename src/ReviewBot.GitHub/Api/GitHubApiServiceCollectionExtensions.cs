using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ReviewBot.GitHub.Api;

/// <summary>Where GitHub's API is and how hard to retry it.</summary>
public sealed record GitHubApiOptions
{
    /// <summary>github.com, a GitHub Enterprise Server host, or a fake (see <see cref="GitHubApiServiceCollectionExtensions.ApiRoot"/>).</summary>
    public Uri BaseUrl { get; init; } = new("https://api.github.com/");

    public RetryPolicy Retry { get; init; } = new();
}

/// <summary>
/// The one registration of GitHub I/O for the App and the CLI: a named HttpClient from IHttpClientFactory (pooled,
/// rotated handlers, never one per review), behind Microsoft.Extensions.Http.Resilience with GitHub's rules.
/// </summary>
public static class GitHubApiServiceCollectionExtensions
{
    public const string HttpClientName = "GitHub";

    /// <summary>GitHub: the REST API version every request names.</summary>
    public const string ApiVersion = "2022-11-28";

    /// <summary>GitHub requires a User-Agent on every request.</summary>
    public static readonly ProductInfoHeaderValue UserAgent = new("ReviewBot", "1.0");

    /// <summary>
    /// The one base-URL rule, for every call the App and the CLI make: github.com (or api.github.com) means
    /// https://api.github.com/; any other host is GitHub Enterprise Server (or a fake), whose REST API GitHub serves at
    /// <c>https://HOSTNAME/api/v3/</c> (GitHub Enterprise Server docs, "Getting started with the REST API").
    /// </summary>
    public static Uri ApiRoot(Uri baseUrl) =>
        baseUrl.Host is "github.com" or "api.github.com"
            ? new Uri("https://api.github.com/")
            : new Uri(baseUrl, new Uri("/api/v3/", UriKind.Relative));

    /// <summary>
    /// Registers <see cref="GitHubClients"/> (which makes the App and installation clients) on the named HttpClient
    /// <see cref="HttpClientName"/>. Its pipeline, outermost first: the whole call's timeout; one retry strategy that
    /// waits as GitHub asks on rate limits (any method: a rate-limited request was not carried out) and backs off on
    /// 5xx, 408, timeouts and connection errors only for requests that are safe to repeat (GET, HEAD, a check run's
    /// PATCH, a token request); each attempt's timeout, which also covers reading the answer's body.
    /// </summary>
    public static IServiceCollection AddGitHubApi(this IServiceCollection services, Func<IServiceProvider, GitHubApiOptions> options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GitHubApiOptions>(options);
        services.AddSingleton<GitHubClients>();
        services.AddTransient<ResponseBufferingHandler>();
        var client = services.AddHttpClient(HttpClientName, (sp, http) =>
            {
                http.BaseAddress = ApiRoot(sp.GetRequiredService<GitHubApiOptions>().BaseUrl);
                http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(GitHubMediaTypes.Json));
                http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", ApiVersion);
                http.DefaultRequestHeaders.UserAgent.Add(UserAgent);
                http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts bound every call
            });
        client.AddResilienceHandler("github", (builder, context) =>
            {
                var policy = context.ServiceProvider.GetRequiredService<GitHubApiOptions>().Retry;
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                builder.TimeProvider = time; // waits and timeouts on the registered clock, as the rate-limit rule reads it
                builder.AddTimeout(policy.CallTimeout);
                if (policy.MaxAttempts > 1)
                {
                    builder.AddRetry(RetryOptions(policy, time));
                }

                builder.AddTimeout(policy.AttemptTimeout);
            });

        // Added after the resilience handler, so inside it: the body is read within each attempt.
        client.AddHttpMessageHandler<ResponseBufferingHandler>();
        return services;
    }

    private static HttpRetryStrategyOptions RetryOptions(RetryPolicy policy, TimeProvider time) => new()
    {
        MaxRetryAttempts = policy.MaxAttempts - 1,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = policy.BaseDelay,
        ShouldRetryAfterHeader = false, // GitHubRateLimit reads Retry-After, with GitHub's other headers
        ShouldHandle = async args =>
        {
            if (args.Outcome.Result is { } response
                && await GitHubRateLimit.WaitAsync(response, time, args.Context.CancellationToken).ConfigureAwait(false) is { } wait)
            {
                // Beyond the longest wait, the answer goes back and the client throws GitHubRateLimitedException.
                return wait <= policy.MaxWait;
            }

            return GitHubRequest.IsSafeToRepeat(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome);
        },
        DelayGenerator = async args =>
        {
            if (args.Outcome.Result is not { } response)
            {
                return null; // exponential backoff
            }

            var wait = await GitHubRateLimit.WaitAsync(response, time, args.Context.CancellationToken).ConfigureAwait(false)
                ?? GitHubRateLimit.RetryAfter(response, time);
            return wait is { } w && w > policy.MaxWait ? policy.MaxWait : wait;
        },
    };
}

/// <summary>Makes the GitHub clients on the pooled HttpClient registered by <see cref="GitHubApiServiceCollectionExtensions.AddGitHubApi"/>.</summary>
public sealed class GitHubClients(IHttpClientFactory factory, GitHubApiOptions options, TimeProvider time)
{
    public RetryPolicy Policy => options.Retry;

    public TimeProvider Time => time;

    /// <summary>A client acting with a fixed token, such as GitHub Actions' GITHUB_TOKEN.</summary>
    public GitHubInstallationClient ForToken(ITokenSource tokens) => new(CreateHttpClient(), tokens, options.Retry, time);

    /// <summary>The GitHub App's client (JWT for /app calls, installation tokens for the rest).</summary>
    public GitHubAppClient ForApp(string appId, Auth.IRs256Signer signer) => new(this, appId, signer);

    /// <summary>Cheap: IHttpClientFactory hands out a new HttpClient over its pooled handler.</summary>
    internal HttpClient CreateHttpClient() => factory.CreateClient(GitHubApiServiceCollectionExtensions.HttpClientName);
}

/// <summary>Media types and per-request flags of our GitHub requests.</summary>
internal static class GitHubMediaTypes
{
    public const string Json = "application/vnd.github+json";

    /// <summary>Contents in raw form: files over 1 MB come back whole, without base64.</summary>
    public const string Raw = "application/vnd.github.raw";

    /// <summary>What GitHub answers for <see cref="Raw"/> (the older name is accepted too).</summary>
    public static bool IsRaw(string? mediaType) =>
        mediaType is Raw or "application/vnd.github.v3.raw";
}

internal static class GitHubRequest
{
    /// <summary>The answer's body is read by the caller (a file, with its own cap), not buffered by <see cref="ResponseBufferingHandler"/>.</summary>
    public static readonly HttpRequestOptionsKey<bool> Streamed = new("ReviewBot.GitHub.Streamed");

    /// <summary>A POST that is harmless to repeat (an installation token request).</summary>
    public static readonly HttpRequestOptionsKey<bool> SafeToRepeat = new("ReviewBot.GitHub.SafeToRepeat");

    /// <summary>
    /// Whether the request may be sent again after a 5xx or no answer: GET and HEAD; requests flagged
    /// <see cref="SafeToRepeat"/> (a check run's PATCH without annotations sets the same status and output again).
    /// Creating a review, a comment, a reply or a check run, or adding annotations (GitHub appends them), may have
    /// happened: those are read back by <see cref="GitHubInstallationClient"/> instead.
    /// </summary>
    public static bool IsSafeToRepeat(HttpRequestMessage? request) =>
        request is not null
        && (request.Method == HttpMethod.Get
            || request.Method == HttpMethod.Head
            || (request.Options.TryGetValue(SafeToRepeat, out var safe) && safe));
}

/// <summary>
/// Reads each answer's body inside its attempt, so a body that stalls midway times out and is retried like a
/// missing answer, and caps it, so a huge answer fails instead of filling memory.
/// </summary>
internal sealed class ResponseBufferingHandler : DelegatingHandler
{
    /// <summary>Our own cap: a page of 100 pull request files with their patches stays well below it.</summary>
    public const long MaxResponseBytes = 32L * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.Options.TryGetValue(GitHubRequest.Streamed, out var streamed) && streamed && response.IsSuccessStatusCode)
        {
            return response;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            int status = (int)response.StatusCode;
            response.Dispose();
            throw new GitHubApiException(status, $"GitHub's answer to {request.Method} {request.RequestUri?.AbsolutePath} is over {MaxResponseBytes} bytes.", e);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }
}
