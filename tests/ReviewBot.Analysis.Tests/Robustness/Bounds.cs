using ReviewBot.Analysis.Fixes;

namespace ReviewBot.Analysis.Tests.Robustness;

/// <summary>Analyzes hostile text and checks the engine's promises: no exception, bounded allocation, fixes that apply.</summary>
internal static class Bounds
{
    /// <summary>
    /// Generous: a 4 MiB file (the parser's cap) costs well under this; the shapes these tests guard against
    /// allocated gigabytes. Counted on this thread, so parallel tests do not disturb it.
    /// </summary>
    public const long MaxAllocatedBytes = 400L * 1024 * 1024;

    public static AnalysisResult Analyze(string text, string what)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = DockerfileAnalyzer.Analyze(text);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < MaxAllocatedBytes, $"{what}: analysis allocated {allocated / (1024 * 1024)} MiB (ceiling {MaxAllocatedBytes / (1024 * 1024)} MiB)");
        Assert.True(result.Findings.Length <= AnalyzerOptions.DefaultMaxFindingsPerFile, $"{what}: {result.Findings.Length} findings over the cap");

        var edits = FixApplier.Combine(result.Findings.Select(f => f.Fix).OfType<Fix>());
        string fixedText = FixApplier.Apply(text, edits); // throws if the combined edits cannot apply
        Assert.NotNull(fixedText);
        return result;
    }
}
