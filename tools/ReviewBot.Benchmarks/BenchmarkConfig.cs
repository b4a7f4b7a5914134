using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace ReviewBot.Benchmarks;

/// <summary>The default BenchmarkDotNet config plus the input columns and allocations; --quick uses ShortRun.</summary>
public static class BenchmarkConfig
{
    private const int QuickWarmups = 15;
    private const int QuickIterations = 5;

    public static IConfig Create(bool quick)
    {
        var config = DefaultConfig.Instance
            .AddColumn(InputColumn.Throughput, InputColumn.PerFile, InputColumn.Kilobytes)
            .AddDiagnoser(MemoryDiagnoser.Default);
        // Quick: ShortRun (1 launch, 3 iterations) so it finishes in minutes on a shared 2-core machine, but with
        // more warm-ups: with ShortRun's 3 the analyzer was still tiering up (iterations fell from 540 to 265 ms).
        return quick ? config.AddJob(Job.ShortRun.WithWarmupCount(QuickWarmups).WithIterationCount(QuickIterations)) : config;
    }
}
