namespace ReviewBot.Cli.Tests.Review;

/// <summary>
/// Issue 22 item 1: <c>reviewbot review</c> gates like the App, on what the branch changes (<c>check.fail_on: new</c>,
/// the default), comparing each Dockerfile with its version at the base read from git; <c>scan</c> still judges everything.
/// </summary>
public sealed class ReviewGateTests : IDisposable
{
    private const string Root = "FROM debian:bookworm-slim\nRUN apt-get update\nCOPY app /app\nCMD [\"/app/run\"]\n";
    private const string NonRoot = "FROM debian:bookworm-slim\nRUN apt-get update\nCOPY app /app\nUSER nobody\nCMD [\"/app/run\"]\n";

    private readonly TempGitRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private static string Edited(string text) => text.Replace("RUN apt-get update", "RUN apt-get update && apt-get install -y curl", StringComparison.Ordinal);

    [Fact]
    public async Task Editing_an_unrelated_line_of_a_root_Dockerfile_passes_and_says_the_problem_was_already_there()
    {
        _repo.Branch(Root, Edited(Root));

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("## Check run `ReviewBot / non-root`: success", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 problem was already there before this pull request (not blocking with `check.fail_on: new`)", run.Out, StringComparison.Ordinal);
        Assert.Contains("*Already there before this pull request*", run.Out, StringComparison.Ordinal);

        // scan is unchanged: the file runs as root.
        var scan = await Cli.RunAsync(_repo.Root, "scan", "Dockerfile");
        Assert.Equal(ExitCodes.Findings, scan.ExitCode);
    }

    [Fact]
    public async Task Removing_the_USER_fails()
    {
        _repo.Branch(NonRoot, Root);

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.DoesNotContain("already there", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_check_fail_on_all_the_old_problem_fails_and_the_branch_cannot_switch_it()
    {
        _repo.Branch(Root, Edited(Root), "check:\n  fail_on: all\n");
        _repo.Write(".github/reviewbot.yml", "check:\n  fail_on: new\n");
        _repo.Commit("loosen the gate");

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
    }

    [Fact]
    public async Task A_renamed_Dockerfile_is_compared_with_its_old_path()
    {
        _repo.Write("Dockerfile", Root);
        _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Git("mv", "Dockerfile", "web.Dockerfile");
        _repo.Write("web.Dockerfile", Edited(Root));
        _repo.Commit("rename");

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("already there", run.Out, StringComparison.Ordinal);
    }
}
