using ReviewBot.App.Queue;
using ReviewBot.App.State;

namespace ReviewBot.App.Hosting;

/// <summary>Provider selection for the queue and the state store, in one place to extend (Azure Storage when scaled out).</summary>
public static class QueueServiceExtensions
{
    /// <summary>The work queue. Embedded: an in-process bounded channel.</summary>
    public static IServiceCollection AddReviewBotQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IWorkQueue, InMemoryWorkQueue>();
        return services;
    }

    /// <summary>Delivery ids and pull request state. Embedded: this process's memory.</summary>
    public static IServiceCollection AddReviewBotState(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IStateStore, InMemoryStateStore>();
        return services;
    }
}
