using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.Timeout;

namespace ReviewBot.GitHub.Api;

/// <summary>
/// One credential's calls to GitHub over the pooled HttpClient: the Authorization header on each request (a token
/// refused with 401 is dropped and fetched again, once), GitHub's answers read as source-generated JSON, pages
/// followed by the Link header, and every HTTP failure turned into <see cref="GitHubApiException"/>. Each answer's
/// rate-limit headers go to <paramref name="budget"/> (the credential's, shared), when there is one.
/// </summary>
internal sealed class GitHubHttp(HttpClient http, Func<CancellationToken, Task<AuthenticationHeaderValue>> credentials, Action invalidate, TimeProvider time, RateLimitBudget? budget = null)
{
    /// <summary>Our bound on pages of one list (10,000 items), so a list that never ends cannot keep a run busy.</summary>
    public const int MaxPages = 100;

    /// <summary>GitHub's error message is quoted in ours; it is kept short.</summary>
    private const int MaxMessageLength = 500;

    public Uri BaseAddress => http.BaseAddress!;

    public async Task<T> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        await SendAsync(method, path, (string?)null, answer, cancellationToken).ConfigureAwait(false);

    /// <param name="safeToRepeat">Sending it twice changes nothing, so the pipeline may resend it after a 5xx or no answer (<see cref="GitHubRequest.SafeToRepeat"/>).</param>
    public async Task<T> SendAsync<TBody, T>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> answer, CancellationToken cancellationToken, bool safeToRepeat = false) =>
        await SendAsync(method, path, JsonSerializer.Serialize(body, bodyType), answer, cancellationToken, safeToRepeat).ConfigureAwait(false);

    /// <summary>Sends the request (again after one token refresh on 401) and returns GitHub's answer, whatever its status.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            using var request = create();
            request.Headers.Authorization = await credentials(cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new GitHubApiException(0, $"GitHub could not be reached for {request.Method} {request.RequestUri?.AbsolutePath}: {e.Message}", e);
            }
            catch (Exception e) when (e is TimeoutRejectedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new GitHubApiException(0, $"GitHub did not answer {request.Method} {request.RequestUri?.AbsolutePath} in time.", e);
            }

            budget?.Observe(response);

            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                // The token was revoked or expired early. Get a new one, once.
                response.Dispose();
                invalidate();
                continue;
            }

            return response;
        }
    }

    /// <summary>Throws for anything but 2xx: <see cref="GitHubRateLimitedException"/> when GitHub asks to wait, else <see cref="GitHubApiException"/>.</summary>
    public async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        int status = (int)response.StatusCode;
        if (await GitHubRateLimit.WaitAsync(response, time, cancellationToken).ConfigureAwait(false) is { } wait)
        {
            throw new GitHubRateLimitedException(wait, status);
        }

        var body = await GitHubRateLimit.ErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        string? message = null;
        try
        {
            message = JsonSerializer.Deserialize(body, GitHubJson.Default.ErrorResponse)?.Message;
        }
        catch (JsonException)
        {
        }

        message = string.IsNullOrWhiteSpace(message) ? response.ReasonPhrase ?? "no message" : message;
        throw new GitHubApiException(status, message.Length > MaxMessageLength ? message[..MaxMessageLength] + "…" : message);
    }

    /// <summary>
    /// The items of every page of a list (<see cref="GitHubLimits.PageSize"/> per page) up to <paramref name="maxItems"/>, following
    /// GitHub's Link header (page numbers or cursors alike); <paramref name="enough"/>, when given, ends the list after
    /// a page whose items satisfy it (a list newest first, read back to a date).
    /// </summary>
    public async Task<List<TItem>> GetPagesAsync<TPage, TItem>(string path, JsonTypeInfo<TPage> pageType, Func<TPage, IEnumerable<TItem>> items, int maxItems, CancellationToken cancellationToken, Func<IReadOnlyList<TItem>, bool>? enough = null)
    {
        var result = new List<TItem>();
        Uri? next = new(BaseAddress, path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"per_page={GitHubLimits.PageSize}");
        for (int page = 0; next is not null && page < MaxPages && result.Count < maxItems; page++)
        {
            var uri = next;
            using var response = await SendAsync(() => NewRequest(HttpMethod.Get, uri, null), cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            var value = await ReadJsonAsync(response, pageType, cancellationToken).ConfigureAwait(false);
            var read = items(value).Take(maxItems - result.Count).ToList();
            result.AddRange(read);
            next = enough?.Invoke(read) == true ? null : NextPage(response);
        }

        return result;
    }

    public static HttpRequestMessage NewRequest(HttpMethod method, Uri uri, string? json)
    {
        var request = new HttpRequestMessage(method, uri);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, string? json, JsonTypeInfo<T> answer, CancellationToken cancellationToken, bool safeToRepeat = false)
    {
        var uri = new Uri(BaseAddress, path);
        using var response = await SendAsync(
            () =>
            {
                var request = NewRequest(method, uri, json);
                if (safeToRepeat)
                {
                    request.Options.Set(GitHubRequest.SafeToRepeat, true);
                }

                return request;
            },
            cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, answer, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new GitHubApiException((int)response.StatusCode, $"GitHub's answer to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} is not the JSON expected: {e.Message}", e);
        }
    }

    /// <summary>
    /// The Link header's rel="next", only when it stays inside the API root: the token goes with the request, so a
    /// link elsewhere is refused rather than followed.
    /// </summary>
    private Uri? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length < 2 || !parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) == "rel=\"next\"")
                || !parts[0].StartsWith('<') || !parts[0].EndsWith('>'))
            {
                continue;
            }

            if (Uri.TryCreate(parts[0][1..^1], UriKind.Absolute, out var next) && BaseAddress.IsBaseOf(next)
                && next.Scheme == BaseAddress.Scheme && next.Authority == BaseAddress.Authority)
            {
                return next;
            }

            throw new GitHubApiException((int)response.StatusCode, "GitHub's next-page link leaves the API root; it is not followed.");
        }

        return null;
    }
}
