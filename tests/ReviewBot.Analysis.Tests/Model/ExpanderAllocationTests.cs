using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Tests.Model;

/// <summary>Every RUN with a $ is expanded; its result is the one copy of the text the expansion must make.</summary>
public class ExpanderAllocationTests
{
    [Fact]
    public void Expanding_a_long_text_copies_it_about_once()
    {
        // Was 2×: a StringBuilder the size of the text, then its string.
        var text = string.Concat(Enumerable.Range(0, 1000).Select(i => i % 20 == 0 ? "cd $HOME && " : $"apt-get install -y package-number-{i} && ")) + "true";
        Func<string, VariableValue?> lookup = name => name == "HOME" ? new VariableValue("/root") : null;
        VariableExpander.Expand(text, lookup);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var expansion = VariableExpander.Expand(text, lookup);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(expansion.IsResolved);
        Assert.Contains("cd /root && ", expansion.Text, StringComparison.Ordinal);
        long resultBytes = expansion.Text.Length * sizeof(char);
        Assert.True(allocated < 1.5 * resultBytes, $"{allocated:N0} bytes for a {resultBytes:N0}-byte result");
    }

    [Fact]
    public void A_short_expansion_allocates_its_result_only()
    {
        // Was ~200 bytes, then ~170: the expansion's state (and an empty list of unresolved names) came with each of the
        // thousands of expansions a scan makes. What stays: the result and its text.
        const int Expansions = 1000;
        Func<string, VariableValue?> lookup = name => name == "HOME" ? new VariableValue("/root") : null;
        VariableExpander.Expand("$HOME/x", lookup);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Expansions; i++)
        {
            Assert.True(VariableExpander.Expand("$HOME/x", lookup).IsResolved);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 110 * Expansions, $"{allocated / Expansions:N0} bytes an expansion");
    }
}
