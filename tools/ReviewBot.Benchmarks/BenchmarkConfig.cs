using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace ReviewBot.Benchmarks;

/// <summary>The default BenchmarkDotNet config plus the input columns and allocations; --quick uses ShortRun.</summary>
public static class BenchmarkConfig
{
    public static IConfig Create(bool quick)
    {
        var config = DefaultConfig.Instance
            .AddColumn(InputColumn.Throughput, InputColumn.PerFile, InputColumn.Kilobytes)
            .AddDiagnoser(MemoryDiagnoser.Default);
        // ShortRun: 1 launch, 3 warm-ups, 3 iterations. Enough to read MB/s and linearity on a shared 2-core machine in minutes.
        return quick ? config.AddJob(Job.ShortRun) : config;
    }
}
