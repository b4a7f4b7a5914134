using Microsoft.Extensions.Options;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Auth;

namespace ReviewBot.App.Hosting;

internal static class GitHubServiceExtensions
{
    /// <summary>
    /// The App's GitHub side: a PEM signer from GitHub:PrivateKey or GitHub:PrivateKeyPath (register another
    /// <see cref="IRs256Signer"/> before this call, e.g. Key Vault, and it is kept), and the App client.
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

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GitHubOptions>>().Value;
            var policy = new RetryPolicy { MaxAttempts = options.MaxAttempts, BaseDelay = options.RetryBaseDelay, MaxWait = options.MaxRetryWait, AttemptTimeout = options.RequestTimeout };
            return new GitHubAppClient(options.AppId!, sp.GetRequiredService<IRs256Signer>(), options.ApiBaseUrl, policy, sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
