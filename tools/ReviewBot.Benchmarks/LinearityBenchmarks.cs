using BenchmarkDotNet.Attributes;

namespace ReviewBot.Benchmarks;

/// <summary>Parse+analyze+fix of one synthetic Dockerfile at ×1, ×10, ×100: time per byte must stay flat.</summary>
public class LinearityBenchmarks
{
    private string _text = "";

    [Params(Shape.Stages, Shape.ContinuationLines, Shape.Heredoc, Shape.Declarations)]
    public Shape Shape { get; set; }

    [Params(1, 10, 100)]
    public int Scale { get; set; }

    [GlobalSetup]
    public void Setup() => _text = SyntheticDockerfile.Build(Shape, Scale);

    [Benchmark]
    public int ParseAnalyzeFix() => Pipeline.AnalyzeAndFix(_text);
}
