using ReviewBot.Analysis.Rules;
using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

public class NotADockerfileRuleTests
{
    [Theory]
    [InlineData("docker/spec", 1)] // a symbolic link's blob: its target path
    [InlineData("\n\n# just a comment\nRUN make\nUSER root\n", 4)]
    [InlineData("ARG BASE=debian\n", 1)]
    public void Text_without_from_is_an_error(string text, int line)
    {
        var finding = Reports("RB007", text, line);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Null(finding.Fix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only comments\n# here\n")]
    [InlineData("a\0binary")]
    public void A_file_with_no_instruction_at_all_is_an_error(string text)
    {
        var finding = Assert.Single(DockerfileAnalyzer.Analyze(text).Findings);
        Assert.Equal(("RB007", Severity.Error), (finding.RuleId, finding.Severity));
    }

    [Fact]
    public void A_dockerfile_with_from_is_not_reported()
    {
        DoesNotReport("RB007", "ARG V=1\nFROM debian:bookworm-slim\nUSER 10001\n");
    }

    [Fact]
    public void No_pragma_and_no_disabled_rule_silences_it()
    {
        var text = "# reviewbot ignore=RB007\n# hadolint global ignore=RB007\nRUN echo hi\n";
        var options = AnalyzerOptions.Default with { DisabledRules = System.Collections.Immutable.ImmutableHashSet.Create("RB007") };
        Assert.Contains(DockerfileAnalyzer.Analyze(text, options).Findings, f => f.RuleId == "RB007");
        Assert.True(NotADockerfileRule.Descriptor.CannotBeSilenced);
    }
}
