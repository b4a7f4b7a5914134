using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReviewBot.App.Worker;

namespace ReviewBot.App.Onboarding;

internal static class OnboardingServiceExtensions
{
    /// <summary>The onboarding switch and its pacing, validated at start; the write budget in memory unless a shared store replaces it.</summary>
    public static IServiceCollection AddReviewBotOnboarding(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OnboardingOptions>().Bind(configuration.GetSection(OnboardingOptions.Section)).ValidateOnStart();
        services.AddOptions<OnboardingPacingOptions>().Bind(configuration.GetSection(OnboardingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OnboardingPacingOptions>, PacingValidator>();
        services.TryAddSingleton<IWriteBudgetStore, InMemoryWriteBudgetStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WritePacer>();
        services.AddWorkRunner<Queue.OnboardWork, OnboardingRunner>();
        services.TryAddSingleton<IOnboardingGitHubFactory, GitHubOnboardingFactory>();
        services.AddWorkRunner<Queue.InstallationPageWork, OnboardInstallationRunner>();
        services.TryAddSingleton<IInstallationRepositoryLister, GitHubInstallationRepositoryLister>();
        return services;
    }

    private sealed class PacingValidator : IValidateOptions<OnboardingPacingOptions>
    {
        public ValidateOptionsResult Validate(string? name, OnboardingPacingOptions options) =>
            options.Validate().ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
