using ReviewBot.App.Azure;
using ReviewBot.App.State;

namespace ReviewBot.App.Queue;

/// <summary>Provider selection for the work queue (Azure Storage when scaled out).</summary>
public static class QueueServiceExtensions
{
    /// <summary>Key of the queue itself, under the <see cref="DeduplicatingWorkQueue"/> that everything else sees as <see cref="IWorkQueue"/>.</summary>
    public const string StorageKey = "storage";

    /// <summary>
    /// The work queue. Embedded: an in-process bounded channel; <c>Queue:Provider=AzureStorage</c>: Azure Storage Queues.
    /// Either way behind <see cref="DeduplicatingWorkQueue"/>, so a redelivery's second copy of some work is never reviewed.
    /// </summary>
    public static IServiceCollection AddReviewBotQueue(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.UsesAzureStorageQueue())
        {
            services.AddAzureStorageWorkQueue(configuration);
        }
        else
        {
            services.AddKeyedSingleton<IWorkQueue, InMemoryWorkQueue>(StorageKey);
        }

        services.AddSingleton<IWorkQueue>(sp => new DeduplicatingWorkQueue(
            sp.GetRequiredKeyedService<IWorkQueue>(StorageKey), sp.GetRequiredService<IStateStore>(), sp.GetRequiredService<ILogger<DeduplicatingWorkQueue>>()));
        return services;
    }
}
