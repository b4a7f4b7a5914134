using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Tests.Syntax;

/// <summary>The line table keeps only where lines start: each line's end is read back from the terminator before the next.</summary>
public class LineIndexTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("a", new[] { "a" })]
    [InlineData("a\n", new[] { "a" })]
    [InlineData("\n", new[] { "" })]
    [InlineData("\r", new[] { "" })]
    [InlineData("\r\n", new[] { "" })]
    [InlineData("a\r\nb", new[] { "a", "b" })]
    [InlineData("a\rb\r", new[] { "a", "b" })]
    [InlineData("\r\r\n\n", new[] { "", "", "" })]
    [InlineData("\n\r", new[] { "", "" })]
    [InlineData("x\n\ny\r\n\r\nz", new[] { "x", "", "y", "", "z" })]
    public void Lines_end_before_their_terminator(string text, string[] expected)
    {
        var lines = LineIndex.Split(text, 0, out _);

        Assert.Equal(expected, Enumerable.Range(0, lines.Count).Select(i => lines[i].ToString()));
        Assert.Equal(expected, Enumerable.Range(0, lines.Count).Select(lines.ToString));
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("a", new[] { "a" })]
    [InlineData("a\n", new[] { "a\n" })]
    [InlineData("\r", new[] { "\r" })]
    [InlineData("a\r\nb", new[] { "a\r\n", "b" })]
    [InlineData("a\rb\r", new[] { "a\r", "b\r" })]
    [InlineData("\r\r\n\n", new[] { "\r", "\r\n", "\n" })]
    [InlineData("\n\r", new[] { "\n", "\r" })]
    public void Split_lines_keep_their_terminators(string text, string[] expected)
    {
        // What fixes and diffs are written from (LineTable.Split, FixApplier): the same lines, each up to the next start.
        Assert.Equal(expected, LineTable.Split(text));
        var lines = LineIndex.Split(text, 0, out _);
        Assert.Equal(expected, Enumerable.Range(0, lines.Count).Select(lines.WithTerminator));
        Assert.Equal(text.Length, lines.Count == 0 ? 0 : lines.Start(lines.Count));
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_first_line()
    {
        var lines = LineIndex.Split("\uFEFFFROM a\r\nUSER b", 1, out string newLine);

        Assert.Equal(["FROM a", "USER b"], Enumerable.Range(0, lines.Count).Select(lines.ToString));
        Assert.Equal("\r\n", newLine);
    }
}
