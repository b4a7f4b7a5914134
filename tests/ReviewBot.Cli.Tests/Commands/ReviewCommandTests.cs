using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReviewBot.Cli.Tests.Commands;

/// <summary><c>reviewbot review</c> on real temporary git repositories.</summary>
public partial class ReviewCommandTests : IDisposable
{
    /// <summary>Runs as root (RB001, error); its fix touches lines 3-4 and the line before CMD.</summary>
    public const string BaseDockerfile = """
        FROM debian:bookworm-slim
        RUN apt-get update
        WORKDIR /app
        COPY . /app
        RUN make
        RUN make install
        RUN echo done
        CMD ["/app/run"]

        """;

    /// <summary>
    /// The branch adds EXPOSE 80 at line 8 and the CMD's --port 80 at line 9: RB004 (which moves the two together) sits
    /// in the diff, RB001's fix lies partly outside it.
    /// </summary>
    public const string HeadDockerfile = """
        FROM debian:bookworm-slim
        RUN apt-get update
        WORKDIR /app
        COPY . /app
        RUN make
        RUN make install
        RUN echo done
        EXPOSE 80
        CMD ["/app/run", "--port", "80"]

        """;

    public const string CleanDockerfile = """
        FROM debian:bookworm-slim
        RUN groupadd -r app && useradd -r -g app app
        USER app
        CMD ["/app/run"]

        """;

    /// <summary>The gate before issue 22: every problem in a changed Dockerfile counts, old or new.</summary>
    private const string FailOnAll = "check: { fail_on: all }\n";

    private readonly TempGitRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    /// <summary>
    /// main: the base Dockerfile, and <c>check.fail_on: all</c> so its old root problem counts (these tests are about
    /// where comments go, not issue 22's gate on new problems); feature: EXPOSE 80 added. Returns (base, head) commit ids.
    /// </summary>
    private (string Base, string Head) PartlyOutsideTheDiff()
    {
        _repo.Write(".github/reviewbot.yml", FailOnAll);
        _repo.Write("Dockerfile", BaseDockerfile);
        var baseSha = _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Write("Dockerfile", HeadDockerfile);
        return (baseSha, _repo.Commit("expose 80"));
    }

    [Fact]
    public async Task Markdown_puts_the_fix_inside_the_diff_inline_and_the_rest_in_a_file_comment_and_fails_the_check()
    {
        PartlyOutsideTheDiff();

        var run = await Cli.RunAsync(_repo.Root, "review");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("no --base given: comparing HEAD with", run.Error, StringComparison.Ordinal);
        Assert.Contains("its merge-base with main", run.Error, StringComparison.Ordinal);
        Assert.Contains("## Inline comments (1)\n\n### Dockerfile:8-9\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("```suggestion\nEXPOSE 8080\nCMD [\"/app/run\", \"--port\", \"8080\"]\n```", run.Out, StringComparison.Ordinal);
        var fileComments = run.Out[run.Out.IndexOf("## File comments (1)", StringComparison.Ordinal)..run.Out.IndexOf("## Check run", StringComparison.Ordinal)];
        Assert.Contains("### Dockerfile\n", fileComments, StringComparison.Ordinal);
        Assert.Contains("RB001", fileComments, StringComparison.Ordinal);
        Assert.Contains("```diff", fileComments, StringComparison.Ordinal);
        Assert.Contains("+USER appuser", fileComments, StringComparison.Ordinal);
        Assert.Contains("## Check run `ReviewBot / non-root`: failure", run.Out, StringComparison.Ordinal);
        Assert.Contains("**1 error, 1 warning in 1 Dockerfile: container runs as root**", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_has_the_review_request_fields_and_every_inline_line_is_inside_a_hunk_of_gits_diff()
    {
        var (baseSha, _) = PartlyOutsideTheDiff();
        // A new file: its whole text is one hunk, so RB001's fix is a multi-line suggestion there.
        _repo.Write("svc/Dockerfile", "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . /app\nRUN make\nCMD [\"/app/run\"]\n");
        var head = _repo.Commit("svc");

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main", "--format", "json");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var plan = JsonNode.Parse(run.Out)!;
        Assert.Equal(baseSha, plan["base"]!.GetValue<string>());
        Assert.Equal(head, plan["head"]!.GetValue<string>());
        Assert.Equal("COMMENT", plan["event"]!.GetValue<string>());
        var comments = plan["comments"]!.AsArray().Select(c => c!).ToList();
        Assert.Equal(["Dockerfile", "svc/Dockerfile"], comments.Select(c => c["path"]!.GetValue<string>()));
        foreach (var comment in comments)
        {
            var path = comment["path"]!.GetValue<string>();
            int line = comment["line"]!.GetValue<int>();
            int start = comment["start_line"]?.GetValue<int>() ?? line;
            Assert.Equal("RIGHT", comment["side"]!.GetValue<string>());
            Assert.Contains(Hunks(baseSha, head, path), h => start >= h.Start && line <= h.End);
            Assert.Contains("```suggestion\n", comment["body"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var port = comments[0];
        Assert.Equal((8, 9), (port["start_line"]!.GetValue<int>(), port["line"]!.GetValue<int>()));
        Assert.Equal("RB004", port["rule_id"]!.GetValue<string>());

        var multi = comments[1];
        Assert.Equal("RB001", multi["rule_id"]!.GetValue<string>());
        Assert.Equal(3, multi["start_line"]!.GetValue<int>());
        Assert.Equal(4, multi["line"]!.GetValue<int>());
        Assert.Equal("RIGHT", multi["start_side"]!.GetValue<string>());
        Assert.Contains("USER appuser", multi["suggestion"]!.AsArray().Select(l => l!.GetValue<string>()));

        var fileComment = Assert.Single(plan["file_comments"]!.AsArray())!;
        Assert.Equal("Dockerfile", fileComment["path"]!.GetValue<string>());
        Assert.Equal("file", fileComment["subject_type"]!.GetValue<string>());
        Assert.Contains("RB001", fileComment["body"]!.GetValue<string>(), StringComparison.Ordinal);

        var check = plan["check"]!;
        Assert.Equal("ReviewBot / non-root", check["name"]!.GetValue<string>());
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains(check["annotations"]!.AsArray(), a => a!["path"]!.GetValue<string>() == "Dockerfile" && a["start_line"]!.GetValue<int>() == 1 && a["annotation_level"]!.GetValue<string>() == "failure");
    }

    [Fact]
    public async Task A_clean_Dockerfile_succeeds_with_exit_0()
    {
        _repo.Write("README.md", "hello\n");
        _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Write("Dockerfile", CleanDockerfile);
        _repo.Commit("clean image");

        var run = await Cli.RunAsync(_repo.Root, "review", "--format", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var plan = JsonNode.Parse(run.Out)!;
        Assert.Empty(plan["comments"]!.AsArray());
        Assert.Empty(plan["file_comments"]!.AsArray());
        Assert.Equal("success", plan["check"]!["conclusion"]!.GetValue<string>());
        Assert.Equal("No problems in 1 Dockerfile", plan["check"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_config_added_on_the_branch_cannot_switch_off_its_own_gate()
    {
        PartlyOutsideTheDiff();
        _repo.Write(".github/reviewbot.yml", "rules:\n  disable: [RB001]\n");
        _repo.Commit("try to switch off RB001");

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main", "--format", "json");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var check = JsonNode.Parse(run.Out)!["check"]!;
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains(check["annotations"]!.AsArray(), a => a!["title"]!.GetValue<string>().Contains("RB001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_config_on_the_base_applies()
    {
        CommitBaseWithConfigThenHead("rules:\n  disable: [RB001]\n  severity: { RB004: notice }\n");

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main", "--format", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var plan = JsonNode.Parse(run.Out)!;
        var annotations = plan["check"]!["annotations"]!.AsArray();
        Assert.DoesNotContain(annotations, a => a!["title"]!.GetValue<string>().Contains("RB001", StringComparison.Ordinal));
        var rb004 = Assert.Single(plan["comments"]!.AsArray())!;
        Assert.Equal("notice", rb004["severity"]!.GetValue<string>());
        Assert.Equal("success", plan["check"]!["conclusion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_config_file_given_with_config_wins_and_a_broken_base_config_is_a_note_with_defaults()
    {
        File.WriteAllText(Path.Combine(_repo.Root, "local.yml"), "rules:\n  disable: [RB001, RB004]\n"); // committed on the base with the rest
        CommitBaseWithConfigThenHead("rules:\n  severity: { RB001: fatal }\nbogus: 1\n" + FailOnAll);

        var broken = await Cli.RunAsync(_repo.Root, "review", "--base", "main", "--format", "json");
        var local = await Cli.RunAsync(_repo.Root, "review", "--base", "main", "--format", "json", "--config", "local.yml");

        Assert.Equal(ExitCodes.Findings, broken.ExitCode);
        Assert.Contains("reviewbot: `.github/reviewbot.yml` on main:", broken.Error, StringComparison.Ordinal);
        Assert.Contains("bogus", broken.Error, StringComparison.Ordinal);
        Assert.Contains("(the default is used)", JsonNode.Parse(broken.Out)!["check"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Success, local.ExitCode);
        Assert.Empty(JsonNode.Parse(local.Out)!["check"]!["annotations"]!.AsArray());
    }

    [Fact]
    public async Task With_a_base_the_config_file_is_read_at_the_base_so_a_branch_editing_it_changes_nothing()
    {
        File.WriteAllText(Path.Combine(_repo.Root, "ci.yml"), "rules:\n  severity: { RB004: warning }\n" + FailOnAll);
        CommitBaseWithConfigThenHead("");
        File.WriteAllText(Path.Combine(_repo.Root, "ci.yml"), "rules:\n  disable: [RB001, RB004]\n");
        _repo.Commit("switch off my own gate");
        File.WriteAllText(Path.Combine(_repo.Root, "ci.yml"), "rules:\n  disable: [RB001, RB004]\ncheck: { conclusion_on_error: neutral }\n"); // and in the working tree

        var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main", "--format", "json", "--config", "ci.yml");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var annotations = JsonNode.Parse(run.Out)!["check"]!["annotations"]!.AsArray();
        Assert.Contains(annotations, a => a!["title"]!.GetValue<string>().Contains("RB001", StringComparison.Ordinal));
        Assert.Contains(annotations, a => a!["title"]!.GetValue<string>().Contains("RB004", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_base_a_config_file_outside_the_repository_exits_2()
    {
        CommitBaseWithConfigThenHead("");
        var outside = Path.Combine(Path.GetTempPath(), $"reviewbot-{Guid.NewGuid():N}.yml");
        File.WriteAllText(outside, "rules:\n  disable: [RB001]\n");
        try
        {
            var run = await Cli.RunAsync(_repo.Root, "review", "--base", "main", "--config", outside);

            Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
            Assert.Contains("outside the repository", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task A_dockerfile_over_the_size_cap_is_named_and_the_clean_rest_does_not_pass()
    {
        _repo.Write("README.md", "hello\n");
        _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Write("Dockerfile", CleanDockerfile);
        _repo.Write("big/Dockerfile", CleanDockerfile + new string('#', (int)ReviewBot.GitHub.PullRequests.PullRequestReviewer.MaxFileBytes) + "\n");
        _repo.Commit("a clean image and a huge one");

        var run = await Cli.RunAsync(_repo.Root, "review", "--format", "json");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        var check = JsonNode.Parse(run.Out)!["check"]!;
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("`big/Dockerfile` larger than 4 MiB, so not checked", check["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("big/Dockerfile", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renamed_file_is_reviewed_at_its_new_path_and_a_deleted_one_is_skipped()
    {
        _repo.Write("Dockerfile", CleanDockerfile);
        _repo.Write("old/Dockerfile.api", BaseDockerfile);
        _repo.Write("moved/Dockerfile", BaseDockerfile);
        _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Git("rm", "-q", "Dockerfile");
        Directory.CreateDirectory(Path.Combine(_repo.Root, "api"));
        Directory.CreateDirectory(Path.Combine(_repo.Root, "same"));
        _repo.Git("mv", "old/Dockerfile.api", "api/Dockerfile.api");
        _repo.Git("mv", "moved/Dockerfile", "same/Dockerfile");
        _repo.Write("api/Dockerfile.api", HeadDockerfile);
        _repo.Commit("rename, rename with a change, delete");
        Assert.Contains("R", _repo.Git("diff", "--name-status", "--find-renames", "main...HEAD"), StringComparison.Ordinal);

        var run = await Cli.RunAsync(_repo.Root, "review", "--format", "json");

        var plan = JsonNode.Parse(run.Out)!;
        var paths = plan["comments"]!.AsArray().Select(c => c!["path"]!.GetValue<string>())
            .Concat(plan["file_comments"]!.AsArray().Select(c => c!["path"]!.GetValue<string>()))
            .Concat(plan["check"]!["annotations"]!.AsArray().Select(a => a!["path"]!.GetValue<string>()))
            .ToHashSet();
        Assert.Equal(["api/Dockerfile.api", "same/Dockerfile"], paths.Order(StringComparer.Ordinal));
        // Both files ran as root at the base under their old paths (check.fail_on: new compares a renamed file with its old path).
        Assert.Equal("1 warning in 1 Dockerfile (2 already there)", plan["check"]!["title"]!.GetValue<string>());

        // The renamed file's diff is only the changed lines (not the whole file as new): RB004 inline, RB001 in the file comment.
        var inline = Assert.Single(plan["comments"]!.AsArray())!;
        Assert.Equal(("api/Dockerfile.api", 8, 9), (inline["path"]!.GetValue<string>(), inline["start_line"]!.GetValue<int>(), inline["line"]!.GetValue<int>()));

        // A pure rename has an empty diff: everything is in its file comment, and it is not mistaken for a file GitHub sent no diff for.
        var moved = plan["file_comments"]!.AsArray().Single(c => c!["path"]!.GetValue<string>() == "same/Dockerfile")!["body"]!.GetValue<string>();
        Assert.Contains("RB001", moved, StringComparison.Ordinal);
        Assert.DoesNotContain("sent no diff", moved, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
    }

    [Fact]
    public async Task Included_and_excluded_paths_come_from_the_base_config()
    {
        _repo.Write(".github/reviewbot.yml", "paths:\n  include: [\"deploy/*.docker\"]\n  exclude: [\"vendor/**\"]\n");
        _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Write("deploy/web.docker", BaseDockerfile);
        _repo.Write("vendor/lib/Dockerfile", BaseDockerfile);
        _repo.Commit("files");

        var run = await Cli.RunAsync(_repo.Root, "review", "--format", "json");

        var annotations = JsonNode.Parse(run.Out)!["check"]!["annotations"]!.AsArray();
        Assert.NotEmpty(annotations);
        Assert.All(annotations, a => Assert.Equal("deploy/web.docker", a!["path"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Outside_a_git_repository_it_exits_2()
    {
        using var folder = new TempFolder();

        var run = await Cli.RunAsync(folder.Root, "review");

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.StartsWith("reviewbot: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("is not in a git repository", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Theory]
    [InlineData("--base", "no-such-branch")]
    [InlineData("--head", "no-such-branch")]
    [InlineData("--base", "--upload-pack=evil")]
    public async Task An_unknown_ref_exits_2_and_names_it(string option, string reference)
    {
        PartlyOutsideTheDiff();

        var run = await Cli.RunAsync(_repo.Root, "review", option + "=" + reference);

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.Contains($"reviewbot: unknown ref '{reference}'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_base_and_without_a_default_branch_it_exits_2_and_asks_for_base()
    {
        _repo.Git("checkout", "-q", "-b", "trunk");
        _repo.Write("Dockerfile", BaseDockerfile);
        _repo.Commit("only commit");

        var run = await Cli.RunAsync(_repo.Root, "review");

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.Contains("none of origin/HEAD, origin/main, main, master exists", run.Error, StringComparison.Ordinal);
        Assert.Contains("pass --base REF", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repo_points_at_the_repository_from_elsewhere_and_format_is_checked()
    {
        PartlyOutsideTheDiff();
        using var elsewhere = new TempFolder();

        var run = await Cli.RunAsync(elsewhere.Root, "review", "--repo", _repo.Root, "--base", "main");
        var badFormat = await Cli.RunAsync(_repo.Root, "review", "--format", "sarif");

        Assert.Equal(ExitCodes.Findings, run.ExitCode);
        Assert.Contains("### Dockerfile:8", run.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageOrReadError, badFormat.ExitCode);
    }

    /// <summary>The new-side line ranges of git's own diff of one file (independent of the planner's parser).</summary>
    private List<(int Start, int End)> Hunks(string baseSha, string head, string path) =>
        [.. HunkHeader().Matches(_repo.Git("diff", "--unified=3", "--find-renames", $"{baseSha}...{head}", "--", path))
            .Select(m => (Start: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Count: m.Groups[2].Success ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 1))
            .Where(h => h.Count > 0)
            .Select(h => (h.Start, h.Start + h.Count - 1))];

    [GeneratedRegex(@"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", RegexOptions.Multiline)]
    private static partial Regex HunkHeader();

    /// <summary>main: the config and the base Dockerfile; feature: the head Dockerfile (EXPOSE 80).</summary>
    private void CommitBaseWithConfigThenHead(string config)
    {
        _repo.Write(".github/reviewbot.yml", config);
        _repo.Write("Dockerfile", BaseDockerfile);
        _repo.Commit("base with config");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Write("Dockerfile", HeadDockerfile);
        _repo.Commit("expose 80");
    }
}
