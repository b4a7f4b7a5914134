using System.Collections.Immutable;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.PullRequests;

namespace ReviewBot.GitHub.Tests.PullRequests;

/// <summary>Issue 20 item 3: a budget of Dockerfile text per review and per process, kept before any text is read.</summary>
public sealed class TextBudgetTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Takes_past_the_limit_wait_in_arrival_order_until_bytes_are_given_back()
    {
        var budget = new TextBudget(20 * MiB);
        using var first = budget.Open();
        await first.TakeAsync(15 * MiB, default);
        using var second = budget.Open();
        using var third = budget.Open();
        var large = second.TakeAsync(10 * MiB, default);
        var small = third.TakeAsync(1 * MiB, default); // would fit, but waits behind the large one: no starving it

        await Task.Delay(50);
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        first.Dispose();
        await Task.WhenAll(large, small).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(11 * MiB, budget.Held);
        Assert.Equal(15 * MiB, budget.PeakHeld);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_line_and_lets_the_one_behind_it_in()
    {
        var budget = new TextBudget(16 * MiB);
        using var holder = budget.Open();
        await holder.TakeAsync(10 * MiB, default);
        using var cancel = new CancellationTokenSource();
        using var blocked = budget.Open();
        var waiting = blocked.TakeAsync(16 * MiB, cancel.Token);
        using var behind = budget.Open();
        var next = behind.TakeAsync(5 * MiB, default);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        blocked.Dispose(); // it took nothing, so it gives nothing back
        Assert.Equal(15 * MiB, budget.Held);
    }

    [Fact]
    public void A_process_budget_smaller_than_one_reviews_is_refused_at_start()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextBudget(PullRequestReviewer.MaxReviewTextBytes - 1));
    }

    [Fact]
    public async Task Dockerfiles_past_the_reviews_budget_are_never_downloaded()
    {
        // Five of 3.9 MB: the tree's sizes say the fifth is past 16 MiB before any text is asked for.
        var source = new MemorySource(Enumerable.Range(1, 5).Select(i => ($"d{i}/Dockerfile", 3_900_000)));

        var input = await new PullRequestReviewer().ReadAsync(source, default);

        Assert.DoesNotContain("d5/Dockerfile", source.TextsAsked);
        Assert.Equal(4, source.TextsAsked.Count);
        Assert.False(input.Complete);
        Assert.Contains(input.Notes, n => n.Contains("`d5/Dockerfile` over the review's budget of 16 MiB", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_review_reads_no_text_while_the_process_budget_is_held_by_others_and_reads_once_it_is_given_back()
    {
        var budget = new TextBudget(PullRequestReviewer.MaxReviewTextBytes);
        var reviewer = new PullRequestReviewer();
        var firstSource = new MemorySource(Enumerable.Range(1, 4).Select(i => ($"a{i}/Dockerfile", 4_000_000)));
        var secondSource = new MemorySource(Enumerable.Range(1, 4).Select(i => ($"b{i}/Dockerfile", 4_000_000)));
        var first = budget.Open();
        await reviewer.ReadAsync(firstSource, default, texts: first);

        using var second = budget.Open();
        var reading = reviewer.ReadAsync(secondSource, default, texts: second);
        await Task.Delay(200);

        Assert.False(reading.IsCompleted);
        Assert.Empty(secondSource.TextsAsked);
        first.Dispose();
        var input = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4, secondSource.TextsAsked.Count);
        Assert.True(input.Complete);
        Assert.True(budget.PeakHeld <= budget.Limit);
    }

    [Fact]
    public async Task A_cancelled_review_stops_inside_the_analysis_of_a_large_file()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var text = "FROM debian:bookworm-slim\n" + string.Concat(Enumerable.Repeat("RUN echo hello\n", 200_000));

        Assert.ThrowsAny<OperationCanceledException>(() => Analysis.DockerfileAnalyzer.Analyze(text, Analysis.AnalyzerOptions.Default with { Cancellation = cancel.Token }));
    }

    /// <summary>A pull request adding Dockerfiles of the given sizes (root images padded with comments); records which texts were read.</summary>
    private sealed class MemorySource(IEnumerable<(string Path, int Bytes)> files) : IPullRequestSource
    {
        private readonly Dictionary<string, string> _texts = files.ToDictionary(f => f.Path, f => Pad(f.Bytes), StringComparer.Ordinal);

        public List<string> TextsAsked { get; } = [];

        public string ConfigLabel => "memory";

        private static string Pad(int bytes)
        {
            const string Head = "FROM debian:bookworm-slim\n";
            return Head + new string('#', bytes - Head.Length - 1) + "\n";
        }

        public Task<ChangedFiles> ListFilesAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new ChangedFiles([.. _texts.Keys.Select(p => new ChangedFile(p, "added", null, null))], false));

        public ValueTask<string?> PatchAsync(ChangedFile file, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

        public Task<FileRead> ReadHeadFileAsync(string path, long maxBytes, CancellationToken cancellationToken)
        {
            lock (TextsAsked)
            {
                TextsAsked.Add(path);
            }

            var text = _texts[path];
            return Task.FromResult(text.Length > maxBytes ? new FileRead(FileReadStatus.TooLarge, null, text.Length) : new FileRead(FileReadStatus.Read, text, text.Length));
        }

        public Task<FileRead> ReadConfigAsync(long maxBytes, CancellationToken cancellationToken) => Task.FromResult(new FileRead(FileReadStatus.Missing, null, null));

        public Task<IReadOnlyList<FileRead>> ReadBaseFilesAsync(IReadOnlyList<string> paths, long maxBytes, long maxTotalBytes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<FileRead>>([.. paths.Select(_ => new FileRead(FileReadStatus.Missing, null, null))]);

        public Task<RepositoryTree> ReadHeadTreeAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new RepositoryTree([.. _texts.Select(t => new TreeEntry(t.Key, TreeEntryKind.File, t.Value.Length))], false));
    }
}
