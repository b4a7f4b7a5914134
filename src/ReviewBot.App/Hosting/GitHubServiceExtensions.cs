using Microsoft.Extensions.Options;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Auth;

namespace ReviewBot.App.Hosting;

internal static class GitHubServiceExtensions
{
    /// <summary>
    /// The App's GitHub side: a PEM signer from GitHub:PrivateKey or GitHub:PrivateKeyPath (register another
    /// <see cref="IRs256Signer"/> before this call, e.g. Key Vault, and it is kept), and the App client on the one
    /// GitHub HttpClient registration (<see cref="GitHubApiServiceCollectionExtensions.AddGitHubApi"/>).
    /// </summary>
    public static IServiceCollection AddReviewBotGitHub(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        if (!services.Any(d => d.ServiceType == typeof(IRs256Signer)))
        {
            services.AddSingleton<IRs256Signer>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<GitHubOptions>>().Value;
                var pem = string.IsNullOrWhiteSpace(options.PrivateKey) ? File.ReadAllText(options.PrivateKeyPath!) : options.PrivateKey;
                return new PemRs256Signer(pem);
            });
        }

        services.AddGitHubApi(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GitHubOptions>>().Value;
            return new GitHubApiOptions
            {
                BaseUrl = options.ApiBaseUrl,
                Retry = new RetryPolicy { MaxAttempts = options.MaxAttempts, BaseDelay = options.RetryBaseDelay, MaxWait = options.MaxRetryWait, AttemptTimeout = options.RequestTimeout },
            };
        });
        services.AddSingleton(sp => sp.GetRequiredService<GitHubClients>().ForApp(
            sp.GetRequiredService<IOptions<GitHubOptions>>().Value.AppId!, sp.GetRequiredService<IRs256Signer>()));
        return services;
    }
}
