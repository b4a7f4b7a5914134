using ReviewBot.App.Azure;
using ReviewBot.App.Queue;
using ReviewBot.App.State;

namespace ReviewBot.App.Hosting;

/// <summary>Provider selection for the queue and the state store, in one place to extend (Azure Storage when scaled out).</summary>
public static class QueueServiceExtensions
{
    /// <summary>The work queue. Embedded: an in-process bounded channel; <c>Queue:Provider=AzureStorage</c>: Azure Storage Queues.</summary>
    public static IServiceCollection AddReviewBotQueue(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.UsesAzureStorageQueue())
        {
            return services.AddAzureStorageWorkQueue(configuration);
        }

        services.AddSingleton<IWorkQueue, InMemoryWorkQueue>();
        return services;
    }

    /// <summary>Delivery ids and pull request state. Embedded: this process's memory; <c>State:Provider=AzureTables</c>: Azure Table Storage.</summary>
    public static IServiceCollection AddReviewBotState(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.UsesAzureTableState())
        {
            return services.AddAzureTableState(configuration);
        }

        services.AddSingleton<IStateStore, InMemoryStateStore>();
        return services;
    }
}
