using ReviewBot.Load;
using Xunit.Abstractions;

namespace ReviewBot.App.Tests.Production;

/// <summary>
/// The real App as separate processes on one real Azurite queue and table store, with WireMock playing
/// GitHub: two replicas review every delivery exactly once, a replica SIGKILLed in the middle of reviews
/// loses nothing, and Azurite going away and coming back loses nothing.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private async Task<LoadResult> RunAsync(LoadOptions options)
    {
        var log = new StringWriter();
        try
        {
            var result = await LoadRun.RunAsync(options, log);
            output.WriteLine(log.ToString());
            output.WriteLine(result.ToString());
            return result;
        }
        catch
        {
            output.WriteLine(log.ToString());
            throw;
        }
    }

    private static void AssertExactlyOnce(LoadResult result)
    {
        Assert.Equal(0, result.Missing);
        Assert.Equal(0, result.DuplicateReviews);
        Assert.Equal(0, result.ChecksNotCompleted);
        Assert.Equal(result.Options.PullRequests, result.Reviewed);
        Assert.Equal(0, result.Unexpected);
        Assert.Equal(0, result.RedeliveryCalls);
        Assert.Equal(0, result.RedeliveryNon200);
    }

    [Fact]
    public async Task Two_instances_sharing_one_queue_review_every_delivery_exactly_once()
    {
        var result = await RunAsync(new LoadOptions { PullRequests = 40, Concurrency = 20, Queue = QueueKind.Azurite, Instances = 2, WorkerConcurrency = 4, Redeliveries = 20 });

        AssertExactlyOnce(result);
        Assert.All(result.ReviewsPerInstance, count => Assert.True(count > 0, "both instances took work"));
        Assert.Equal(0, result.WorkerLinesWithoutScope);
        Assert.True(result.JsonLogLines > 0 && result.JsonLogLines == result.LogLines, $"{result.JsonLogLines}/{result.LogLines} log lines are JSON");
    }

    [Fact]
    public async Task A_worker_killed_in_the_middle_of_reviews_loses_nothing()
    {
        // Files lists take 1.5 s, so the killed replica surely has reviews in flight; their messages come
        // back after the 10 s visibility timeout and the other replica finishes them.
        var result = await RunAsync(new LoadOptions
        {
            PullRequests = 24,
            Concurrency = 24,
            Queue = QueueKind.Azurite,
            Instances = 2,
            WorkerConcurrency = 4,
            KillInstance = true,
            FilesLatency = TimeSpan.FromMilliseconds(1500),
            Redeliveries = 10,
        });

        AssertExactlyOnce(result);
        Assert.True(result.InterruptedRuns > 0, "the kill interrupted at least one review in flight");
    }

    [Fact]
    public async Task Azurite_stopped_and_restarted_mid_run_loses_nothing()
    {
        var result = await RunAsync(new LoadOptions
        {
            PullRequests = 30,
            Concurrency = 10,
            Queue = QueueKind.Azurite,
            Instances = 1,
            WorkerConcurrency = 4,
            RestartAzurite = true,
            Redeliveries = 10,
        });

        AssertExactlyOnce(result);
    }
}

/// <summary>The multi-process runs use the machine hard; they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load";
}
