using System.Collections.Immutable;
using System.Runtime.InteropServices;
using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Rules;

/// <summary>Runs every rule over a document and applies suppressions, keeping what they suppressed.</summary>
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
        new NotADockerfileRule(),
    ];

    /// <summary>Every rule, in id order.</summary>
    /// <remarks>RB008 reads manifests, not Dockerfiles: <see cref="Manifests.ManifestAnalyzer"/> runs it.</remarks>
    public static ImmutableArray<RuleDescriptor> Rules { get; } = InIdOrder();

    /// <remarks>Sorted as an array: every start builds this list, and LINQ's ordering was 3% of an empty scan's CPU, most of it running its code for the first time.</remarks>
    private static ImmutableArray<RuleDescriptor> InIdOrder()
    {
        var rules = new RuleDescriptor[All.Length + 1];
        for (int i = 0; i < All.Length; i++)
        {
            rules[i] = All[i].Rule;
        }

        rules[^1] = ManifestUserRule.Descriptor;
        Array.Sort(rules, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return ImmutableCollectionsMarshal.AsImmutableArray(rules);
    }

    public static RuleDescriptor? Find(string id) =>
        Rules.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name, id, StringComparison.OrdinalIgnoreCase));

    public static AnalysisResult Run(DockerfileDocument document, AnalyzerOptions options)
    {
        if (document.Instructions.IsEmpty)
        {
            // No model to build, but a file with nothing in it must not pass as a clean Dockerfile.
            return new AnalysisResult(document, [NotADockerfileRule.Check(document)!]);
        }

        options.Cancellation.ThrowIfCancellationRequested();
        var model = DockerfileModel.Build(document, options.Images);
        var suppressions = Suppressions.Read(document, options.Baseline, options.BaselinePragmasOnly);
        var context = new RuleContext(document, model, options) { Suppressions = suppressions };
        var findings = new List<Finding>();
        var suppressed = new List<SuppressedFinding>();
        foreach (var rule in All)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            if (options.DisabledRules.Contains(rule.Rule.Id) && !rule.Rule.CannotBeSilenced)
            {
                continue;
            }

            foreach (var finding in rule.Analyze(context))
            {
                // A suppressed finding is kept with its pragma, to be shown: a pragma silences the gate, never quietly.
                // A rule that cannot be silenced (RB007: no Dockerfile at all) is never matched to a pragma.
                if (!rule.Rule.CannotBeSilenced && suppressions.Match(finding) is { } match)
                {
                    suppressed.Add(match);
                    if (!match.Ignored)
                    {
                        continue;
                    }
                }

                findings.Add(finding);
            }
        }

        var (kept, omitted) = Cap(findings, options.MaxFindingsPerFile, context.Counted);
        // Read after the rules: they expand through the model too, and an expansion they abandon is noted there.
        var diagnostics = model.Diagnostics;
        // Most files have one finding or none: nothing to sort.
        ImmutableArray<Finding> ordered = findings.Count <= 1 && omitted.IsEmpty
            ? [.. findings]
            : [.. kept.OrderBy(f => f.Range.Start).ThenBy(f => f.Rule.Id, StringComparer.Ordinal)];
        return new AnalysisResult(document, ordered)
        {
            Diagnostics = diagnostics.IsEmpty ? document.Diagnostics : document.Diagnostics.AddRange(diagnostics),
            Omitted = omitted,
            Suppressed = suppressed.Count == 0 ? [] : [.. suppressed.OrderBy(s => s.Finding.Range.Start).ThenBy(s => s.Finding.Rule.Id, StringComparer.Ordinal).Take(Math.Max(0, options.MaxFindingsPerFile))],
            SuppressedOmitted = Math.Max(0, suppressed.Count - Math.Max(0, options.MaxFindingsPerFile)),
        };
    }

    /// <summary>
    /// Keeps the most severe, then earliest, findings; counts the rest per rule, with those the rules only
    /// <paramref name="counted"/> (each ranks after the kept ones: see <see cref="FindingLimit"/>).
    /// </summary>
    private static (IEnumerable<Finding> Kept, ImmutableArray<OmittedFindings> Omitted) Cap(List<Finding> findings, int max, IReadOnlyDictionary<string, int>? counted)
    {
        if (findings.Count <= max && counted is null)
        {
            return (findings, []);
        }

        var ranked = findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Range.Start).ThenBy(f => f.Rule.Id, StringComparer.Ordinal).ToList();
        var left = counted is null ? new Dictionary<string, int>(StringComparer.Ordinal) : new Dictionary<string, int>(counted, StringComparer.Ordinal);
        foreach (var finding in ranked.Skip(Math.Max(0, max)))
        {
            left[finding.RuleId] = left.GetValueOrDefault(finding.RuleId) + 1;
        }

        var omitted = left.Select(c => new OmittedFindings(c.Key, c.Value))
            .OrderByDescending(o => o.Count)
            .ThenBy(o => o.RuleId, StringComparer.Ordinal);
        return (ranked.Take(Math.Max(0, max)), [.. omitted]);
    }
}
