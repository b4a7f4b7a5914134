using System.Collections.Immutable;
using ReviewBot.Analysis;

namespace ReviewBot.GitHub.Review;

/// <summary>
/// Which of a file's findings were already there at the base commit (<c>check.fail_on: new</c>): a finding is old
/// when the base version of the file has one with the same fingerprint (rule, path, instruction text), the same
/// message, and at least its severity, each base finding standing for one head finding only. So a second copy of an
/// old problem, a severity raised, or the same instruction now wrong for another reason (another base image, another
/// user) is new. The base's findings are fingerprinted under the head's path, so a renamed file keeps its old ones.
/// </summary>
public static class PreExisting
{
    /// <summary>The findings of <paramref name="head"/> that <paramref name="baseline"/> (the same file at the base commit) already had.</summary>
    public static ImmutableHashSet<Finding> Of(string path, AnalysisResult head, AnalysisResult baseline)
    {
        var old = baseline.Findings
            .GroupBy(f => (Fingerprint.Of(f, path, baseline.Document), f.Message))
            .ToDictionary(g => g.Key, g => g.Select(f => f.Severity).Order().ToList());
        var found = ImmutableHashSet.CreateBuilder<Finding>();

        // The most severe first, each taking the least severe base finding that covers it, so no pairing leaves a
        // head finding new that another pairing would have matched.
        foreach (var finding in head.Findings.OrderByDescending(f => f.Severity))
        {
            if (old.TryGetValue((Fingerprint.Of(finding, path, head.Document), finding.Message), out var severities)
                && severities.FindIndex(s => s >= finding.Severity) is var at and >= 0)
            {
                severities.RemoveAt(at);
                found.Add(finding);
            }
        }

        return found.ToImmutable();
    }
}
