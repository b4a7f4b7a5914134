using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Rules;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Tests.Fixes;

/// <summary>The one "apply every fix" that `reviewbot scan --fix` and onboarding share.</summary>
public class FixAllTests
{
    [Fact]
    public void A_fix_dropped_for_overlapping_another_is_applied_in_the_next_pass()
    {
        // Line 1's fix also rewrites line 2, so line 2's own fix overlaps it and waits for the analysis of the fixed text.
        static AnalysisResult Analyze(string text)
        {
            var lines = text.Split('\n');
            var findings = new List<Finding>();
            if (lines[0] == "a")
            {
                findings.Add(Offer(new TextEdit(1, 2, $"A\n{lines[1]}\n")));
            }

            if (lines[1] == "b")
            {
                findings.Add(Offer(new TextEdit(2, 2, "B\n")));
            }

            return Result(text, findings);
        }

        var result = FixApplier.FixAll("a\nb\n", Analyze("a\nb\n"), Analyze);

        Assert.Equal("A\nB\n", result.Text);
        Assert.Equal(2, result.EditCount);
        Assert.Equal(3, result.Fixed.Length); // both findings of the first pass, line 2's again in the second
        Assert.Empty(result.Result.Findings);
    }

    [Fact]
    public void Two_fixes_that_undo_each_other_stop_after_the_last_pass()
    {
        static AnalysisResult Analyze(string text) => Result(text, [Offer(new TextEdit(1, 1, text == "a\n" ? "b\n" : "a\n"))]);

        var result = FixApplier.FixAll("a\n", Analyze("a\n"), Analyze);

        Assert.Equal(FixApplier.MaxPasses, result.EditCount);
        Assert.Equal("b\n", result.Text);
    }

    [Fact]
    public void A_text_without_fixes_is_returned_as_analyzed()
    {
        var analysis = Result("a\n", [new Finding(RootUserRule.Descriptor, Severity.Error, LineRange.Single(1), "no fix")]);

        var result = FixApplier.FixAll("a\n", analysis, _ => throw new InvalidOperationException("nothing to analyze again"));

        Assert.Same(analysis, result.Result);
        Assert.Equal(0, result.EditCount);
    }

    private static Finding Offer(TextEdit edit) =>
        new(RootUserRule.Descriptor, Severity.Error, LineRange.Single(edit.StartLine), "test", new Fix("test", [edit]));

    private static AnalysisResult Result(string text, List<Finding> findings) => new(DockerfileDocument.Parse(text), [.. findings]);
}
