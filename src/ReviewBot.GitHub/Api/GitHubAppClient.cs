using ReviewBot.GitHub.Auth;
using Octokit;

namespace ReviewBot.GitHub.Api;

/// <summary>Acts as the GitHub App: signs the App JWT and trades it for installation tokens, which it caches.</summary>
public sealed class GitHubAppClient
{
    private readonly string appId;
    private readonly IRs256Signer signer;
    private readonly TimeProvider time;
    private readonly GitHubClient appClient;
    private readonly Uri baseUrl;
    private readonly RetryPolicy policy;

    public GitHubAppClient(string appId, IRs256Signer signer, Uri baseUrl, RetryPolicy policy, TimeProvider time)
    {
        this.appId = appId;
        this.signer = signer;
        this.time = time;
        this.baseUrl = baseUrl;
        this.policy = policy;
        appClient = GitHubConnection.Create(baseUrl, async () => new Credentials(await CreateJwtAsync(CancellationToken.None).ConfigureAwait(false), AuthenticationType.Bearer), policy, time);
        Tokens = new InstallationTokenCache(FetchTokenAsync, time);
    }

    public InstallationTokenCache Tokens { get; }

    public Task<string> CreateJwtAsync(CancellationToken cancellationToken) => AppJwt.CreateAsync(appId, signer, time.GetUtcNow(), cancellationToken);

    /// <summary>A client acting as the installation, on a token from the cache (refreshed once on 401).</summary>
    public PullRequestClient ForInstallation(long installationId) =>
        new(baseUrl, new InstallationTokenSource(Tokens, installationId), policy, time);

    private async Task<InstallationToken> FetchTokenAsync(long installationId, CancellationToken cancellationToken)
    {
        // POST /app/installations/{id}/access_tokens with the App JWT.
        var token = await appClient.GitHubApps.CreateInstallationToken(installationId).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new InstallationToken(token.Token, token.ExpiresAt);
    }

    private sealed class InstallationTokenSource(InstallationTokenCache cache, long installationId) : ITokenSource
    {
        public async Task<string> GetTokenAsync(CancellationToken cancellationToken) =>
            (await cache.GetAsync(installationId, cancellationToken).ConfigureAwait(false)).Token;

        public void Invalidate() => cache.Invalidate(installationId);
    }
}
