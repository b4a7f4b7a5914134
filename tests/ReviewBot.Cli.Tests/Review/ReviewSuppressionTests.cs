namespace ReviewBot.Cli.Tests.Review;

/// <summary><c>reviewbot review --base</c> follows <c>check.suppressions</c> like the App: the base's pragmas are read from git at the base.</summary>
public sealed class ReviewSuppressionTests : IDisposable
{
    private const string Root = "FROM debian:bookworm-slim\nCOPY app /app\nUSER root\nCMD [\"/app/run\"]\n";
    private const string Suppressed = "FROM debian:bookworm-slim\nCOPY app /app\n# hadolint ignore=DL3002\nUSER root\nCMD [\"/app/run\"]\n";

    private readonly TempGitRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_pragma_the_branch_adds_passes_by_default_and_is_listed_as_added()
    {
        _repo.Branch(Root, Suppressed);

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("## Check run `ReviewBot / non-root`: success", run.Out, StringComparison.Ordinal);
        Assert.Contains("| `Dockerfile` | 4 | RB001 root-user | `# hadolint ignore=DL3002` (line 3) | yes |", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_check_suppressions_base_a_pragma_the_branch_adds_is_ignored_and_the_review_fails()
    {
        _repo.Branch(Root, Suppressed, "check:\n  suppressions: base\n  fail_on: all\n");

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("**ignored** because `check.suppressions: base`", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_check_suppressions_base_a_pragma_main_already_had_still_counts()
    {
        _repo.Branch(Suppressed, Suppressed.Replace("CMD", "EXPOSE 8080\nCMD", StringComparison.Ordinal), "check:\n  suppressions: base\n");

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("| `Dockerfile` | 4 | RB001 root-user | `# hadolint ignore=DL3002` (line 3) | no |", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_config_in_the_branch_cannot_switch_base_only_off()
    {
        _repo.Branch(Root, Suppressed, "check:\n  suppressions: base\n  fail_on: all\n");
        _repo.Write(".github/reviewbot.yml", "check:\n  suppressions: any\n  fail_on: all\n");
        _repo.Commit("weaken the gate");

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
    }
}
