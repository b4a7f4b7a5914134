using System.Text;
using BenchmarkDotNet.Running;

namespace ReviewBot.Benchmarks;

/// <summary>How much input one benchmark operation reads: the numerator of MB/s.</summary>
public static class InputSize
{
    /// <summary>MB/s here means 10^6 bytes per second.</summary>
    public const double BytesPerMegabyte = 1_000_000;

    /// <summary>Bytes and files read by one operation of <paramref name="benchmarkCase"/>, or null for an unknown benchmark.</summary>
    public static (long Bytes, int Files)? Of(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        if (type == typeof(CorpusBenchmarks))
        {
            return (Corpus.Instance.Bytes, Corpus.Instance.Texts.Length);
        }

        if (type == typeof(LinearityBenchmarks))
        {
            var shape = (Shape)benchmarkCase.Parameters[nameof(LinearityBenchmarks.Shape)];
            var scale = (int)benchmarkCase.Parameters[nameof(LinearityBenchmarks.Scale)];
            return (Encoding.UTF8.GetByteCount(SyntheticDockerfile.Build(shape, scale)), 1);
        }

        return null;
    }
}
