using System.Text;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Rules;
using ReviewBot.Cli.Commands;
using ReviewBot.Cli.Output;
using ReviewBot.Cli.Scanning;
using ReviewBot.Configuration;

namespace ReviewBot.Cli.Tests.Scanning;

/// <summary>Files are scanned in parallel; the output must not depend on how many at once or which finishes first.</summary>
public class ParallelScanTests
{
    /// <summary>More than the test machine's cores, so files really do finish out of order.</summary>
    private const int ManyAtOnce = 8;

    private static string SamplesFolder() => Path.Combine(RepoRoot.Find(), "samples");

    /// <summary>
    /// A tree of several hundred Dockerfiles in nested folders: the samples under varied names, each made different
    /// (its own ENV, USER and port), some far bigger than others so the work per file is uneven, and a few undecodable.
    /// </summary>
    private static TempFolder GeneratedTree()
    {
        var samples = Directory.GetFiles(SamplesFolder(), "Dockerfile", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        var temp = new TempFolder();
        for (int i = 0; i < 400; i++)
        {
            var text = new StringBuilder(samples[i % samples.Length]);
            text.Append($"ENV VAR_{i}=value{i}\n");
            if (i % 3 == 0)
            {
                text.Append("USER root\n");
            }

            if (i % 4 == 0)
            {
                text.Append($"EXPOSE {i % 100}\n");
            }

            if (i % 50 == 7)
            {
                for (int j = 0; j < 500; j++)
                {
                    text.Append($"RUN echo {j} && useradd -u {1000 + j} user{j}\n");
                }
            }

            var name = (i % 4) switch
            {
                0 => "Dockerfile",
                1 => $"Dockerfile.v{i}",
                2 => $"app{i}.Dockerfile",
                _ => "Containerfile",
            };
            var path = Path.Combine($"group{i % 7}", $"team{i % 11}", $"service{i}", name);
            if (i % 97 == 5)
            {
                temp.WriteBytes(path, [0x46, 0x52, 0x4F, 0x4D, 0x20, 0xC3, 0x28, 0x0A]);
            }
            else
            {
                temp.Write(path, text.ToString());
            }
        }

        return temp;
    }

    private static ScanReport Scan(string root, string[] paths, int maxParallelism, bool fix = false) =>
        new Scanner(RepositoryConfig.Default, fix) { MaxParallelism = maxParallelism }
            .Scan(ScanTarget.Enumerate(paths, root, RepositoryConfig.Default), () => Stream.Null, root);

    private static string Render(ScanReport report)
    {
        var output = new StringWriter();
        JsonFormatter.Write(report, output);
        new TextFormatter(useColor: false).Write(report, output);
        new SarifFormatter(RuleRunner.Rules).Write(report, output);
        output.Write(ScanCommand.ExitCode(report, "warning"));
        return output.ToString();
    }

    [Fact]
    public void Parallel_output_is_byte_identical_to_sequential_on_a_generated_tree()
    {
        using var tree = GeneratedTree();

        var sequential = Scan(tree.Root, [], maxParallelism: 1);
        var parallel = Scan(tree.Root, [], ManyAtOnce);

        Assert.Equal(400, sequential.Files.Length);
        Assert.Contains(sequential.Files, f => f.ReadError is not null);
        Assert.Contains(sequential.Files, f => !f.Findings.IsEmpty);
        Assert.Equal(Render(sequential), Render(parallel));
    }

    [Fact]
    public void Parallel_output_is_byte_identical_to_sequential_on_the_samples_with_standard_input_among_them()
    {
        var samples = SamplesFolder();
        var root = Path.GetDirectoryName(samples)!;
        string[] paths = ["samples/node-app", "-", "samples"];
        ScanReport Run(int parallelism) =>
            new Scanner(RepositoryConfig.Default, fix: false) { MaxParallelism = parallelism }
                .Scan(ScanTarget.Enumerate(paths, root, RepositoryConfig.Default), () => new MemoryStream("FROM debian\nCMD x\n"u8.ToArray()), root);

        var sequential = Run(1);

        Assert.Equal(Render(sequential), Render(Run(ManyAtOnce)));
        Assert.Equal(FileReport.StandardInputPath, sequential.Files[1].Path);
    }

    [CorpusFact]
    public void Parallel_output_is_byte_identical_to_sequential_on_the_corpus()
    {
        var sequential = Scan(SharedCorpus.Directory!, ["."], maxParallelism: 1);

        Assert.True(sequential.Files.Length > 1000);
        Assert.Equal(Render(sequential), Render(Scan(SharedCorpus.Directory!, ["."], ManyAtOnce)));
    }

    [Fact]
    public void Parallel_fix_writes_the_same_files_and_reports_the_same_as_sequential()
    {
        using var sequentialTree = GeneratedTree();
        using var parallelTree = GeneratedTree();

        var sequential = Scan(sequentialTree.Root, ["."], maxParallelism: 1, fix: true);
        var parallel = Scan(parallelTree.Root, ["."], ManyAtOnce, fix: true);

        Assert.Contains(sequential.Files, f => f.FixedEdits > 0);
        var json = (ScanReport r) => { var w = new StringWriter(); JsonFormatter.Write(r, w); return w.ToString(); };
        Assert.Equal(json(sequential), json(parallel));
        foreach (var file in Directory.GetFiles(sequentialTree.Root, "*", SearchOption.AllDirectories))
        {
            var twin = Path.Combine(parallelTree.Root, Path.GetRelativePath(sequentialTree.Root, file));
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(twin));
        }

        Assert.Empty(Directory.GetFiles(parallelTree.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void No_more_files_are_analyzed_at_once_than_allowed(int maxParallelism)
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 40; i++)
        {
            temp.Write($"s{i:D2}/Dockerfile", "FROM debian\n");
        }

        int running = 0, mostAtOnce = 0;
        AnalysisResult SlowAnalyze(string text, AnalyzerOptions options)
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            // Blocking (as a slow disk would) invites the thread pool to add threads: the bound must hold anyway.
            Thread.Sleep(10);
            Interlocked.Decrement(ref running);
            return Rules.Result(text);
        }

        var report = new Scanner(RepositoryConfig.Default, false, SlowAnalyze) { MaxParallelism = maxParallelism }
            .Scan(ScanTarget.Expand([], temp.Root, RepositoryConfig.Default), () => Stream.Null, temp.Root);

        Assert.Equal(40, report.Files.Length);
        Assert.InRange(mostAtOnce, 1, maxParallelism);
    }

    [Fact]
    public void Files_are_analyzed_while_the_walk_is_still_listing_folders()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 5; i++)
        {
            temp.Write($"s{i}/Dockerfile", "FROM debian\n");
        }

        var events = new List<string>();
        void Log(string what)
        {
            lock (events)
            {
                events.Add(what);
            }
        }

        IEnumerable<ScanTarget> Walk()
        {
            foreach (var target in ScanTarget.Enumerate([], temp.Root, RepositoryConfig.Default))
            {
                Log("listed " + target.DisplayPath);
                yield return target;

                // A slow disk: each listing takes a while, so a file listed early can be analyzed before the walk ends.
                Thread.Sleep(20);
            }

            Log("walk done");
        }

        AnalysisResult Analyze(string text, AnalyzerOptions options)
        {
            Log("analyzed");
            return Rules.Result(text);
        }

        var report = new Scanner(RepositoryConfig.Default, false, Analyze) { MaxParallelism = 2 }.Scan(Walk(), () => Stream.Null, temp.Root);

        Assert.Equal(["s0/Dockerfile", "s1/Dockerfile", "s2/Dockerfile", "s3/Dockerfile", "s4/Dockerfile"], report.Files.Select(f => f.Path));
        // The walk does not have to end before the first analysis starts (it once ran alone first, ~20 ms on the corpus).
        Assert.True(events.IndexOf("analyzed") < events.IndexOf("walk done"), string.Join(", ", events));
    }

    [Fact]
    public void Reports_are_handed_out_in_order_once_each_while_later_files_are_still_analyzed()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 60; i++)
        {
            temp.Write($"s{i:D2}/Dockerfile", $"FROM debian\nENV N={i}\n");
        }

        var events = new List<string>();
        void Log(string what)
        {
            lock (events)
            {
                events.Add(what);
            }
        }

        AnalysisResult UnevenAnalyze(string text, AnalyzerOptions options)
        {
            // Uneven work, so files finish out of order: every fifth takes far longer than the rest.
            int n = int.Parse(text[(text.IndexOf("N=", StringComparison.Ordinal) + 2)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Thread.Sleep(n % 5 == 0 ? 15 : 1);
            Log("analyzed");
            return Rules.Result(text);
        }

        var published = new List<string>();
        var report = new Scanner(RepositoryConfig.Default, false, UnevenAnalyze)
        {
            MaxParallelism = ManyAtOnce,
            OnReport = file =>
            {
                published.Add(file.Path);
                Log("published");
            },
        }.Scan(ScanTarget.Enumerate([], temp.Root, RepositoryConfig.Default), () => Stream.Null, temp.Root);

        Assert.Equal(ScanTarget.Expand([], temp.Root, RepositoryConfig.Default).Select(t => t.DisplayPath), published);
        Assert.Equal(60, published.Distinct().Count());
        Assert.Equal(60, report.Files.Length);
        // Output starts long before the last file is done: the report is not held back for the end of the scan.
        Assert.True(events.IndexOf("published") < events.LastIndexOf("analyzed"), string.Join(", ", events));
    }

    [Fact]
    public void A_streamed_scan_keeps_of_each_written_report_what_the_exit_code_needs()
    {
        var samples = SamplesFolder();
        var root = Path.GetDirectoryName(samples)!;
        var written = new List<FileReport>();
        var streamed = new Scanner(RepositoryConfig.Default, fix: false) { OnReport = written.Add }
            .Scan(ScanTarget.Enumerate(["samples"], root, RepositoryConfig.Default), () => Stream.Null, root);
        var whole = new Scanner(RepositoryConfig.Default, fix: false)
            .Scan(ScanTarget.Enumerate(["samples"], root, RepositoryConfig.Default), () => Stream.Null, root);

        // What was written is the whole report, fixes and all.
        Assert.Equal(whole.Files.Select(f => f.Findings.Select(x => (x.RuleId, x.Message, x.Fix is null))), written.Select(f => f.Findings.Select(x => (x.RuleId, x.Message, x.Fix is null))));
        Assert.Contains(written, f => f.Findings.Any(x => x.Fix is not null));
        // What is kept counts the same, for the exit code, but holds no text, message or fix, and a path only for an error.
        Assert.Equal(whole.Files.Select(f => (f.ReadError is null ? "" : f.Path, f.ReadError, f.Findings.Select(x => (x.RuleId, x.Severity, x.Range)))), streamed.Files.Select(f => (f.Path, f.ReadError, f.Findings.Select(x => (x.RuleId, x.Severity, x.Range)))));
        Assert.All(streamed.Files.SelectMany(f => f.Findings), x => Assert.True(x.Message.Length == 0 && x.Fix is null));
        Assert.All(streamed.Files, f => Assert.True(f.Text is null && f.Diagnostics.IsEmpty));
        foreach (var level in new[] { "error", "warning", "notice", "none" })
        {
            Assert.Equal(ScanCommand.ExitCode(whole, level), ScanCommand.ExitCode(streamed, level));
        }
    }

    [Fact]
    public void A_written_report_lets_go_of_the_file_it_came_from()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 40; i++)
        {
            temp.Write($"s{i:D2}/Dockerfile", $"FROM debian\nENV N={i}\n");
        }

        // The walk makes each target as it lists it; only the scan holds on to it from then on.
        var targets = new List<WeakReference<ScanTarget>>();
        IEnumerable<ScanTarget> Tracked()
        {
            foreach (var target in ScanTarget.Enumerate([], temp.Root, RepositoryConfig.Default))
            {
                targets.Add(new WeakReference<ScanTarget>(target));
                yield return target;
            }
        }

        int aliveAtTheLast = -1;
        int written = 0;
        new Scanner(RepositoryConfig.Default, fix: false)
        {
            MaxParallelism = 1,
            OnReport = report =>
            {
                if (++written == 40)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    aliveAtTheLast = targets.Count(t => t.TryGetTarget(out _));
                }
            },
        }.Scan(Tracked(), () => Stream.Null, temp.Root);

        Assert.Equal(40, targets.Count);
        // The last report's own target, still being written.
        Assert.Equal(1, aliveAtTheLast);
    }

    [Fact]
    public void A_scan_that_keeps_no_texts_reports_the_same_findings()
    {
        var samples = SamplesFolder();
        var root = Path.GetDirectoryName(samples)!;
        ScanReport Run(bool keepText) =>
            new Scanner(RepositoryConfig.Default, fix: false) { KeepText = keepText }.Scan(ScanTarget.Enumerate(["samples"], root, RepositoryConfig.Default), () => Stream.Null, root);
        string Json(ScanReport report)
        {
            var output = new StringWriter();
            JsonFormatter.Write(report, output);
            return output.ToString();
        }

        var kept = Run(keepText: true);
        var dropped = Run(keepText: false);

        Assert.All(kept.Files, f => Assert.NotNull(f.Text));
        Assert.All(dropped.Files, f => Assert.Null(f.Text));
        Assert.Equal(Json(kept), Json(dropped));
    }

    [Theory]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(1_100_000)]
    public void A_file_is_read_whole_whatever_its_size_against_the_read_buffer(int size)
    {
        // The last line is the one finding: any byte not read would lose it or move it.
        const string Head = "FROM debian:bookworm\n";
        const string Tail = "\nUSER root\n";
        var text = Head + "#" + new string('x', size - Head.Length - Tail.Length - 1) + Tail;
        Assert.Equal(size, text.Length);
        using var temp = new TempFolder();
        temp.Write("Dockerfile", text);
        temp.Write("empty/Dockerfile", "");

        var report = new Scanner(RepositoryConfig.Default, fix: false).Scan(ScanTarget.Enumerate([], temp.Root, RepositoryConfig.Default), () => Stream.Null, temp.Root);

        Assert.Equal(["Dockerfile", "empty/Dockerfile"], report.Files.Select(f => f.Path));
        Assert.Equal(text, report.Files[0].Text);
        Assert.Equal(3, Assert.Single(report.Files[0].Findings, f => f.RuleId == "RB001").Range.Start);
        Assert.Equal("", report.Files[1].Text);
    }

    [Fact]
    public async Task A_named_pipe_is_read_to_its_end()
    {
        // `reviewbot scan <(git show main:Dockerfile)` names a pipe: it has no length and cannot be read by position.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        using var temp = new TempFolder();
        var pipe = Path.Combine(temp.Root, "Dockerfile");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // More than one read's worth, written in pieces, with the one finding on the last line.
        var text = "FROM debian:bookworm\n" + string.Concat(Enumerable.Repeat("# " + new string('x', 97) + "\n", 400)) + "USER root\n";
        var writer = Task.Run(() =>
        {
            using var stream = new FileStream(pipe, FileMode.Open, FileAccess.Write);
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            for (int i = 0; i < bytes.Length; i += 1000)
            {
                stream.Write(bytes, i, Math.Min(1000, bytes.Length - i));
                stream.Flush();
            }
        });

        var report = new Scanner(RepositoryConfig.Default, fix: false).Scan(ScanTarget.Enumerate([pipe], temp.Root, RepositoryConfig.Default), () => Stream.Null, temp.Root);

        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        var file = Assert.Single(report.Files);
        Assert.Null(file.ReadError);
        Assert.Equal(text, file.Text);
        Assert.Equal(402, Assert.Single(file.Findings, f => f.RuleId == "RB001").Range.Start);
    }

    [Fact]
    public void The_walk_stays_a_short_backlog_ahead_of_the_analysis()
    {
        // A walk that lists far faster than files are analyzed: each target it listed is kept until analyzed, so a walk
        // left to run ahead held the whole tree's targets at once (memory in proportion to the tree).
        using var temp = new TempFolder();
        var file = temp.Write("Dockerfile", "FROM alpine:3.20\nUSER 1000\n");
        int listed = 0, analyzed = 0, mostAhead = 0;
        IEnumerable<ScanTarget> Walk()
        {
            for (int i = 0; i < 1000; i++)
            {
                Interlocked.Increment(ref listed);
                yield return new ScanTarget($"f{i}/Dockerfile", file, Root: temp.Root);
            }
        }

        var report = new Scanner(RepositoryConfig.Default, fix: false, (text, options) =>
        {
            InterlockedMax(ref mostAhead, Volatile.Read(ref listed) - Interlocked.Increment(ref analyzed));
            return DockerfileAnalyzer.Analyze(text, options);
        })
        { MaxParallelism = 2 }.Scan(Walk(), () => Stream.Null, temp.Root);

        Assert.Equal(1000, report.Files.Length);
        Assert.InRange(mostAhead, 0, 40);
    }

    [Fact]
    public void Parallelism_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Scanner(RepositoryConfig.Default, false) { MaxParallelism = 0 });
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (int seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
