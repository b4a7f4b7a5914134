using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Benchmarks;

/// <summary>The three stages measured, each returning a value so the JIT cannot drop the work.</summary>
public static class Pipeline
{
    public static int Parse(string text) => DockerfileDocument.Parse(text).Instructions.Length;

    public static int Analyze(string text) => DockerfileAnalyzer.Analyze(text).Findings.Length;

    /// <summary>What `reviewbot scan --fix` does for one pass: analyze, combine every fix, apply the edits.</summary>
    public static int AnalyzeAndFix(string text)
    {
        var result = DockerfileAnalyzer.Analyze(text);
        var edits = FixApplier.Combine(result.Findings.Select(f => f.Fix).OfType<Fix>());
        return edits.IsEmpty ? text.Length : FixApplier.Apply(text, edits).Length;
    }
}
