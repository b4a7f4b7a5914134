using System.Collections.Immutable;
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

    /// <summary>
    /// A client acting as the installation on a token no wider than <paramref name="scope"/> (one repository, the
    /// job's permissions), from the cache (refreshed once on 401), watching the installation's shared rate limits.
    /// </summary>
    public GitHubInstallationClient ForInstallation(long installationId, TokenScope scope) =>
        new(_clients.CreateHttpClient(), new InstallationTokenSource(Tokens, installationId, scope), _clients.Policy, _time, _rateLimits.For(installationId));

    /// <summary>
    /// The installation's way into its own packages on GitHub's container registry (<c>{registry}/{owner}/…</c>):
    /// <paramref name="owner"/> is the account the installation is on, the owner of every repository it reviews. The
    /// token is handed out only when GitHub granted it <c>packages: read</c> (optional in app-manifest.yml); else, and
    /// when no token can be had, images are read anonymously.
    /// </summary>
    public Registry.GitHubPackagesAccess PackagesAccess(long installationId, string owner) => new(owner, async cancellationToken =>
    {
        try
        {
            var token = await Tokens.GetAsync(installationId, TokenScope.ReadPackages, cancellationToken).ConfigureAwait(false);
            return token.CanReadPackages ? token.Token : null;
        }
        catch (Exception e) when (e is GitHubApiException or HttpRequestException)
        {
            return null; // the review's own calls will say what is wrong with GitHub; the image is read anonymously
        }
    });

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

    private async Task<InstallationToken> FetchTokenAsync(long installationId, TokenScope scope, CancellationToken cancellationToken)
    {
        // POST /app/installations/{id}/access_tokens with the App JWT, narrowed to the scope's repository and
        // permissions. Asking twice only makes a second token, so this POST may be retried like a read.
        var appHttp = AppHttp;
        var uri = new Uri(appHttp.BaseAddress, $"app/installations/{installationId}/access_tokens");
        string body = System.Text.Json.JsonSerializer.Serialize(TokenRequest.Of(scope), GitHubJson.Default.TokenRequest);
        using var response = await appHttp.SendAsync(
            () =>
            {
                var request = GitHubHttp.NewRequest(HttpMethod.Post, uri, body);
                request.Options.Set(GitHubRequest.SafeToRepeat, true);
                return request;
            },
            cancellationToken).ConfigureAwait(false);
        await appHttp.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var token = await GitHubHttp.ReadJsonAsync(response, GitHubJson.Default.InstallationTokenResponse, cancellationToken).ConfigureAwait(false);
        return new InstallationToken(token.Token, token.ExpiresAt)
        {
            Permissions = (token.Permissions ?? []).Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String)
                .ToImmutableDictionary(p => p.Key, p => p.Value.GetString()!, StringComparer.Ordinal),
        };
    }

    private sealed class InstallationTokenSource(InstallationTokenCache cache, long installationId, TokenScope scope) : ITokenSource
    {
        public async Task<string> GetTokenAsync(CancellationToken cancellationToken) =>
            (await cache.GetAsync(installationId, scope, cancellationToken).ConfigureAwait(false)).Token;

        public void Invalidate() => cache.Invalidate(installationId, scope);
    }
}
