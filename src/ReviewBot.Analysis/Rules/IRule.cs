using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Rules;

/// <summary>What a rule sees: the document, its model, and the options for fixes.</summary>
public sealed record RuleContext(DockerfileDocument Document, DockerfileModel Model, AnalyzerOptions Options)
{
    /// <summary>The file's suppression comments, so a rule knows which findings count against the limit (<see cref="FindingLimit"/>).</summary>
    internal Suppressions? Suppressions { get; init; }

    private Dictionary<string, int>? _counted;

    /// <summary>Findings a rule only counted (<see cref="FindingLimit"/>), by rule id: never kept, so never made.</summary>
    internal IReadOnlyDictionary<string, int>? Counted => _counted;

    internal void CountOmitted(RuleDescriptor rule)
    {
        _counted ??= new Dictionary<string, int>(StringComparer.Ordinal);
        _counted[rule.Id] = _counted.GetValueOrDefault(rule.Id) + 1;
    }
}

/// <summary>
/// A rule gathers facts over the model and decides at the end; it returns findings and never prints.
/// Each rule lives in its own file with its <see cref="RuleDescriptor"/> first.
/// </summary>
public interface IRule
{
    RuleDescriptor Rule { get; }

    IEnumerable<Finding> Analyze(RuleContext context);
}
