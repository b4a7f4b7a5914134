using System.Collections.Immutable;
using ReviewBot.App.Queue;
using ReviewBot.App.State;
using ReviewBot.App.Worker;

namespace ReviewBot.App.Tests.State;

/// <summary>State follows the repository's id, old state stays readable, a re-run never moves the newest head back, and gates go with their work.</summary>
public sealed class StateKeyTests
{
    private static readonly string Old = new('a', 40);
    private static readonly string New = new('b', 40);

    private static ReviewWork Item(string owner, string repo, string head, string reason = "pull_request.synchronize", long? id = 42) =>
        new("d1", 1, owner, repo, 7, head, reason) { RepositoryId = id };

    [Fact]
    public void Keys_are_by_repository_id_so_a_rename_or_transfer_keeps_them()
    {
        Assert.Equal(Item("octo", "repo", Old).Key, Item("someone-else", "renamed", Old).Key);
        Assert.Equal("repo-42#7", Item("octo", "repo", Old).Key);
        Assert.Equal("repo-42@main", new BranchCheckWork("d1", 1, "octo", "repo", "main", Old, "push") { RepositoryId = 42 }.Key);
        Assert.Equal("repo-42!onboard", new OnboardWork("d1", 1, "octo", "repo", "installation.created") { RepositoryId = 42 }.Key);
        Assert.Equal("octo/repo#7", Item("Octo", "Repo", Old, id: null).Key); // a message from before ids
    }

    [Fact]
    public async Task State_saved_under_the_old_name_key_is_still_read_and_carried_over_to_the_id_key()
    {
        var store = new InMemoryStateStore(TimeProvider.System);
        var item = Item("octo", "repo", Old);
        Assert.True(await store.TrySavePullRequestAsync(item.LegacyKey, new PullRequestState(Old, Old, ["fp1"]), default));

        var read = await PullRequestStates.GetAsync(store, item, default);
        await PullRequestStates.UpdateAsync(store, item, s => s with { Fingerprints = s.Fingerprints.Add("fp2") }, default);

        Assert.Equal((Old, Old), (read?.LatestRequestedSha, read?.LastReviewedSha));
        var moved = await store.GetPullRequestAsync(item.Key, default);
        Assert.Equal(["fp1", "fp2"], moved!.Fingerprints.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("check_run.rerequested")]
    [InlineData("check_suite.rerequested")]
    public void A_rerun_of_an_old_head_never_moves_the_newest_requested_head_back(string reason)
    {
        var newest = new PullRequestState(New, null, ImmutableHashSet<string>.Empty) { LatestRequestedAt = DateTimeOffset.UtcNow };

        Assert.Equal(New, PullRequestStates.Request(newest, Item("octo", "repo", Old, reason)).LatestRequestedSha);
        Assert.Equal(Old, PullRequestStates.Request(PullRequestStates.Empty, Item("octo", "repo", Old, reason)).LatestRequestedSha);
        Assert.Equal(Old, PullRequestStates.Request(newest, Item("octo", "repo", Old, "pull_request.synchronize")).LatestRequestedSha);
    }

    [Fact]
    public async Task A_gate_is_removed_with_the_last_work_that_used_it()
    {
        var gates = new KeyedGates();
        var first = await gates.EnterAsync("repo-42#7", default);
        var waiting = gates.EnterAsync("repo-42#7", default);
        using var cancelled = new CancellationTokenSource();
        var abandoned = gates.EnterAsync("repo-42#7", cancelled.Token);
        var other = await gates.EnterAsync("repo-43#1", default);

        Assert.False(waiting.IsCompleted);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        first.Dispose();
        (await waiting).Dispose();
        other.Dispose();

        Assert.Equal(0, gates.Count);
    }
}
