using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Onboarding;

namespace ReviewBot.GitHub.Tests.Onboarding;

public class RepositoryOnboarderTests
{
    private const string Root = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
    private const string Clean = "FROM python:3.12-slim\nRUN useradd -r app\nUSER app\n";
    private static readonly string Head = new('a', 40);
    private static readonly string Moved = new('b', 40);

    [Fact]
    public async Task A_root_repository_gets_one_pull_request_in_one_commit_with_three_writes()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root, ["web/Dockerfile"] = Root, ["README.md"] = "hi" } };

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.Opened, result.Outcome);
        var commit = Assert.Single(github.Commits);
        Assert.Equal(["Dockerfile", "web/Dockerfile"], commit.Select(c => c.Path));
        var pr = Assert.Single(github.PullRequests);
        Assert.Equal(("main", OnboardingPlan.Title), (pr.Base, pr.Title));
        Assert.StartsWith(OnboardingPlan.Marker, pr.Body, StringComparison.Ordinal);
        Assert.Equal(RepositoryOnboarder.WritesPerRepository, github.Writes);
        Assert.Equal(5, github.Reads); // repository, tree, one read of every text, our pull requests, our branch
        Assert.Equal([RepositoryOnboarder.WritesPerRepository], github.Reserved);
    }

    [Fact]
    public async Task A_docker_container_actions_image_is_left_as_root_and_the_rest_is_fixed()
    {
        // GitHub's docs for Docker container actions: no USER (the workspace is mounted root-owned); a fix would break the action.
        var github = new FakeGitHub
        {
            Files =
            {
                ["action.yml"] = "name: lint\nruns:\n  using: docker\n  image: Dockerfile\n",
                ["Dockerfile"] = Root,
                ["web/Dockerfile"] = Root,
            },
        };

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.Opened, result.Outcome);
        Assert.Equal(["web/Dockerfile"], Assert.Single(github.Commits).Select(c => c.Path));
    }

    [Fact]
    public async Task Only_files_named_like_a_Dockerfile_outside_github_are_edited_whatever_the_config_includes()
    {
        var github = new FakeGitHub
        {
            Files =
            {
                [".github/reviewbot.yml"] = "paths:\n  include: ['.github/workflows/*.yml', 'images/*.txt', '.github/**']\n",
                [".github/workflows/ci.yml"] = Root,
                [".github/Dockerfile"] = Root,
                ["images/base.txt"] = Root,
                ["Dockerfile"] = Root,
            },
        };

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.Opened, result.Outcome);
        Assert.Equal(["Dockerfile"], Assert.Single(github.Commits).Select(c => c.Path));
    }

    [Fact]
    public async Task A_branch_by_our_name_with_someone_elses_commit_is_never_moved()
    {
        string theirs = new('e', 40);
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root }, Branch = theirs };

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.BranchNotOurs, result.Outcome);
        Assert.Contains(theirs, result.Reason, StringComparison.Ordinal);
        Assert.Equal((0, theirs), (github.Writes, github.Branch));
        Assert.Empty(github.Reserved);
    }

    [Fact]
    public async Task A_default_branch_named_like_ours_is_never_committed_to()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root }, DefaultBranch = OnboardingPlan.Branch };

        var result = await Onboard(github);

        Assert.Equal((OnboardingOutcome.BranchNotOurs, 0), (result.Outcome, github.Writes));
    }

    [Fact]
    public async Task A_run_after_a_commit_whose_answer_was_lost_opens_the_pull_request_without_committing_again()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root }, FailPullRequestOnce = true };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Onboard(github));
        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.Opened, result.Outcome);
        Assert.Single(github.Commits);
        var pr = Assert.Single(github.PullRequests);
        Assert.Contains($"commit={pr.HeadSha}", pr.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refresh_that_stopped_after_moving_the_branch_commits_once_on_the_next_run()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };
        await Onboard(github);
        github.Head = Moved;
        github.FailCommitOnce = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Onboard(github));
        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.Refreshed, result.Outcome);
        Assert.Equal(2, github.Commits.Count);
        Assert.Contains($"base={Moved}", github.PullRequests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clean_repository_gets_nothing()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Clean } };

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.NothingToFix, result.Outcome);
        Assert.Equal(0, github.Writes);
        Assert.Empty(github.Reserved);
        Assert.Equal(4, github.Reads); // repository, tree, texts, and our pull requests (one may be open and stale)
    }

    [Fact]
    public async Task An_open_onboarding_pull_request_is_never_doubled()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };
        await Onboard(github);

        var again = await Onboard(github);

        Assert.Equal(OnboardingOutcome.AlreadyOpen, again.Outcome);
        Assert.Single(github.PullRequests);
        Assert.Equal(RepositoryOnboarder.WritesPerRepository, github.Writes);
    }

    [Fact]
    public async Task When_the_default_branch_moves_our_branch_is_refreshed_in_place()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };
        await Onboard(github);
        github.Head = Moved;

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.Refreshed, result.Outcome);
        Assert.Single(github.PullRequests);
        Assert.Equal(2, github.Commits.Count);
        Assert.Equal(Moved, github.BranchAt);
        Assert.Contains($"base={Moved}", github.PullRequests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_edited_on_github_com_still_reads_as_ours()
    {
        // github.com's editor saves the description with CRLF line endings; the state line must still be found, or the
        // pull request reads as "a person pushed to it" and is never refreshed or closed again.
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };
        await Onboard(github);
        github.PullRequests[0] = github.PullRequests[0] with { Body = github.PullRequests[0].Body.ReplaceLineEndings("\r\n") + "\r\nThanks, looks good." };
        github.Head = Moved;

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.Refreshed, result.Outcome);
        Assert.Equal(Moved, github.BranchAt);
    }

    [Fact]
    public async Task When_a_person_pushed_to_our_branch_it_is_left_alone()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };
        await Onboard(github);
        github.PullRequests[0] = github.PullRequests[0] with { HeadSha = new string('c', 40) };
        github.Head = Moved;
        int writes = github.Writes;

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.LeftAlone, result.Outcome);
        Assert.Equal(writes, github.Writes);
    }

    [Fact]
    public async Task A_pull_request_closed_unmerged_is_not_recreated_for_the_same_fixes_but_is_for_new_ones()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };
        await Onboard(github);
        github.PullRequests[0] = github.PullRequests[0] with { Open = false };
        github.Head = Moved;

        Assert.Equal(OnboardingOutcome.Declined, (await Onboard(github)).Outcome);
        Assert.Single(github.PullRequests);

        github.Files["api/Dockerfile"] = Root;
        github.Head = new string('d', 40);
        Assert.Equal(OnboardingOutcome.Opened, (await Onboard(github)).Outcome);
        Assert.Equal(2, github.PullRequests.Count);
        Assert.True(github.BranchMoved, "the old branch is moved, not created again");
    }

    [Fact]
    public async Task When_the_fixes_land_on_the_default_branch_another_way_our_pull_request_is_closed_saying_why_and_its_branch_deleted()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };
        await Onboard(github);
        github.Files["Dockerfile"] = Clean;
        github.Head = Moved;

        var result = await Onboard(github);

        Assert.Equal((OnboardingOutcome.Closed, (int?)1), (result.Outcome, result.PullRequest));
        Assert.False(github.PullRequests[0].Open);
        Assert.Null(github.BranchAt);
        Assert.Contains(Moved, Assert.Single(github.Comments), StringComparison.Ordinal);
        Assert.Equal([RepositoryOnboarder.WritesPerRepository, RepositoryOnboarder.WritesToClose], github.Reserved);
        Assert.Equal(RepositoryOnboarder.WritesPerRepository + RepositoryOnboarder.WritesToClose, github.Writes);

        // Closed by us, not declined by a person: when root comes back, so do the fixes.
        github.Files["Dockerfile"] = Root;
        github.Head = new string('d', 40);
        Assert.Equal(OnboardingOutcome.Opened, (await Onboard(github)).Outcome);
    }

    [Fact]
    public async Task A_stale_pull_request_a_person_pushed_to_is_left_open_with_its_branch()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };
        await Onboard(github);
        github.PullRequests[0] = github.PullRequests[0] with { HeadSha = new string('c', 40) };
        github.Files["Dockerfile"] = Clean;
        github.Head = Moved;
        int writes = github.Writes;

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.LeftAlone, result.Outcome);
        Assert.True(github.PullRequests[0].Open);
        Assert.NotNull(github.BranchAt);
        Assert.Equal(writes, github.Writes);
    }

    [Fact]
    public async Task A_pull_request_is_not_closed_as_stale_while_a_Dockerfile_went_unread()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root, ["api/Dockerfile"] = Root } };
        await Onboard(github);
        github.Files["Dockerfile"] = Clean;
        github.Unreadable.Add("api/Dockerfile");
        github.Head = Moved;

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.LeftAlone, result.Outcome);
        Assert.True(github.PullRequests[0].Open);
    }

    [Fact]
    public async Task Closing_a_stale_pull_request_waits_for_the_write_budget_like_any_write()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };
        await Onboard(github);
        github.Files["Dockerfile"] = Clean;
        github.Head = Moved;
        int writes = github.Writes;

        var deferred = await Assert.ThrowsAsync<WorkDeferredException>(() => RepositoryOnboarder.OnboardAsync(github, "o", "r", _ => Task.FromResult(true), n => Task.FromResult<TimeSpan?>(n == RepositoryOnboarder.WritesToClose ? TimeSpan.FromSeconds(42) : null), default));

        Assert.Equal(TimeSpan.FromSeconds(42), deferred.RetryAfter);
        Assert.Equal(writes, github.Writes);
        Assert.True(github.PullRequests[0].Open);
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public async Task Archived_fork_and_empty_repositories_are_skipped(bool archived, bool fork, bool empty)
    {
        var github = new FakeGitHub { Archived = archived, Fork = fork, Files = { ["Dockerfile"] = Root } };
        if (empty)
        {
            github.Head = null;
        }

        Assert.Equal(OnboardingOutcome.Skipped, (await Onboard(github)).Outcome);
        Assert.Equal(1, github.Reads);
        Assert.Equal(0, github.Writes);
    }

    [Fact]
    public async Task Onboarding_false_in_the_default_branchs_config_turns_it_off()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root, [".github/reviewbot.yml"] = "onboarding: false\n" } };

        var result = await Onboard(github);

        Assert.Equal(OnboardingOutcome.OptedOut, result.Outcome);
        Assert.Equal(0, github.Writes);
    }

    [Fact]
    public async Task Below_the_reserve_kept_for_reviews_nothing_is_read_and_it_comes_back_when_GitHub_renews_the_budget()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root }, ReadBudgetWait = TimeSpan.FromMinutes(12) };

        var deferred = await Assert.ThrowsAsync<WorkDeferredException>(() => RepositoryOnboarder.OnboardAsync(github, "o", "r", _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default));

        Assert.Equal(TimeSpan.FromMinutes(12), deferred.RetryAfter);
        Assert.Equal((0, 0), (github.Reads, github.Writes));
    }

    [Fact]
    public async Task A_spent_budget_writes_nothing_and_says_when_to_come_back()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };

        var deferred = await Assert.ThrowsAsync<WorkDeferredException>(() => RepositoryOnboarder.OnboardAsync(github, "o", "r", _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(TimeSpan.FromSeconds(42)), default));

        Assert.Equal(TimeSpan.FromSeconds(42), deferred.RetryAfter);
        Assert.Equal(0, github.Writes);
    }

    [Fact]
    public async Task A_repository_claimed_by_another_item_is_not_done_twice()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root } };

        var result = await RepositoryOnboarder.OnboardAsync(github, "o", "r", sha => Task.FromResult(sha != Head), _ => Task.FromResult<TimeSpan?>(null), default);

        Assert.Equal(OnboardingOutcome.Skipped, result.Outcome);
        Assert.Equal(0, github.Writes);
    }

    [Fact]
    public async Task Files_over_the_caps_are_named_in_the_body()
    {
        var github = new FakeGitHub { Files = { ["Dockerfile"] = Root, ["big/Dockerfile"] = Root }, Sizes = { ["big/Dockerfile"] = 5L * 1024 * 1024 } };

        await Onboard(github);

        Assert.Contains("`big/Dockerfile`", github.PullRequests[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("big/Dockerfile", github.TextsRead);
    }

    private static Task<OnboardingResult> Onboard(FakeGitHub github) =>
        RepositoryOnboarder.OnboardAsync(github, "o", "r", _ => Task.FromResult(true), n => { github.Reserved.Add(n); return Task.FromResult<TimeSpan?>(null); }, default);

    private sealed class FakeGitHub : IOnboardingGitHub
    {
        public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Sizes { get; } = new(StringComparer.Ordinal);

        public string? Head { get; set; } = RepositoryOnboarderTests.Head;

        public string DefaultBranch { get; init; } = "main";

        /// <summary>The next pull request creation throws (before it happens).</summary>
        public bool FailPullRequestOnce { get; set; }

        /// <summary>The next commit throws (before it happens).</summary>
        public bool FailCommitOnce { get; set; }

        public bool Archived { get; init; }

        public bool Fork { get; init; }

        public int Reads { get; private set; }

        public int Writes { get; private set; }

        public List<int> Reserved { get; } = [];

        public List<string> TextsRead { get; } = [];

        /// <summary>Paths GraphQL answers null for (not readable as text).</summary>
        public HashSet<string> Unreadable { get; } = new(StringComparer.Ordinal);

        public List<string> Comments { get; } = [];

        public List<IReadOnlyList<OnboardingChange>> Commits { get; } = [];

        public List<(int Number, string Base, string Title, string Body, bool Open, bool Merged, string HeadSha)> PullRequests { get; } = [];

        public string? BranchAt { get; private set; }

        public bool BranchMoved { get; private set; }

        private string? _branchHead;

        public Task<RepositoryFacts> GetRepositoryAsync(string owner, string repo, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(new RepositoryFacts(DefaultBranch, Head, Archived, Fork, "R_node"));
        }

        public Task<RepositoryTree> ReadTreeAsync(string owner, string repo, string sha, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(new RepositoryTree([.. Files.Select(f => new TreeEntry(f.Key, TreeEntryKind.File, Sizes.GetValueOrDefault(f.Key, f.Value.Length)))], false));
        }

        public Task<IReadOnlyList<FileRead>> ReadFilesAsync(string owner, string repo, string sha, IReadOnlyList<string> paths, long maxBytes, CancellationToken cancellationToken)
        {
            Reads++;
            TextsRead.AddRange(paths);
            return Task.FromResult<IReadOnlyList<FileRead>>([.. paths.Select(p =>
                Unreadable.Contains(p) ? new FileRead(FileReadStatus.NotText, null, null)
                : Files.GetValueOrDefault(p) is { } text ? new FileRead(FileReadStatus.Read, text, text.Length)
                : new FileRead(FileReadStatus.Missing, null, null))]);
        }

        public Task<IReadOnlyList<OnboardingPullRequest>> ListOurPullRequestsAsync(string owner, string repo, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult<IReadOnlyList<OnboardingPullRequest>>([.. PullRequests.AsEnumerable().Reverse().Select(p => new OnboardingPullRequest(p.Number, p.Open, p.Merged, p.HeadSha, p.Body))]);
        }

        /// <summary>Where our branch points now (set it for a branch someone else made).</summary>
        public string? Branch { get => _branchHead; set => _branchHead = value; }

        /// <summary>Commits made by CommitAsync, with their parent.</summary>
        private readonly Dictionary<string, string> _made = new(StringComparer.Ordinal);

        public Task<string?> GetBranchAsync(string owner, string repo, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(_branchHead);
        }

        public Task CreateBranchAsync(string owner, string repo, string sha, CancellationToken cancellationToken)
        {
            Writes++;
            Assert.Null(_branchHead);
            BranchAt = _branchHead = sha;
            return Task.CompletedTask;
        }

        public Task MoveBranchAsync(string owner, string repo, string repositoryNodeId, string from, string to, CancellationToken cancellationToken)
        {
            Writes++;
            Assert.Equal((from, "R_node"), (_branchHead, repositoryNodeId));
            BranchMoved = true;
            BranchAt = _branchHead = to;
            for (int i = 0; i < PullRequests.Count; i++)
            {
                if (PullRequests[i].Open)
                {
                    PullRequests[i] = PullRequests[i] with { HeadSha = to };
                }
            }

            return Task.CompletedTask;
        }

        public Task<bool> IsOurCommitAsync(string owner, string repo, string sha, string parentSha, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(_made.TryGetValue(sha, out var parent) && parent == parentSha);
        }

        public Task<string> CommitAsync(string owner, string repo, string expectedHeadSha, IReadOnlyList<OnboardingChange> changes, string message, CancellationToken cancellationToken)
        {
            if (FailCommitOnce)
            {
                FailCommitOnce = false;
                throw new InvalidOperationException("GitHub answered 502");
            }

            Writes++;
            Assert.Equal(_branchHead, expectedHeadSha);
            Commits.Add(changes);
            _branchHead = Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(expectedHeadSha + Commits.Count))).ToLowerInvariant();
            _made[_branchHead] = expectedHeadSha;
            for (int i = 0; i < PullRequests.Count; i++)
            {
                if (PullRequests[i].Open)
                {
                    PullRequests[i] = PullRequests[i] with { HeadSha = _branchHead };
                }
            }

            return Task.FromResult(_branchHead);
        }

        public Task<int> CreatePullRequestAsync(string owner, string repo, string baseBranch, string title, string body, CancellationToken cancellationToken)
        {
            if (FailPullRequestOnce)
            {
                FailPullRequestOnce = false;
                throw new InvalidOperationException("GitHub answered 502");
            }

            Writes++;
            Assert.DoesNotContain(PullRequests, p => p.Open);
            PullRequests.Add((PullRequests.Count + 1, baseBranch, title, body, true, false, _branchHead!));
            return Task.FromResult(PullRequests.Count);
        }

        public Task UpdatePullRequestAsync(string owner, string repo, int number, string body, CancellationToken cancellationToken)
        {
            Writes++;
            PullRequests[number - 1] = PullRequests[number - 1] with { Body = body };
            return Task.FromResult(0);
        }

        public TimeSpan? ReadBudgetWait { get; init; }

        public TimeSpan? BackgroundWait() => ReadBudgetWait;

        public Task ClosePullRequestAsync(string owner, string repo, int number, string comment, string body, CancellationToken cancellationToken)
        {
            Writes += 3;
            Comments.Add(comment);
            PullRequests[number - 1] = PullRequests[number - 1] with { Body = body, Open = false };
            BranchAt = _branchHead = null;
            return Task.CompletedTask;
        }
    }
}
