using System.Collections.Immutable;
using ReviewBot.Analysis.Rules;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis;

/// <summary>What the engine found in one Dockerfile.</summary>
public sealed record AnalysisResult(DockerfileDocument Document, ImmutableArray<Finding> Findings)
{
    public ImmutableArray<ParseDiagnostic> Diagnostics => Document.Diagnostics;

    /// <summary>Per rule, how many findings the per-file cap left out of <see cref="Findings"/>.</summary>
    public ImmutableArray<OmittedFindings> Omitted { get; init; } = [];
}

/// <summary>The engine's front door: text in, findings with fixes out. Pure and thread-safe.</summary>
public static class DockerfileAnalyzer
{
    public static AnalysisResult Analyze(string text, AnalyzerOptions? options = null)
    {
        var document = DockerfileDocument.Parse(text);
        return new AnalysisResult(document, RuleRunner.Run(document, options ?? AnalyzerOptions.Default));
    }
}
