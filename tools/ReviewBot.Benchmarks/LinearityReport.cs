using System.Globalization;
using BenchmarkDotNet.Reports;

namespace ReviewBot.Benchmarks;

/// <summary>After a run: each shape's time and bytes at ×10 and ×100 relative to ×1, so "linear" can be read at a glance.</summary>
public static class LinearityReport
{
    public static void Print(IEnumerable<Summary> summaries, TextWriter output)
    {
        var rows = summaries
            .SelectMany(s => s.Reports)
            .Where(r => r.BenchmarkCase.Descriptor.Type == typeof(LinearityBenchmarks) && r.ResultStatistics is not null)
            .Select(r => (
                Shape: (Shape)r.BenchmarkCase.Parameters[nameof(LinearityBenchmarks.Shape)],
                Scale: (int)r.BenchmarkCase.Parameters[nameof(LinearityBenchmarks.Scale)],
                Bytes: InputSize.Of(r.BenchmarkCase)!.Value.Bytes,
                MeanNs: r.ResultStatistics!.Mean))
            .ToList();

        foreach (var shape in rows.GroupBy(r => r.Shape))
        {
            var ordered = shape.OrderBy(r => r.Scale).ToList();
            output.WriteLine($"Linearity {shape.Key}: ×{ordered[0].Scale} = {ordered[0].Bytes} bytes in {ordered[0].MeanNs / 1000:0.0} µs");
            for (int i = 1; i < ordered.Count; i++)
            {
                var (previous, row) = (ordered[i - 1], ordered[i]);
                double bytes = (double)row.Bytes / previous.Bytes;
                double time = row.MeanNs / previous.MeanNs;
                // Linear: the time ratio follows the bytes ratio (cost per byte about 1×, or less while a fixed per-file cost fades).
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  ×{previous.Scale} -> ×{row.Scale}: {bytes:0.0}× the bytes took {time:0.0}× the time (cost per byte {time / bytes:0.00}×)"));
            }
        }
    }
}
