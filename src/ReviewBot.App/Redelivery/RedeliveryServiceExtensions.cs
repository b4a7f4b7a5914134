using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReviewBot.App.Worker;

namespace ReviewBot.App.Redelivery;

internal static class RedeliveryServiceExtensions
{
    /// <summary>The redelivery job: its options validated at start, its runner for the queue's items, and its schedule unless Redelivery:Enabled is false.</summary>
    public static IServiceCollection AddReviewBotRedelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedeliveryOptions>().Bind(configuration.GetSection(RedeliveryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RedeliveryClaims>();
        services.TryAddSingleton<IHookDeliveries, GitHubHookDeliveries>();
        services.AddWorkRunner<Queue.RedeliveryWork, RedeliveryRunner>();
        if (configuration.GetValue(RedeliveryOptions.Section + ":" + nameof(RedeliveryOptions.Enabled), true))
        {
            services.AddHostedService<RedeliveryScheduler>();
        }

        return services;
    }
}
