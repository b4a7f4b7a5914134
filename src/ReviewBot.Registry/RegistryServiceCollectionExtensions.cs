using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ReviewBot.Registry;

/// <summary>
/// The one registration of registry I/O for the App and the CLI: a named HttpClient from IHttpClientFactory whose
/// every connection passes <see cref="AddressPolicy"/>, behind the same resilience rules as the GitHub client
/// (retries with backoff only for GETs on transient failures; the per-image budget bounds them all).
/// </summary>
public static class RegistryServiceCollectionExtensions
{
    public const string HttpClientName = "Registry";

    /// <summary>Our own bound on one request; the per-image budget is the real limit.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(4);

    /// <summary>Redirects a registry may send (blob storage, a CDN); each lands on a checked address.</summary>
    private const int MaxRedirects = 3;

    public static IServiceCollection AddRegistryClient(this IServiceCollection services, Func<IServiceProvider, RegistryOptions> options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp => new AddressPolicy(sp.GetRequiredService<RegistryOptions>()));
        services.TryAddSingleton<IImageConfigCache>(sp => new MemoryImageConfigCache(sp.GetRequiredService<TimeProvider>()));
        services.AddTransient(sp => new RegistryClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), sp.GetRequiredService<RegistryOptions>()));
        services.AddTransient<ImageResolver>();
        services.AddHttpClient(HttpClientName, http =>
            {
                http.DefaultRequestHeaders.UserAgent.ParseAdd("ReviewBot/1.0");
                http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline and the per-image budget bound every call
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<AddressPolicy>().ConnectAsync,
                MaxAutomaticRedirections = MaxRedirects,
                UseProxy = false, // a proxy would connect for us, past the address policy
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddResilienceHandler("registry", builder =>
            {
                builder.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Exception is not HttpRequestException { InnerException: RegistryRefusedException }
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
                builder.AddTimeout(AttemptTimeout);
            });
        return services;
    }
}
