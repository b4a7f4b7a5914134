using System.Text;

namespace ReviewBot.Analysis.Tests;

public class WordingTests
{
    [Theory]
    [InlineData("no `USER` is set", "no USER is set")]
    [InlineData("runs ``a`b`` here", "runs a`b here")]
    [InlineData("`` `x` ``", "`x`")]
    [InlineData("an unmatched ` stays", "an unmatched ` stays")]
    [InlineData("`a` and ``b", "a and ``b")]
    [InlineData("`  `", "  ")]
    [InlineData("", "")]
    public void Plain_drops_the_backticks_that_quote_code(string text, string plain)
    {
        Assert.Equal(plain, Wording.Plain(text));
    }

    [Fact]
    public void A_plain_sentence_starts_with_a_capital_and_ends_with_its_advice()
    {
        var finding = new Finding(Analysis.Rules.RootUserRule.Descriptor, Severity.Error, LineRange.Single(1), "`root` runs `app`");

        Assert.Equal("Root runs app", Wording.PlainSentence(finding, null));
        Assert.Equal("Root runs app Add USER x.", Wording.PlainSentence(finding, "Add `USER` x."));
    }

    [Fact]
    public void Writing_plain_text_into_a_buffer_gives_what_the_string_form_gives()
    {
        // The span form writes JSON's messageText without a string; it must agree with the reading it replaced (kept
        // below as the oracle) on any text: runs of every length, matched or not, spaces inside and around them.
        for (int seed = 0; seed < 5_000; seed++)
        {
            var random = new Random(seed);
            var text = new StringBuilder();
            for (int i = random.Next(0, 30); i > 0; i--)
            {
                text.Append("`` aB".AsSpan()[random.Next(5)]);
            }

            string expected = Oracle(text.ToString());
            Assert.Equal(expected, Wording.Plain(text.ToString()));

            var into = new char[text.Length];
            int length = Wording.PlainSentence(text.ToString(), into);
            string sentence = expected.Length > 1 && char.IsLower(expected[0]) ? char.ToUpperInvariant(expected[0]) + expected[1..] : expected;
            Assert.Equal(sentence, new string(into, 0, length));
        }
    }

    /// <summary>Plain as it was written first: a character at a time into a builder.</summary>
    private static string Oracle(string text)
    {
        var plain = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] != '`')
            {
                plain.Append(text[i++]);
                continue;
            }

            int open = Wording.Run(text, i);
            int close = Wording.Closing(text, i + open, open);
            if (close < 0)
            {
                plain.Append(text, i, open);
                i += open;
                continue;
            }

            var content = text.AsSpan(i + open, close - i - open);
            if (content.Length >= 2 && content[0] == ' ' && content[^1] == ' ' && content.ContainsAnyExcept(' '))
            {
                content = content[1..^1];
            }

            plain.Append(content);
            i = close + open;
        }

        return plain.ToString();
    }
}
