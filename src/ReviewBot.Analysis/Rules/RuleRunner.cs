using System.Collections.Immutable;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Rules;

/// <summary>Runs every rule over a document and applies suppressions.</summary>
public static class RuleRunner
{
    /// <summary>Every rule, in id order.</summary>
    public static ImmutableArray<RuleDescriptor> Rules { get; } = [];

    public static ImmutableArray<Finding> Run(DockerfileDocument document, AnalyzerOptions options) => [];
}
