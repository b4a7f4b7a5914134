using ReviewBot.Analysis.Fixes;

namespace ReviewBot.Analysis.Tests;

/// <summary>Small helpers so rule tests read as a Dockerfile and a verdict.</summary>
internal static class RuleAssert
{
    public static Finding Reports(string ruleId, string dockerfile, int line, AnalyzerOptions? options = null)
    {
        var result = DockerfileAnalyzer.Analyze(dockerfile, options);
        var matches = result.Findings.Where(f => f.RuleId == ruleId).ToList();
        Assert.True(matches.Count > 0, $"Expected {ruleId} at line {line}; found: {Describe(result)}");
        var finding = matches.FirstOrDefault(f => f.Range.Start == line);
        Assert.True(finding is not null, $"Expected {ruleId} at line {line}; found it at {string.Join(", ", matches.Select(f => f.Range))}");
        return finding!;
    }

    public static void DoesNotReport(string ruleId, string dockerfile, AnalyzerOptions? options = null)
    {
        var result = DockerfileAnalyzer.Analyze(dockerfile, options);
        var matches = result.Findings.Where(f => f.RuleId == ruleId).ToList();
        Assert.True(matches.Count == 0, $"Expected no {ruleId}; found: {string.Join("; ", matches.Select(f => $"{f.Range}: {f.Message}"))}");
    }

    /// <summary>The text after applying every fix the engine offers.</summary>
    public static string FixAll(string dockerfile, AnalyzerOptions? options = null)
    {
        var result = DockerfileAnalyzer.Analyze(dockerfile, options);
        return FixApplier.Apply(dockerfile, FixApplier.Combine(result.Findings.Where(f => f.Fix is not null).Select(f => f.Fix!)));
    }

    /// <summary>The text after applying one finding's fix.</summary>
    public static string Apply(string dockerfile, Finding finding)
    {
        Assert.NotNull(finding.Fix);
        return FixApplier.Apply(dockerfile, finding.Fix!.Edits);
    }

    private static string Describe(AnalysisResult result) =>
        result.Findings.Length == 0 ? "nothing" : string.Join("; ", result.Findings.Select(f => $"{f.RuleId}@{f.Range}"));
}
