using System.Collections.Immutable;
using ReviewBot.Analysis.Rules;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis;

/// <summary>What the engine found in one Dockerfile.</summary>
public sealed record AnalysisResult(DockerfileDocument Document, ImmutableArray<Finding> Findings)
{
    /// <summary>The parser's diagnostics, then the model's (such as a variable expansion stopped over budget).</summary>
    public ImmutableArray<ParseDiagnostic> Diagnostics { get; init; } = Document.Diagnostics;

    /// <summary>Findings left out over <see cref="AnalyzerOptions.MaxFindingsPerFile"/>, counted per rule, most first.</summary>
    public ImmutableArray<OmittedFindings> Omitted { get; init; } = [];

    /// <summary>
    /// Findings a pragma matched, with the pragma, in line order; at most <see cref="AnalyzerOptions.MaxFindingsPerFile"/>
    /// (the rest are counted in <see cref="SuppressedOmitted"/>). An ignored one is among <see cref="Findings"/> too.
    /// </summary>
    public ImmutableArray<SuppressedFinding> Suppressed { get; init; } = [];

    /// <summary>Suppressed findings beyond <see cref="Suppressed"/>'s cap.</summary>
    public int SuppressedOmitted { get; init; }
}

/// <summary>The engine's front door: text in, findings with fixes out. Pure and thread-safe.</summary>
public static class DockerfileAnalyzer
{
    public static AnalysisResult Analyze(string text, AnalyzerOptions? options = null)
    {
        options ??= AnalyzerOptions.Default;
        return RuleRunner.Run(DockerfileParser.Parse(text, options.Cancellation), options);
    }
}
