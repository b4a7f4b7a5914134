using Octokit;
using Octokit.Internal;

namespace ReviewBot.GitHub.Api;

/// <summary>Where tokens come from: an App installation (refreshable) or a fixed token (GitHub Actions).</summary>
public interface ITokenSource
{
    Task<string> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>The token was refused (401): forget it, so the next call gets a new one.</summary>
    void Invalidate();
}

/// <summary>A token that never changes, such as GitHub Actions' GITHUB_TOKEN.</summary>
public sealed class StaticTokenSource(string token) : ITokenSource
{
    public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(token);

    public void Invalidate()
    {
    }
}

/// <summary>Builds Octokit clients that talk to the configured API base URL through <see cref="GitHubRetryHandler"/>.</summary>
public static class GitHubConnection
{
    public static readonly ProductHeaderValue UserAgent = new("ReviewBot", "1.0");

    /// <summary>
    /// Octokit's rule for base URLs: github.com means https://api.github.com/, any other host is GitHub
    /// Enterprise Server (or a fake) and gets the /api/v3/ prefix.
    /// </summary>
    public static Uri ApiRoot(Uri baseUrl) =>
        baseUrl.Host is "github.com" or "api.github.com"
            ? GitHubClient.GitHubApiUrl
            : new Uri(baseUrl, new Uri("/api/v3/", UriKind.Relative));

    public static GitHubClient Create(Uri baseUrl, Func<Task<Credentials>> credentials, RetryPolicy policy, TimeProvider time)
    {
        var http = new HttpClientAdapter(() => new GitHubRetryHandler(policy, time) { InnerHandler = new HttpClientHandler() });
        var connection = new Connection(UserAgent, ApiRoot(baseUrl), new DelegateCredentialStore(credentials), http, new SimpleJsonSerializer());
        connection.SetRequestTimeout(policy.CallTimeout); // the handler times out each attempt; this bounds the whole call
        return new GitHubClient(connection);
    }

    private sealed class DelegateCredentialStore(Func<Task<Credentials>> credentials) : ICredentialStore
    {
        public Task<Credentials> GetCredentials() => credentials();
    }
}
