namespace ReviewBot.Cli.Tests.Scanning;

/// <summary>`reviewbot scan` and `reviewbot review` fail an image that runs as root unless it really drops root when it starts.</summary>
public class StepDownScanTests
{
    private const string EntrypointScript = "COPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"srv\"]\n";

    [Fact]
    public async Task A_step_down_tool_only_named_in_an_echo_fails_the_scan()
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", "FROM debian:bookworm-slim\nRUN echo gosu > /dev/null\n" + EntrypointScript);

        var run = await Cli.RunAsync(temp.Root, "scan");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_step_down_passes_the_scan_with_a_notice()
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", "FROM debian:bookworm-slim\nRUN useradd app\nENTRYPOINT [\"tini\", \"--\", \"gosu\", \"app\", \"srv\"]\n");

        var run = await Cli.RunAsync(temp.Root, "scan");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("drops root with gosu", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_entrypoint_script_beside_the_dockerfile_is_read()
    {
        using var temp = new TempFolder();
        temp.Write("steps/Dockerfile", "FROM debian:bookworm-slim\n" + EntrypointScript);
        temp.Write("steps/docker-entrypoint.sh", "#!/bin/sh\nset -e\nif [ \"$(id -u)\" = 0 ]; then\n  exec gosu app \"$0\" \"$@\"\nfi\nexec \"$@\"\n");
        // gosu is installed, but the script beside the Dockerfile never calls it.
        temp.Write("installs/Dockerfile", "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\n" + EntrypointScript);
        temp.Write("installs/docker-entrypoint.sh", "#!/bin/sh\n# gosu app \"$@\" was here\nexec \"$@\"\n");

        var steps = await Cli.RunAsync(temp.Root, "scan", "steps/Dockerfile");
        var installs = await Cli.RunAsync(temp.Root, "scan", "installs/Dockerfile");

        Assert.Equal(0, steps.ExitCode);
        Assert.Contains("in its entrypoint script docker-entrypoint.sh", steps.Out, StringComparison.Ordinal);
        Assert.Equal(1, installs.ExitCode);
    }

    [Fact]
    public async Task A_script_outside_the_dockerfiles_folder_or_linked_out_of_the_tree_is_not_read()
    {
        using var temp = new TempFolder();
        string outside = temp.Write("elsewhere/entrypoint.sh", "#!/bin/sh\nexec gosu app \"$@\"\n");
        temp.Write("tree/up/app/Dockerfile", "FROM debian:bookworm-slim\nCOPY ../../elsewhere/entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n");
        temp.Write("tree/linked/Dockerfile", "FROM debian:bookworm-slim\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n");
        File.CreateSymbolicLink(Path.Combine(temp.Root, "tree", "linked", "entrypoint.sh"), outside);
        string tree = Path.Combine(temp.Root, "tree");

        Assert.Equal(1, (await Cli.RunAsync(tree, "scan", "up/app/Dockerfile")).ExitCode);
        Assert.Equal(1, (await Cli.RunAsync(tree, "scan", "linked/Dockerfile")).ExitCode);
    }

    [Fact]
    public async Task A_script_in_a_folder_of_the_context_is_read_and_through_a_link_only_inside_the_tree()
    {
        using var temp = new TempFolder();
        const string Script = "#!/bin/sh\nexec gosu app \"$@\"\n";
        const string Dockerfile = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\nCOPY scripts/run/entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n";
        temp.Write("tree/nested/Dockerfile", Dockerfile);
        temp.Write("tree/nested/scripts/run/entrypoint.sh", Script);
        temp.Write("tree/shared/run/entrypoint.sh", Script);
        temp.Write("outside/run/entrypoint.sh", Script);
        temp.Write("tree/linked-in/Dockerfile", Dockerfile);
        temp.Write("tree/linked-out/Dockerfile", Dockerfile);
        Directory.CreateSymbolicLink(Path.Combine(temp.Root, "tree", "linked-in", "scripts"), Path.Combine("..", "shared"));
        Directory.CreateSymbolicLink(Path.Combine(temp.Root, "tree", "linked-out", "scripts"), Path.Combine(temp.Root, "outside"));
        string tree = Path.Combine(temp.Root, "tree");

        // JSON: the text report wraps its prose to the terminal's width.
        var nested = await Cli.RunAsync(tree, "scan", "nested/Dockerfile", "--format", "json");
        var linkedIn = await Cli.RunAsync(tree, "scan", "linked-in/Dockerfile", "--format", "json");
        var linkedOut = await Cli.RunAsync(tree, "scan", "linked-out/Dockerfile", "--format", "json");

        Assert.Contains("in its entrypoint script", nested.Out, StringComparison.Ordinal);
        Assert.Contains("in its entrypoint script", linkedIn.Out, StringComparison.Ordinal);
        // Not read: a build cannot copy from outside its context, so the image has no such script; the step-down is
        // only presumed from the installed tool, and said to be.
        Assert.DoesNotContain("in its entrypoint script", linkedOut.Out, StringComparison.Ordinal);
        Assert.Contains("a script ReviewBot cannot read", linkedOut.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_linked_or_padded_script_that_never_calls_the_installed_gosu_fails_the_scan()
    {
        using var temp = new TempFolder();
        const string Dockerfile = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\n" + EntrypointScript;
        temp.Write("linked/Dockerfile", Dockerfile);
        temp.Write("scripts/never.sh", "#!/bin/sh\nexec \"$@\"\n");
        File.CreateSymbolicLink(Path.Combine(temp.Root, "linked", "docker-entrypoint.sh"), Path.Combine("..", "scripts", "never.sh"));
        temp.Write("padded/Dockerfile", Dockerfile);
        temp.Write("padded/docker-entrypoint.sh", "#!/bin/sh\nexec gosu app \"$@\"\n" + new string('#', ReviewBot.Analysis.AnalyzerOptions.MaxContextFileChars) + "\n");

        var linked = await Cli.RunAsync(temp.Root, "scan", "linked/Dockerfile", "--format", "json");
        var padded = await Cli.RunAsync(temp.Root, "scan", "padded/Dockerfile", "--format", "json");

        Assert.Equal(1, linked.ExitCode);
        Assert.DoesNotContain("cannot read", linked.Out, StringComparison.Ordinal);
        Assert.Equal(1, padded.ExitCode);
        Assert.DoesNotContain("cannot read", padded.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_reads_the_entrypoint_script_at_the_head_commit_so_an_unused_gosu_fails()
    {
        using var repo = new TempGitRepository();
        repo.Write("README.md", "hello\n");
        repo.Commit("base");
        repo.Git("checkout", "-q", "-b", "feature");
        repo.Write("installs/Dockerfile", "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\n" + EntrypointScript);
        repo.Write("installs/docker-entrypoint.sh", "#!/bin/sh\n# gosu app \"$@\" was here\nexec \"$@\"\n");
        repo.Commit("change");
        // The working tree is not what is judged: the commit is.
        repo.Write("installs/docker-entrypoint.sh", "#!/bin/sh\nexec gosu app \"$@\"\n");

        var run = await Cli.RunAsync(repo.Root, "review", "--format", "json");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Equal("failure", System.Text.Json.Nodes.JsonNode.Parse(run.Out)!["check"]!["conclusion"]!.GetValue<string>());
        Assert.DoesNotContain("cannot read", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_of_a_change_to_the_entrypoint_script_alone_judges_the_dockerfile_that_starts_it()
    {
        using var repo = new TempGitRepository();
        repo.Write("app/Dockerfile", "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\n" + EntrypointScript);
        repo.Write("app/docker-entrypoint.sh", "#!/bin/sh\nexec gosu app \"$@\"\n");
        repo.Commit("base");
        repo.Git("checkout", "-q", "-b", "feature");
        repo.Write("app/docker-entrypoint.sh", "#!/bin/sh\nexec \"$@\"\n");
        repo.Commit("drop the step-down");

        var run = await Cli.RunAsync(repo.Root, "review", "--format", "json");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var check = System.Text.Json.Nodes.JsonNode.Parse(run.Out)!["check"]!;
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("`app/Dockerfile` is checked because", check["summary"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
