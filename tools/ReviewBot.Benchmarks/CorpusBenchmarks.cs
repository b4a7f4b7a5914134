using BenchmarkDotNet.Attributes;

namespace ReviewBot.Benchmarks;

/// <summary>One operation = every Dockerfile of the shared corpus, one after another on one thread.</summary>
public class CorpusBenchmarks
{
    private string[] _texts = [];

    [GlobalSetup]
    public void Setup() => _texts = Corpus.Instance.Texts;

    [Benchmark]
    public int Parse() => Sum(Pipeline.Parse);

    [Benchmark]
    public int ParseAnalyze() => Sum(Pipeline.Analyze);

    [Benchmark(Baseline = true)]
    public int ParseAnalyzeFix() => Sum(Pipeline.AnalyzeAndFix);

    private int Sum(Func<string, int> step)
    {
        int total = 0;
        foreach (var text in _texts)
        {
            total += step(text);
        }

        return total;
    }
}
