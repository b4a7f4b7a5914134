using System.Collections.Immutable;
using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Rules;

/// <summary>Runs every rule over a document and applies suppressions.</summary>
public static class RuleRunner
{
    private static readonly ImmutableArray<IRule> All =
    [
        new RootUserRule(),
        new UnknownUserRule(),
        new CopyWithoutChownRule(),
        new PrivilegedPortRule(),
        new SudoRule(),
        new UnresolvedUserRule(),
    ];

    /// <summary>Every rule, in id order.</summary>
    public static ImmutableArray<RuleDescriptor> Rules { get; } = [.. All.Select(r => r.Rule).OrderBy(r => r.Id, StringComparer.Ordinal)];

    public static RuleDescriptor? Find(string id) =>
        Rules.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name, id, StringComparison.OrdinalIgnoreCase));

    public static ImmutableArray<Finding> Run(DockerfileDocument document, AnalyzerOptions options)
    {
        if (document.Instructions.IsEmpty)
        {
            return [];
        }

        var context = new RuleContext(document, DockerfileModel.Build(document), options);
        var suppressions = Suppressions.Read(document);
        var findings = ImmutableArray.CreateBuilder<Finding>();
        foreach (var rule in All)
        {
            if (options.DisabledRules.Contains(rule.Rule.Id))
            {
                continue;
            }

            foreach (var finding in rule.Analyze(context))
            {
                if (!suppressions.IsSuppressed(finding))
                {
                    findings.Add(finding);
                }
            }
        }

        return [.. findings.OrderBy(f => f.Range.Start).ThenBy(f => f.Rule.Id, StringComparer.Ordinal)];
    }
}
