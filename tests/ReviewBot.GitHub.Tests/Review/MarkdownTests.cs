using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Tests.Review;

public class MarkdownTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("`")]
    [InlineData("``")]
    [InlineData("a`b``c```d")]
    [InlineData("`starts")]
    [InlineData("ends`")]
    [InlineData(" both spaces ")]
    [InlineData("  ")]
    [InlineData(" `x` ")]
    [InlineData("<!-- x --> @octocat [a](b)")]
    public void A_code_span_shows_its_text_exactly(string text)
    {
        var parts = MarkdownChecker.Parse("x " + Markdown.CodeSpan(text) + " y");

        Assert.Equal(text, Assert.Single(parts.Spans));
        Assert.Equal("x  y\n", parts.Prose);
    }

    [Theory]
    [InlineData("a|b")]
    [InlineData("||")]
    [InlineData("a\\b")]
    [InlineData("`|`")]
    public void A_table_code_span_keeps_its_cell_and_its_text(string text)
    {
        var parts = MarkdownChecker.Parse($"| {Markdown.TableCodeSpan(text)} | next |");

        Assert.Equal(text, Assert.Single(parts.Spans));
        Assert.Contains("next", parts.Prose, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_breaks_and_controls_do_not_end_a_code_span()
    {
        Assert.Equal("`a b  c d`", Markdown.CodeSpan("a\nb\r\nc\u202Ed"));
        Assert.Equal("`\uFFFD`", Markdown.CodeSpan("\uD800"));
    }

    [Fact]
    public void Prose_keeps_plain_words_and_quotes_the_rest()
    {
        Assert.Equal(
            "USER `@octocat` runs as root: see `[x](http://e.example`) or `www.e.example`, (`$UID`).",
            Markdown.Prose("USER @octocat runs as root: see [x](http://e.example) or www.e.example, ($UID)."));
        Assert.Equal("map it with `docker run -p 8080:80`.", Markdown.Prose("map it with `docker run -p 8080:80`."));
    }

    [Fact]
    public void Prose_is_cut_to_its_budget()
    {
        var prose = Markdown.Prose(new string('a', 5000), 100);

        Assert.Equal(100, prose.Length);
        Assert.EndsWith("…", prose, StringComparison.Ordinal);
    }

    [Fact]
    public void Cutting_markdown_inside_a_fence_closes_it()
    {
        var markdown = "intro\n\n````diff\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"+line {i} `@octocat`\n")) + "````\n\nafter @octocat\n";

        var cut = Markdown.TruncateLines(markdown, 300);

        Assert.InRange(cut.Length, 1, 300);
        var parts = MarkdownChecker.Parse(cut);
        Assert.Single(parts.Fences);
        Assert.DoesNotContain("@", parts.Prose, StringComparison.Ordinal);
        Assert.Contains("\n````\n…\n", cut, StringComparison.Ordinal);
    }
}
