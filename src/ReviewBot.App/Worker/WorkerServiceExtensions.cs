using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.App.Queue;
using ReviewBot.GitHub.Branches;
using ReviewBot.GitHub.PullRequests;
using ReviewBot.Registry;

namespace ReviewBot.App.Worker;

internal static class WorkerServiceExtensions
{
    /// <summary>The worker that runs queued work, and the runners of reviews and branch checks with what they share.</summary>
    public static IServiceCollection AddReviewBotWorker(this IServiceCollection services)
    {
        services.AddRegistryClient(sp => sp.GetRequiredService<IOptions<ImagesOptions>>().Value.ToRegistryOptions());
        // Registries are read for the images nothing else knows, unless Images:Resolve is false.
        services.TryAddSingleton(sp => new PullRequestReviewer
        {
            Images = sp.GetRequiredService<IOptions<ImagesOptions>>().Value.Resolve ? sp.GetRequiredService<ImageResolver>() : null,
        });
        // One budget of Dockerfile text for every review and branch check in flight in this process.
        services.AddSingleton(sp => new TextBudget(sp.GetRequiredService<IOptions<WorkerOptions>>().Value.MaxTextBytesInFlight));
        services.AddSingleton(sp => new BranchChecker(sp.GetRequiredService<PullRequestReviewer>()));
        services.AddWorkRunner<ReviewWork, ReviewRunner>();
        services.AddWorkRunner<BranchCheckWork, BranchCheckRunner>();
        services.AddSingleton<QueueWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueWorker>());
        return services;
    }
}
