using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ReviewBot.App.Azure;
using ReviewBot.App.Onboarding;

namespace ReviewBot.App.Tests.Azure;

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableWriteBudgetStoreTests(AzuriteFixture azurite)
{
    private readonly AzureTableStateOptions _options = new()
    {
        ConnectionString = "unused-here",
        TablePrefix = AzuriteFixture.UniqueName("b"),
    };

    /// <summary>Each store has its own client, as two replicas would.</summary>
    private AzureTableWriteBudgetStore NewStore() => new(new TableServiceClient(azurite.ConnectionString), _options);

    [Fact]
    public async Task Two_replicas_share_one_budget_and_a_stale_save_is_refused()
    {
        var one = NewStore();
        var two = NewStore();
        var at = new DateTimeOffset(2026, 12, 1, 22, 0, 0, TimeSpan.Zero);

        var read = await one.GetAsync(42, default);
        var stale = await two.GetAsync(42, default);
        Assert.True(await one.TrySaveAsync(42, new WriteBudget([(at, 3)], read.ETag), default));
        Assert.False(await two.TrySaveAsync(42, new WriteBudget([(at, 3)], stale.ETag), default));

        var shared = await two.GetAsync(42, default);
        Assert.Equal([(at, 3)], shared.Reservations.ToArray());
        Assert.Empty((await two.GetAsync(43, default)).Reservations);
    }

    [Fact]
    public async Task Pacers_on_two_replicas_never_grant_more_than_the_window()
    {
        var options = Options.Create(new OnboardingPacingOptions { WritesPerMinute = 9, WritesPerHour = 100 });
        var pacers = Enumerable.Range(0, 2).Select(_ => new WritePacer(NewStore(), options, TimeProvider.System)).ToList();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => pacers[i % 2].TryReserveAsync(7, 3, default)));

        Assert.Equal(3, decisions.Count(d => d.Granted));
    }
}
