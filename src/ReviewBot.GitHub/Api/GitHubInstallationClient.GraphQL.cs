using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace ReviewBot.GitHub.Api;

/// <summary>GitHub's GraphQL API on the same token, pooled HttpClient and pipeline as the REST calls.</summary>
public sealed partial class GitHubInstallationClient
{
    /// <summary>GitHub's message list is quoted in ours; it is kept short.</summary>
    private const int MaxGraphQLMessageLength = 500;

    /// <summary>
    /// GitHub: the GraphQL endpoint is https://api.github.com/graphql, and {host}/api/graphql on GitHub Enterprise
    /// Server, whose REST root is {host}/api/v3/. Relative to the REST root, "../graphql" is both ("..": the root
    /// of api.github.com stays the root).
    /// </summary>
    internal const string GraphQLPath = "../graphql";

    /// <summary>
    /// Runs one GraphQL document with <paramref name="variables"/> (pull request text goes there, never into the
    /// document) and returns its data. A query is retried by the pipeline like a GET; a mutation never is (read it
    /// back before sending it again). An <c>errors</c> array throws <see cref="GitHubApiException"/>, or
    /// <see cref="GitHubRateLimitedException"/> when GitHub says RATE_LIMITED; so does data that is missing.
    /// </summary>
    public async Task<T> GraphQLAsync<T>(string document, JsonObject? variables, JsonTypeInfo<GraphQLResponse<T>> answer, CancellationToken cancellationToken)
    {
        var uri = new Uri(_http.BaseAddress, GraphQLPath);
        var json = JsonSerializer.Serialize(new GraphQLRequest(document, variables), GitHubJson.Default.GraphQLRequest);
        bool query = GraphQLOperation.IsQuery(document);
        using var response = await _http.SendAsync(
            () =>
            {
                var request = GitHubHttp.NewRequest(HttpMethod.Post, uri, json);
                request.Options.Set(GitHubRequest.SafeToRepeat, query);
                return request;
            },
            cancellationToken).ConfigureAwait(false);
        await _http.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var result = await GitHubHttp.ReadJsonAsync(response, answer, cancellationToken).ConfigureAwait(false);
        if (result.Errors is { Count: > 0 } errors)
        {
            if (errors.Any(e => e.Type == "RATE_LIMITED"))
            {
                throw new GitHubRateLimitedException(GitHubRateLimit.RateLimitReset(response, _time) ?? GitHubLimits.SecondaryRateLimitWait, (int)response.StatusCode);
            }

            var message = string.Join("; ", errors.Take(5).Select(e => $"{e.Type ?? "ERROR"}: {e.Message}"));
            throw new GitHubApiException((int)response.StatusCode, "GitHub's GraphQL API refused the request: "
                + (message.Length > MaxGraphQLMessageLength ? message[..MaxGraphQLMessageLength] + "…" : message));
        }

        return result.Data ?? throw new GitHubApiException((int)response.StatusCode, "GitHub's GraphQL answer has no data.");
    }
}
