using System.Text;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Tests.Scanning;

public class SourceTextTests
{
    [Fact]
    public void A_bom_stays_in_the_text_and_is_written_back()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "FROM a\r\n"u8];

        var text = SourceText.Decode(bytes, out var error);

        Assert.Null(error);
        Assert.Equal("\uFEFFFROM a\r\n", text);
        Assert.Equal(bytes, SourceText.Encode(text!));
    }

    [Theory]
    [InlineData(new byte[] { 0x46, 0x52, 0xC3, 0x28 }, "not valid UTF-8")]
    [InlineData(new byte[] { 0x46, 0x00, 0x52 }, "binary file")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x46, 0x00 }, "UTF-16")]
    public void Unreadable_bytes_give_a_reason_instead_of_text(byte[] bytes, string reason)
    {
        var text = SourceText.Decode(bytes, out var error);

        Assert.Null(text);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_ascii_utf8_round_trips()
    {
        var original = "# café ☕ 日本\nFROM a\n";

        Assert.Equal(original, SourceText.Decode(Encoding.UTF8.GetBytes(original), out _));
    }
}
