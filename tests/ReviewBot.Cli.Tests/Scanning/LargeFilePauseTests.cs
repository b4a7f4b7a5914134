using System.Runtime;
using System.Text;
using ReviewBot.Cli.Scanning;
using ReviewBot.Configuration;

namespace ReviewBot.Cli.Tests.Scanning;

/// <summary>The pause is process-wide: these tests run alone, so no other test's allocations or collections end it.</summary>
[CollectionDefinition(nameof(LargeFilePauseTests), DisableParallelization = true)]
public class LargeFilePauseCollection;

[Collection(nameof(LargeFilePauseTests))]
public class LargeFilePauseTests
{
    [Fact]
    public void A_small_file_is_analyzed_with_collections_as_usual()
    {
        Assert.False(LargeFilePause.Begin(LargeFilePause.MinBytes - 1));

        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void Nothing_is_collected_while_a_large_file_is_analyzed()
    {
        Assert.True(LargeFilePause.Begin(LargeFilePause.MinBytes));
        // Counted from here: the runtime collects once as the pause begins, to set its allowance aside.
        int before = GC.CollectionCount(0);
        try
        {
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            // What a model of a large file looks like to the collector: many small objects, all alive.
            var kept = new List<string>();
            for (int i = 0; i < 100_000; i++)
            {
                kept.Add(i.ToString());
            }

            Assert.Equal(before, GC.CollectionCount(0));
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            GC.KeepAlive(kept);
        }
        finally
        {
            LargeFilePause.End();
        }

        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void Large_files_analyzed_at_once_share_one_pause_that_ends_with_the_last()
    {
        Assert.True(LargeFilePause.Begin(LargeFilePause.MinBytes));
        Assert.True(LargeFilePause.Begin(2 * LargeFilePause.MinBytes));

        LargeFilePause.End();
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

        LargeFilePause.End();
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_file_that_allocates_past_its_allowance_gets_its_collections_back_and_ends_quietly()
    {
        Assert.True(LargeFilePause.Begin(LargeFilePause.MinBytes));
        int before = GC.CollectionCount(0);
        for (int i = 0; i < 4_000; i++)
        {
            // 256 MB in all, far past the 20 MB a 512 KiB file is allowed: garbage the collector must be free to take.
            GC.KeepAlive(new byte[64 * 1024]);
        }

        Assert.True(GC.CollectionCount(0) > before);
        LargeFilePause.End();

        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_large_file_is_scanned_in_full_and_the_pause_ends_with_its_report()
    {
        using var temp = new TempFolder();
        var text = new StringBuilder("FROM debian:bookworm-slim\nRUN useradd -u 1000 app\n");
        while (text.Length < LargeFilePause.MinBytes + 1024)
        {
            text.Append("COPY src/file.txt /app/data/\nEXPOSE 80\n");
        }

        temp.Write("Dockerfile", text.ToString());
        var scanner = new Scanner(RepositoryConfig.Default, fix: false) { MaxParallelism = 1 };

        var report = scanner.Scan(ScanTarget.Enumerate([temp.Root], temp.Root, RepositoryConfig.Default), () => Stream.Null, temp.Root);

        var file = Assert.Single(report.Files);
        Assert.Null(file.ReadError);
        Assert.Contains(file.Findings, f => f.RuleId == "RB001");
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
