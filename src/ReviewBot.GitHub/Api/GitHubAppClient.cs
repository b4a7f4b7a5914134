using System.Net.Http.Headers;
using ReviewBot.GitHub.Auth;

namespace ReviewBot.GitHub.Api;

/// <summary>Acts as the GitHub App: signs the App JWT and trades it for installation tokens, which it caches.</summary>
public sealed class GitHubAppClient
{
    private readonly string _appId;
    private readonly IRs256Signer _signer;
    private readonly TimeProvider _time;
    private readonly GitHubClients _clients;
    private Task<string>? _botLogin;

    /// <summary>Each installation's rate limits as last seen: one token's budget, shared by all its work in this process.</summary>
    private readonly InstallationBudgets _rateLimits;

    public GitHubAppClient(GitHubClients clients, string appId, IRs256Signer signer)
    {
        _appId = appId;
        _signer = signer;
        _clients = clients;
        _time = clients.Time;
        _rateLimits = new InstallationBudgets(_time);
        Tokens = new InstallationTokenCache(FetchTokenAsync, _time);
    }

    public InstallationTokenCache Tokens { get; }

    /// <summary>
    /// A new HttpClient per use (this client lives as long as the process, and a held one would keep its handler
    /// past the factory's rotation); a fresh JWT for every request: it is cheap, and one never expires midway.
    /// </summary>
    internal GitHubHttp AppHttp => new(_clients.CreateHttpClient(), async ct => new AuthenticationHeaderValue("Bearer", await CreateJwtAsync(ct).ConfigureAwait(false)), () => { }, _time);

    public Task<string> CreateJwtAsync(CancellationToken cancellationToken) => AppJwt.CreateAsync(_appId, _signer, _time.GetUtcNow(), cancellationToken);

    /// <summary>A client acting as the installation, on a token from the cache (refreshed once on 401), watching the installation's shared rate limits.</summary>
    public PullRequestClient ForInstallation(long installationId) =>
        new(_clients.CreateHttpClient(), new InstallationTokenSource(Tokens, installationId), _clients.Policy, _time, _rateLimits.For(installationId));

    /// <summary>
    /// The App's own login, <c>{slug}[bot]</c>, as its comments show it (GET /app with the JWT); asked once per
    /// process. A failure is not remembered, so the next call asks again.
    /// </summary>
    public async Task<string> GetBotLoginAsync(CancellationToken cancellationToken)
    {
        var login = _botLogin ??= FetchBotLoginAsync();
        try
        {
            return await login.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _ = Interlocked.CompareExchange(ref _botLogin, null, login);
            throw;
        }
    }

    private async Task<string> FetchBotLoginAsync()
    {
        var app = await AppHttp.SendAsync(HttpMethod.Get, "app", GitHubJson.Default.AppResponse, CancellationToken.None).ConfigureAwait(false);
        return app.Slug + "[bot]";
    }

    private async Task<InstallationToken> FetchTokenAsync(long installationId, CancellationToken cancellationToken)
    {
        // POST /app/installations/{id}/access_tokens with the App JWT. Asking twice only makes a second token,
        // so this POST may be retried like a read.
        var appHttp = AppHttp;
        var uri = new Uri(appHttp.BaseAddress, $"app/installations/{installationId}/access_tokens");
        using var response = await appHttp.SendAsync(
            () =>
            {
                var request = GitHubHttp.NewRequest(HttpMethod.Post, uri, null);
                request.Options.Set(GitHubRequest.SafeToRepeat, true);
                return request;
            },
            cancellationToken).ConfigureAwait(false);
        await appHttp.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var token = await GitHubHttp.ReadJsonAsync(response, GitHubJson.Default.InstallationTokenResponse, cancellationToken).ConfigureAwait(false);
        return new InstallationToken(token.Token, token.ExpiresAt);
    }

    private sealed class InstallationTokenSource(InstallationTokenCache cache, long installationId) : ITokenSource
    {
        public async Task<string> GetTokenAsync(CancellationToken cancellationToken) =>
            (await cache.GetAsync(installationId, cancellationToken).ConfigureAwait(false)).Token;

        public void Invalidate() => cache.Invalidate(installationId);
    }
}
