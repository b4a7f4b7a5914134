using ReviewBot.Analysis;
using ReviewBot.Cli.Scanning;
using ReviewBot.Configuration;

namespace ReviewBot.Cli.Tests.Scanning;

/// <summary>--fix through the Scanner with a stand-in analyzer, so the file handling is proven independently of the rules.</summary>
public class FixPipelineTests
{
    /// <summary>Reports RB001 on FROM until a USER line exists; its fix inserts USER before CMD in the text's own line ending.</summary>
    private static AnalysisResult FakeAnalyze(string text, AnalyzerOptions options)
    {
        var lines = LineTable.Split(text);
        if (lines.Any(l => l.StartsWith("USER ", StringComparison.Ordinal)))
        {
            return Rules.Result(text);
        }

        int cmd = lines.FindIndex(l => l.StartsWith("CMD", StringComparison.Ordinal)) + 1;
        var newLine = LineTable.DetectNewLine(text);
        return Rules.Result(text, Rules.Finding(Rules.Rb001, 1, 1, "root", new TextEdit(cmd, cmd - 1, $"USER {options.UserName}{newLine}")));
    }

    private static ScanReport Scan(TempFolder temp, bool fix, RepositoryConfig? config = null, params string[] paths) =>
        new Scanner(config ?? RepositoryConfig.Default, fix, FakeAnalyze)
            .Scan(ScanTarget.Expand(paths, temp.Root, config ?? RepositoryConfig.Default), () => Stream.Null, temp.Root);

    [Fact]
    public void Fix_rewrites_keeping_bom_and_crlf_and_reports_what_is_left()
    {
        using var temp = new TempFolder();
        byte[] original = [0xEF, 0xBB, 0xBF, .. "FROM debian\r\nCOPY app /app\r\nCMD [\"/app/run\"]\r\n"u8];
        var path = temp.WriteBytes("Dockerfile", original);

        var report = Scan(temp, fix: true);

        byte[] expected = [0xEF, 0xBB, 0xBF, .. "FROM debian\r\nCOPY app /app\r\nUSER appuser\r\nCMD [\"/app/run\"]\r\n"u8];
        Assert.Equal(expected, File.ReadAllBytes(path));
        var file = report.Files.Single();
        Assert.Empty(file.Findings);
        Assert.Equal(1, file.FixedEdits);
        Assert.Empty(Directory.GetFiles(temp.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Fix_uses_the_configured_user_and_keeps_file_permissions()
    {
        using var temp = new TempFolder();
        var path = temp.Write("Dockerfile", "FROM debian\nCMD x\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        Scan(temp, fix: true, RepositoryConfig.Parse("fix:\n  user: svc\n").Config);

        Assert.Equal("FROM debian\nUSER svc\nCMD x\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Without_fix_nothing_is_written()
    {
        using var temp = new TempFolder();
        var path = temp.Write("Dockerfile", "FROM debian\nCMD x\n");
        var before = File.GetLastWriteTimeUtc(path);

        var report = Scan(temp, fix: false);

        Assert.Equal("FROM debian\nCMD x\n", File.ReadAllText(path));
        Assert.Equal(before, File.GetLastWriteTimeUtc(path));
        Assert.Equal("RB001", report.Files.Single().Findings.Single().RuleId);
    }

    [Fact]
    public void Fix_follows_a_symlink_and_keeps_it_a_link()
    {
        using var temp = new TempFolder();
        var real = temp.Write("real/Dockerfile", "FROM debian\nCMD x\n");
        var link = Path.Combine(temp.Root, "Dockerfile");
        File.CreateSymbolicLink(link, real);

        Scan(temp, fix: true, null, "Dockerfile");

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("FROM debian\nUSER appuser\nCMD x\n", File.ReadAllText(real));
    }

    [Fact]
    public void Fix_refuses_a_symlink_pointing_outside_the_scanned_folder()
    {
        using var outside = new TempFolder();
        using var temp = new TempFolder();
        var victim = outside.Write("bashrc", "FROM debian\nCMD x\n");
        var link = Path.Combine(temp.Root, "Dockerfile");
        File.CreateSymbolicLink(link, victim);
        temp.Write("app/Dockerfile", "FROM debian\nCMD x\n");

        var report = Scan(temp, fix: true);

        Assert.Equal("FROM debian\nCMD x\n", File.ReadAllText(victim));
        var refused = report.Files.Single(f => f.Path == "Dockerfile");
        Assert.Contains("symbolic link", refused.ReadError, StringComparison.Ordinal);
        // A walk follows a link only inside the folder it walks: one leading out is an error, and the file it leads to is not judged.
        Assert.Contains("leads outside", refused.ReadError, StringComparison.Ordinal);
        Assert.Empty(refused.Findings);
        Assert.Equal(0, refused.FixedEdits);
        Assert.Equal(1, report.Files.Single(f => f.Path == "app/Dockerfile").FixedEdits); // the others are still fixed
        Assert.True(report.HasReadErrors); // so the exit code is the read/write error one
        Assert.Empty(Directory.GetFiles(outside.Root, "*.tmp"));
    }

    [Fact]
    public void Fix_refuses_a_named_symlink_even_when_the_scan_starts_elsewhere()
    {
        using var outside = new TempFolder();
        using var temp = new TempFolder();
        var victim = outside.Write("target", "FROM debian\nCMD x\n");
        File.CreateSymbolicLink(Path.Combine(temp.Root, "Dockerfile"), victim);

        var report = Scan(temp, fix: true, null, "Dockerfile");

        Assert.Equal("FROM debian\nCMD x\n", File.ReadAllText(victim));
        Assert.Contains("outside the scanned folder", report.Files.Single().ReadError, StringComparison.Ordinal);
    }

    /// <summary>tree/a -> ../outside: a folder link committed to the repository, relative as git stores it.</summary>
    private static void LinkFolderOutside(TempFolder tree, TempFolder outside) =>
        Directory.CreateSymbolicLink(Path.Combine(tree.Root, "a"), Path.Combine("..", Path.GetFileName(outside.Root)));

    [Fact]
    public void Fix_does_not_write_through_a_file_link_whose_folder_link_leaves_the_tree()
    {
        using var outside = new TempFolder();
        using var tree = new TempFolder();
        var victim = outside.Write("target.txt", "FROM debian\nCMD x\n");
        LinkFolderOutside(tree, outside);
        File.CreateSymbolicLink(Path.Combine(tree.Root, "Dockerfile"), "a/target.txt"); // inside the tree, as text

        var report = Scan(tree, fix: true);

        Assert.Equal("FROM debian\nCMD x\n", File.ReadAllText(victim));
        // The walk refuses a link that leads out of the folder before it reads it, so nothing is judged or written.
        var refused = report.Files.Single();
        Assert.StartsWith("is a symbolic link to 'a/target.txt', which leads outside", refused.ReadError, StringComparison.Ordinal);
        Assert.Empty(refused.Findings);
        Assert.Equal(0, refused.FixedEdits);
        Assert.True(report.HasReadErrors);
        Assert.Single(Directory.GetFiles(outside.Root));
    }

    [Fact]
    public void Fix_does_not_write_a_file_named_through_a_folder_link_that_leaves_the_tree()
    {
        using var outside = new TempFolder();
        using var tree = new TempFolder();
        var victim = outside.Write("Dockerfile", "FROM debian\nCMD x\n");
        LinkFolderOutside(tree, outside);

        var report = Scan(tree, fix: true, null, "a/Dockerfile");

        Assert.Equal("FROM debian\nCMD x\n", File.ReadAllText(victim));
        Assert.StartsWith("not fixed: it resolves to " + RealPath.Resolve(victim), report.Files.Single().ReadError, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(outside.Root));
    }

    [Fact]
    public void Fix_writes_the_target_of_links_that_stay_inside_the_tree_and_keeps_them_links()
    {
        using var tree = new TempFolder();
        var real = tree.Write("real/Dockerfile", "FROM debian\nCMD x\n");
        var folderLink = Path.Combine(tree.Root, "b");
        Directory.CreateSymbolicLink(folderLink, "real");
        var link = Path.Combine(tree.Root, "Dockerfile");
        File.CreateSymbolicLink(link, "b/../b/Dockerfile");

        var report = Scan(tree, fix: true, null, "Dockerfile");

        Assert.Null(report.Files.Single().ReadError);
        Assert.Equal("FROM debian\nUSER appuser\nCMD x\n", File.ReadAllText(real));
        Assert.Equal("b/../b/Dockerfile", new FileInfo(link).LinkTarget);
        Assert.Equal("real", new DirectoryInfo(folderLink).LinkTarget);
        Assert.Empty(Directory.GetFiles(tree.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Scan_fix_through_a_link_that_leaves_the_tree_says_so_and_exits_2()
    {
        using var outside = new TempFolder();
        using var tree = new TempFolder();
        var victim = outside.Write("target.txt", "FROM debian\nCMD x\n");
        LinkFolderOutside(tree, outside);
        File.CreateSymbolicLink(Path.Combine(tree.Root, "Dockerfile"), "a/target.txt");

        var run = await Cli.RunAsync(tree.Root, "scan", "--fix");

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.Contains("Dockerfile error: is a symbolic link to 'a/target.txt', which leads outside", run.Out, StringComparison.Ordinal);
        Assert.Equal("FROM debian\nCMD x\n", File.ReadAllText(victim));
    }

    [Fact]
    public void Real_paths_climb_from_where_a_link_leads_and_stop_at_a_loop()
    {
        using var temp = new TempFolder();
        var deep = Directory.CreateDirectory(Path.Combine(temp.Root, "x", "y")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(temp.Root, "l"), deep);
        File.CreateSymbolicLink(Path.Combine(temp.Root, "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Combine(temp.Root, "loop2"), "loop1");
        var root = RealPath.Resolve(temp.Root);

        Assert.Equal(Path.Combine(root, "x", "z"), RealPath.Resolve(Path.Combine(temp.Root, "l", "..", "z")));
        Assert.Equal(Path.Combine(root, "x", "y", "missing", "f"), RealPath.Resolve(Path.Combine(temp.Root, "l", "missing", "f")));
        Assert.Throws<IOException>(() => RealPath.Resolve(Path.Combine(temp.Root, "loop1")));
    }

    [Fact]
    public void A_file_changed_during_the_fix_is_left_alone()
    {
        using var temp = new TempFolder();
        var path = temp.Write("Dockerfile", "FROM debian\nCMD x\n");

        var ex = Assert.Throws<IOException>(() => AtomicFile.Replace(path, "new"u8.ToArray(), "something else"u8.ToArray()));

        Assert.Contains("changed while it was being fixed", ex.Message, StringComparison.Ordinal);
        Assert.Equal("FROM debian\nCMD x\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(temp.Root));
    }

    [Fact]
    public void Severity_overrides_and_disabled_rules_from_the_config_apply()
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", "FROM debian\nCMD x\n");

        var overridden = Scan(temp, fix: false, RepositoryConfig.Parse("rules:\n  severity: { RB001: notice }\n").Config);
        var disabled = Scan(temp, fix: false, RepositoryConfig.Parse("rules:\n  disable: [RB001]\n").Config);

        Assert.Equal(Severity.Notice, overridden.Files.Single().Findings.Single().Severity);
        Assert.Empty(disabled.Files.Single().Findings);
    }

    [Fact]
    public void An_analyzer_crash_on_one_file_is_reported_for_that_file_only()
    {
        using var temp = new TempFolder();
        temp.Write("a/Dockerfile", "FROM debian\nCMD x\n");
        temp.Write("b/Dockerfile", "boom\n");
        var scanner = new Scanner(RepositoryConfig.Default, false, (text, options) => text.StartsWith("boom", StringComparison.Ordinal) ? throw new InvalidOperationException("bug") : FakeAnalyze(text, options));

        var report = scanner.Scan(ScanTarget.Expand([], temp.Root, RepositoryConfig.Default), () => Stream.Null, temp.Root);

        Assert.Single(report.Files[0].Findings);
        Assert.Equal("internal error: InvalidOperationException: bug", report.Files[1].ReadError);
    }

    [Fact]
    public void Many_files_keep_their_order()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 200; i++)
        {
            temp.Write($"d{i:D3}/Dockerfile", i % 2 == 0 ? "FROM debian\nCMD x\n" : "FROM debian\nUSER a\nCMD x\n");
        }

        var report = Scan(temp, fix: false);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"d{i:D3}/Dockerfile"), report.Files.Select(f => f.Path));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? 1 : 0), report.Files.Select(f => f.Findings.Length));
    }
}
