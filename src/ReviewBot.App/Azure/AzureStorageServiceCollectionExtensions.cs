using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.App.State;

namespace ReviewBot.App.Azure;

/// <summary>Wiring for the scaled-out mode: the work queue on Azure Storage Queues, state on Azure Tables.</summary>
public static class AzureStorageServiceCollectionExtensions
{
    /// <summary>True when <c>Queue:Provider</c> asks for Azure Storage Queues.</summary>
    public static bool UsesAzureStorageQueue(this IConfiguration configuration) =>
        string.Equals(configuration[$"{AzureQueueOptions.Section}:Provider"], AzureQueueOptions.ProviderName, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <c>State:Provider</c> asks for Azure Table Storage.</summary>
    public static bool UsesAzureTableState(this IConfiguration configuration) =>
        string.Equals(configuration[$"{AzureTableStateOptions.Section}:Provider"], AzureTableStateOptions.ProviderName, StringComparison.OrdinalIgnoreCase);

    public static IServiceCollection AddAzureStorageWorkQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureQueueOptions>()
            .Bind(configuration.GetSection(AzureQueueOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureQueueOptions>>(new ProblemsValidator<AzureQueueOptions>(o => o.Validate()));
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton(TimeProvider.System);
        services.RemoveAllKeyed<IWorkQueue>(QueueServiceExtensions.StorageKey);
        services.AddKeyedSingleton<IWorkQueue>(QueueServiceExtensions.StorageKey, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<AzureQueueOptions>>().Value;
            var clientOptions = new QueueClientOptions();
            ConfigureRetry(clientOptions.Retry);
            var client = options.ServiceUri is { } uri
                ? new QueueServiceClient(uri, sp.GetRequiredService<TokenCredential>(), clientOptions)
                : new QueueServiceClient(options.ConnectionString, clientOptions);
            return new AzureStorageWorkQueue(client, options, sp.GetRequiredService<ILogger<AzureStorageWorkQueue>>(), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    public static IServiceCollection AddAzureTableState(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureTableStateOptions>()
            .Bind(configuration.GetSection(AzureTableStateOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureTableStateOptions>>(new ProblemsValidator<AzureTableStateOptions>(o => o.Validate()));
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton(TimeProvider.System);
        services.RemoveAll<IStateStore>();
        services.AddSingleton<IStateStore>(sp => new AzureTableStateStore(TableService(sp), sp.GetRequiredService<IOptions<AzureTableStateOptions>>().Value, sp.GetService<TimeProvider>()));
        // Registries are read once for every replica: the registry client's cache is this store, not one process's memory.
        services.RemoveAll<Registry.IImageConfigCache>();
        services.AddSingleton<Registry.IImageConfigCache>(sp => new AzureTableImageConfigCache(TableService(sp), sp.GetRequiredService<IOptions<AzureTableStateOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.RemoveAll<Onboarding.IWriteBudgetStore>();
        services.AddSingleton<Onboarding.IWriteBudgetStore>(sp => new AzureTableWriteBudgetStore(TableService(sp), sp.GetRequiredService<IOptions<AzureTableStateOptions>>().Value));
        return services;
    }

    private static TableServiceClient TableService(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<AzureTableStateOptions>>().Value;
        var clientOptions = new TableClientOptions();
        ConfigureRetry(clientOptions.Retry);
        return options.ServiceUri is { } uri
            ? new TableServiceClient(uri, sp.GetRequiredService<TokenCredential>(), clientOptions)
            : new TableServiceClient(options.ConnectionString, clientOptions);
    }

    /// <summary>
    /// The webhook waits on storage and GitHub gives up after 10 s: storage calls ride out an outage of up to
    /// about 8 s (retries after 0.3, 0.6, 1.2, 2, 2, 2 s) and give up on a stuck try after 5 s (the SDK
    /// default waits 100 s). A retried write may have landed the first time: the stores are idempotent for it.
    /// </summary>
    private static void ConfigureRetry(RetryOptions retry)
    {
        retry.MaxRetries = 6;
        retry.Delay = TimeSpan.FromMilliseconds(300);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
        retry.NetworkTimeout = TimeSpan.FromSeconds(5);
    }

    /// <summary>Fails start-up with every problem spelled out, not just "invalid".</summary>
    private sealed class ProblemsValidator<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var list = problems(options).ToList();
            return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
        }
    }
}
