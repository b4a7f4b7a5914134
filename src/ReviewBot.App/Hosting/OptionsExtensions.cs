using Microsoft.Extensions.Options;

namespace ReviewBot.App.Hosting;

internal static class OptionsExtensions
{
    /// <summary>Binds the options and validates them when the host starts, so a missing secret stops the service with a clear message.</summary>
    public static IServiceCollection AddReviewBotOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GitHubOptions>().Bind(configuration.GetSection(GitHubOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<GitHubOptions>, GitHubOptionsValidator>();
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ImagesOptions>().Bind(configuration.GetSection(ImagesOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
