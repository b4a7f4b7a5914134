using ReviewBot.App.Azure;

namespace ReviewBot.App.State;

/// <summary>Provider selection for the state store (Azure Table Storage when scaled out).</summary>
public static class StateServiceExtensions
{
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
