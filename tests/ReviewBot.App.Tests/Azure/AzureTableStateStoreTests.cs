using System.Collections.Immutable;
using Azure.Data.Tables;
using ReviewBot.App.Azure;
using ReviewBot.App.State;

namespace ReviewBot.App.Tests.Azure;

[Collection(AzuriteCollection.Name)]
public sealed class AzureTableStateStoreTests(AzuriteFixture azurite)
{
    private readonly AzureTableStateOptions _options = new()
    {
        ConnectionString = "unused-here",
        TablePrefix = AzuriteFixture.UniqueName("t"),
    };

    /// <summary>Each store has its own client, as two replicas would.</summary>
    private AzureTableStateStore NewStore() => new(new TableServiceClient(azurite.ConnectionString), _options);

    private static PullRequestState State(string latest, params string[] fingerprints) =>
        new(latest, null, fingerprints.ToImmutableHashSet());

    [Fact]
    public async Task A_delivery_is_recorded_once_across_two_stores()
    {
        var one = NewStore();
        var two = NewStore();
        var delivery = Guid.NewGuid().ToString();

        Assert.True(await one.TryRecordDeliveryAsync(delivery, default));
        Assert.False(await two.TryRecordDeliveryAsync(delivery, default));
        Assert.False(await one.TryRecordDeliveryAsync(delivery, default));
        Assert.True(await two.TryRecordDeliveryAsync(Guid.NewGuid().ToString(), default));
    }

    [Fact]
    public async Task A_delivery_is_known_only_once_recorded()
    {
        var delivery = Guid.NewGuid().ToString();

        Assert.False(await NewStore().HasDeliveryAsync(delivery, default));
        Assert.True(await NewStore().TryRecordDeliveryAsync(delivery, default));
        Assert.True(await NewStore().HasDeliveryAsync(delivery, default));
    }

    [Fact]
    public async Task Work_is_claimed_by_one_message_and_stays_that_messages_across_replicas()
    {
        var work = Guid.NewGuid() + "|octo/repo#1";

        Assert.True(await NewStore().TryClaimWorkAsync(work, "message-1", default));
        Assert.True(await NewStore().TryClaimWorkAsync(work, "message-1", default)); // handed out again: still its own
        Assert.False(await NewStore().TryClaimWorkAsync(work, "message-2", default)); // a copy
        Assert.True(await NewStore().TryClaimWorkAsync(Guid.NewGuid() + "|octo/repo#1", "message-2", default));
    }

    [Fact]
    public async Task Racing_copies_claim_work_exactly_once()
    {
        var stores = new[] { NewStore(), NewStore() };
        var work = Guid.NewGuid() + "|octo/repo#1";
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => stores[i % 2].TryClaimWorkAsync(work, $"message-{i}", default)));
        Assert.Single(results, claimed => claimed);
    }

    [Fact]
    public async Task Racing_replicas_record_a_delivery_exactly_once()
    {
        var stores = new[] { NewStore(), NewStore() };
        var delivery = Guid.NewGuid().ToString();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => stores[i % 2].TryRecordDeliveryAsync(delivery, default)));
        Assert.Single(results, recorded => recorded);
    }

    [Fact]
    public async Task Unknown_pull_request_has_no_state()
    {
        Assert.Null(await NewStore().GetPullRequestAsync("octo/none#1", default));
    }

    [Fact]
    public async Task State_round_trips_with_an_etag()
    {
        var store = NewStore();
        var key = "Octo-Org/Hello.World#12";
        var saved = new PullRequestState("bbb", "aaa", ["RB001:Dockerfile:abc", "RB003:web/Dockerfile:def"]) { LatestRequestedAt = new DateTimeOffset(2026, 12, 2, 3, 4, 5, TimeSpan.Zero) };
        Assert.True(await store.TrySavePullRequestAsync(key, saved, default));

        var read = await NewStore().GetPullRequestAsync(key, default);
        Assert.NotNull(read);
        Assert.Equal("bbb", read.LatestRequestedSha);
        Assert.Equal("aaa", read.LastReviewedSha);
        Assert.Equal(saved.LatestRequestedAt, read.LatestRequestedAt);
        Assert.True(saved.Fingerprints.SetEquals(read.Fingerprints));
        Assert.False(string.IsNullOrEmpty(read.ETag));
    }

    [Fact]
    public async Task Second_creator_loses_and_must_reread()
    {
        var key = "octo/repo#1";
        Assert.True(await NewStore().TrySavePullRequestAsync(key, State("a"), default));
        Assert.False(await NewStore().TrySavePullRequestAsync(key, State("b"), default));
        Assert.Equal("a", (await NewStore().GetPullRequestAsync(key, default))!.LatestRequestedSha);
    }

    [Fact]
    public async Task Stale_etag_is_a_conflict_and_fresh_one_wins()
    {
        var key = "octo/repo#2";
        var one = NewStore();
        var two = NewStore();
        Assert.True(await one.TrySavePullRequestAsync(key, State("a"), default));

        var readByOne = (await one.GetPullRequestAsync(key, default))!;
        var readByTwo = (await two.GetPullRequestAsync(key, default))!;
        Assert.True(await two.TrySavePullRequestAsync(key, readByTwo with { LatestRequestedSha = "from-two" }, default));
        Assert.False(await one.TrySavePullRequestAsync(key, readByOne with { LatestRequestedSha = "from-one" }, default));

        var reread = (await one.GetPullRequestAsync(key, default))!;
        Assert.Equal("from-two", reread.LatestRequestedSha);
        Assert.True(await one.TrySavePullRequestAsync(key, reread with { LastReviewedSha = "from-one" }, default));
        var final = (await two.GetPullRequestAsync(key, default))!;
        Assert.Equal(("from-two", "from-one"), (final.LatestRequestedSha, final.LastReviewedSha));
    }

    [Fact]
    public async Task Concurrent_read_modify_write_loses_no_update()
    {
        var key = "octo/repo#3";
        var stores = new[] { NewStore(), NewStore() };
        Assert.True(await stores[0].TrySavePullRequestAsync(key, State("start"), default));

        await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            var store = stores[i % 2];
            while (true)
            {
                var state = (await store.GetPullRequestAsync(key, default))!;
                if (await store.TrySavePullRequestAsync(key, state with { Fingerprints = state.Fingerprints.Add($"fp{i}") }, default))
                {
                    return;
                }
            }
        }));

        var final = (await stores[0].GetPullRequestAsync(key, default))!;
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"fp{i}").Order(), final.Fingerprints.Order());
    }

    [Fact]
    public async Task Keys_with_characters_tables_forbid_stay_distinct()
    {
        var store = NewStore();
        Assert.True(await store.TrySavePullRequestAsync("a/b#1", State("slash"), default));
        Assert.True(await store.TrySavePullRequestAsync("a%2Fb#1", State("percent"), default));
        Assert.True(await store.TrySavePullRequestAsync("a?b\\c#1", State("odd"), default));
        Assert.Equal("slash", (await store.GetPullRequestAsync("a/b#1", default))!.LatestRequestedSha);
        Assert.Equal("percent", (await store.GetPullRequestAsync("a%2Fb#1", default))!.LatestRequestedSha);
        Assert.Equal("odd", (await store.GetPullRequestAsync("a?b\\c#1", default))!.LatestRequestedSha);
    }

    [Fact]
    public async Task Thousands_of_fingerprints_span_several_properties_and_come_back()
    {
        var store = NewStore();
        var many = Enumerable.Range(0, 3000).Select(i => $"RB001:services/app{i}/Dockerfile:{i:x40}").ToImmutableHashSet();
        Assert.True(await store.TrySavePullRequestAsync("octo/big#1", new PullRequestState("x", "x", many), default));

        var read = (await NewStore().GetPullRequestAsync("octo/big#1", default))!;
        Assert.True(many.SetEquals(read.Fingerprints));

        // Shrinking replaces the entity, so no stale chunk lingers.
        Assert.True(await store.TrySavePullRequestAsync("octo/big#1", read with { Fingerprints = ["only"] }, default));
        Assert.Equal(["only"], (await store.GetPullRequestAsync("octo/big#1", default))!.Fingerprints);
    }

    [Fact]
    public async Task More_fingerprints_than_an_entity_holds_fail_loudly()
    {
        var tooMany = Enumerable.Range(0, 20000).Select(i => $"RB001:Dockerfile:{i:x40}").ToImmutableHashSet();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            NewStore().TrySavePullRequestAsync("octo/huge#1", new PullRequestState("x", null, tooMany), default));
    }

    [Fact]
    public async Task Deliveries_and_claims_expire_after_GitHubs_redelivery_window_and_are_swept()
    {
        var clock = new MovingClock();
        var store = new AzureTableStateStore(new TableServiceClient(azurite.ConnectionString), _options, clock);
        string delivery = Guid.NewGuid().ToString(), work = Guid.NewGuid() + "|repo-1#1";
        Assert.True(await store.TryRecordDeliveryAsync(delivery, default));
        Assert.True(await store.TryClaimWorkAsync(work, "message-1", default));

        clock.Now += DeliveryRetention.Window - TimeSpan.FromMinutes(1);
        Assert.True(await store.HasDeliveryAsync(delivery, default));
        Assert.False(await store.TryClaimWorkAsync(work, "message-2", default));

        clock.Now += TimeSpan.FromMinutes(2);
        Assert.False(await store.HasDeliveryAsync(delivery, default));
        Assert.Equal(2, await store.SweepAsync(default));
        Assert.True(await store.TryClaimWorkAsync(work, "message-2", default));
    }

    private sealed class MovingClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
