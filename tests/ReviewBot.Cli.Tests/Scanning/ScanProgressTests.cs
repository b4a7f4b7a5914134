using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Tests.Scanning;

public class ScanProgressTests
{
    [Fact]
    public void A_long_scan_shows_its_count_in_place_and_clears_the_line_at_the_end()
    {
        var text = new StringWriter();
        var error = TextWriter.Synchronized(text);
        int scanned = 0;

        using (new ScanProgress(error, () => Volatile.Read(ref scanned), quietFor: TimeSpan.Zero, every: TimeSpan.FromMilliseconds(5)))
        {
            Interlocked.Exchange(ref scanned, 1234);
            SpinWait.SpinUntil(() => text.ToString().Contains("1,234 files scanned", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        }

        var written = text.ToString();
        Assert.StartsWith("\rreviewbot: ", written, StringComparison.Ordinal);
        Assert.Contains("\rreviewbot: 1,234 files scanned…\x1b[K", written, StringComparison.Ordinal);
        Assert.EndsWith("\r\x1b[K", written, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', written);
    }

    [Fact]
    public void A_quick_scan_writes_nothing()
    {
        var error = new StringWriter();

        using (new ScanProgress(error, () => 5))
        {
        }

        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void Nothing_is_written_after_the_end()
    {
        var text = new StringWriter();
        var progress = new ScanProgress(TextWriter.Synchronized(text), () => 1, quietFor: TimeSpan.Zero, every: TimeSpan.FromMilliseconds(1));
        SpinWait.SpinUntil(() => text.ToString().Length > 0, TimeSpan.FromSeconds(10));
        progress.Dispose();
        var atEnd = text.ToString();

        Thread.Sleep(50);

        Assert.Equal(atEnd, text.ToString());
        Assert.EndsWith("\r\x1b[K", atEnd, StringComparison.Ordinal);
    }
}
