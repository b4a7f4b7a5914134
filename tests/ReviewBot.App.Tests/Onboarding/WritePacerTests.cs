using Microsoft.Extensions.Options;
using ReviewBot.App.Onboarding;
using ReviewBot.App.State;
using ReviewBot.GitHub;

namespace ReviewBot.App.Tests.Onboarding;

public class WritePacerTests
{
    /// <summary>createRef (or a forced ref update), createCommitOnBranch, createPullRequest.</summary>
    private const int WritesPerRepository = 3;

    [Theory]
    [InlineData(GitHubLimits.ContentCreatingRequestsPerMinute, GitHubLimits.ContentCreatingRequestsPerHour)]
    [InlineData(40, 250)]
    public async Task Five_hundred_repositories_finish_under_GitHubs_secondary_limits_each_once(int perMinute, int perHour)
    {
        var clock = new ManualClock();
        var budgets = new InMemoryWriteBudgetStore();
        var claims = new InMemoryStateStore(clock);
        var options = Options.Create(new OnboardingPacingOptions { WritesPerMinute = perMinute, WritesPerHour = perHour });
        var github = new SecondaryLimit(clock);
        var done = new Dictionary<int, int>();

        // The durable queue: every repository once, and again as a redelivered copy; each entry has a visibility time.
        var queue = new PriorityQueue<(int Repo, string MessageId), DateTimeOffset>();
        for (int repo = 0; repo < 500; repo++)
        {
            queue.Enqueue((repo, $"m{repo}"), clock.GetUtcNow());
            queue.Enqueue((repo, $"copy{repo}"), clock.GetUtcNow());
        }

        int requeued = 0;
        int handled = 0;
        WritePacer? pacer = null;
        while (queue.TryDequeue(out var work, out var visibleAt))
        {
            clock.AdvanceTo(visibleAt);
            if (handled++ % 97 == 0)
            {
                pacer = new WritePacer(budgets, options, clock); // a restart or another replica: only the store remembers
            }

            if (!await claims.TryClaimWorkAsync($"onboard:1/r{work.Repo}@sha", work.MessageId, default))
            {
                continue; // a copy: someone else has this repository
            }

            var decision = await pacer!.TryReserveAsync(1, WritesPerRepository, default);
            if (!decision.Granted)
            {
                Assert.True(decision.RetryAfter > TimeSpan.Zero);
                requeued++;
                queue.Enqueue(work, clock.GetUtcNow() + decision.RetryAfter);
                continue;
            }

            for (int i = 0; i < WritesPerRepository; i++)
            {
                github.Write();
                clock.Advance(TimeSpan.FromMilliseconds(300));
            }

            done[work.Repo] = done.GetValueOrDefault(work.Repo) + 1;
        }

        Assert.Equal(500, done.Count);
        Assert.All(done.Values, count => Assert.Equal(1, count));
        Assert.Equal(500 * WritesPerRepository, github.Total);
        Assert.True(github.MaxInAnyMinute <= perMinute, $"{github.MaxInAnyMinute} writes in a minute");
        Assert.True(github.MaxInAnyHour <= perHour, $"{github.MaxInAnyHour} writes in an hour");
        Assert.True(requeued > 0);
    }

    [Fact]
    public async Task A_full_window_says_when_it_frees()
    {
        var clock = new ManualClock();
        var pacer = new WritePacer(new InMemoryWriteBudgetStore(), Options.Create(new OnboardingPacingOptions { WritesPerMinute = 6, WritesPerHour = 100 }), clock);

        Assert.True((await pacer.TryReserveAsync(7, 3, default)).Granted);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True((await pacer.TryReserveAsync(7, 3, default)).Granted);
        var refused = await pacer.TryReserveAsync(7, 3, default);
        Assert.True((await pacer.TryReserveAsync(8, 3, default)).Granted); // budgets are per installation

        Assert.False(refused.Granted);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(39), TimeSpan.FromSeconds(41));
        clock.Advance(refused.RetryAfter);
        Assert.True((await pacer.TryReserveAsync(7, 3, default)).Granted);
    }

    [Fact]
    public async Task Two_replicas_reserving_at_once_never_both_spend_the_last_budget()
    {
        var clock = new ManualClock();
        var store = new RacingStore(new InMemoryWriteBudgetStore());
        var options = Options.Create(new OnboardingPacingOptions { WritesPerMinute = 3, WritesPerHour = 100 });
        var first = new WritePacer(store, options, clock);
        var second = new WritePacer(store, options, clock);

        store.BeforeSave = () => { store.BeforeSave = null; return second.TryReserveAsync(1, 3, default); };
        var a = await first.TryReserveAsync(1, 3, default);

        Assert.True(a.Granted != store.InnerResult!.Value.Granted, "exactly one of the two reservations is granted");
    }

    [Fact]
    public void Budgets_survive_their_text_form_and_garbage_is_dropped()
    {
        var at = new DateTimeOffset(2026, 12, 1, 22, 0, 0, TimeSpan.Zero);
        var budget = new WriteBudget([(at, 3), (at.AddSeconds(1), 2)]);

        Assert.Equal(budget.Reservations.ToArray(), WriteBudget.Parse(budget.Serialize()).ToArray());
        Assert.Equal([(at, 3)], WriteBudget.Parse($"{at.UtcTicks}:3;x:1;5:-1;99999999999999999999:1;;").ToArray());
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;

        public void AdvanceTo(DateTimeOffset at) => _now = at > _now ? at : _now;
    }

    /// <summary>GitHub's secondary limit as a sliding window over every write it received.</summary>
    private sealed class SecondaryLimit(TimeProvider clock)
    {
        private readonly List<DateTimeOffset> _writes = [];

        public int Total => _writes.Count;

        public int MaxInAnyMinute { get; private set; }

        public int MaxInAnyHour { get; private set; }

        public void Write()
        {
            var now = clock.GetUtcNow();
            _writes.Add(now);
            MaxInAnyMinute = Math.Max(MaxInAnyMinute, _writes.Count(w => now - w < TimeSpan.FromMinutes(1)));
            MaxInAnyHour = Math.Max(MaxInAnyHour, _writes.Count(w => now - w < TimeSpan.FromHours(1)));
        }
    }

    /// <summary>Lets another reservation run between a replica's read and its save, as two replicas would.</summary>
    private sealed class RacingStore(IWriteBudgetStore inner) : IWriteBudgetStore
    {
        public Func<Task<PaceDecision>>? BeforeSave { get; set; }

        public PaceDecision? InnerResult { get; private set; }

        public Task<WriteBudget> GetAsync(long installationId, CancellationToken cancellationToken) => inner.GetAsync(installationId, cancellationToken);

        public async Task<bool> TrySaveAsync(long installationId, WriteBudget budget, CancellationToken cancellationToken)
        {
            if (BeforeSave is { } race)
            {
                InnerResult = await race();
            }

            return await inner.TrySaveAsync(installationId, budget, cancellationToken);
        }
    }
}
