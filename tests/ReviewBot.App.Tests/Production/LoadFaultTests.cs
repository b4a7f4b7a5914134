using ReviewBot.Load;
using Xunit.Abstractions;

namespace ReviewBot.App.Tests.Production;

/// <summary>
/// The real App process under concurrent deliveries while GitHub misbehaves for every pull request:
/// each run ends with every review delivered once and every check completed.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class LoadFaultTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Fault.Status500)]
    [InlineData(Fault.Status502)]
    [InlineData(Fault.Timeout)]
    [InlineData(Fault.SecondaryRateLimit)]
    [InlineData(Fault.TooManyRequests)]
    [InlineData(Fault.Unauthorized)]
    [InlineData(Fault.Unprocessable)]
    public async Task Every_review_is_delivered_once_and_every_check_completed(Fault fault)
    {
        var log = new StringWriter();
        LoadResult result;
        try
        {
            result = await LoadRun.RunAsync(new LoadOptions { PullRequests = 12, Concurrency = 12, Fault = fault, WorkerConcurrency = 4, Redeliveries = 4 }, log);
        }
        finally
        {
            output.WriteLine(log.ToString());
        }

        output.WriteLine(result.ToString());
        Assert.True(result.FaultsInjected > 0, "the fault was exercised");
        Assert.Equal(0, result.Missing);
        Assert.Equal(0, result.DuplicateReviews);
        Assert.Equal(0, result.ChecksNotCompleted);
        Assert.Equal(0, result.Unexpected);
        Assert.Equal(0, result.RedeliveryCalls);
    }
}
