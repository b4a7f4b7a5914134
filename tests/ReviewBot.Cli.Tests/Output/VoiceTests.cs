using System.Diagnostics;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Cli.Output;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Tests.Output;

/// <summary>The terminal report a person reads: pinned word for word over the repository's samples, and its rules.</summary>
public class VoiceTests
{
    private static async Task<string> ScanSamplesAsync(params string[] extra)
    {
        var run = await Cli.RunAsync(RepoRoot.Find(), ["scan", "samples", .. extra]);
        Assert.Equal(1, run.ExitCode);
        return run.Out;
    }

    [Fact]
    public async Task The_samples_terminal_report_reads_as_approved() =>
        Approval.Verify("ReviewBot.Cli.Tests", "samples.scan.txt", await ScanSamplesAsync());

    [Fact]
    public async Task Each_finding_starts_with_one_grep_able_line_and_findings_are_apart()
    {
        var lines = (await ScanSamplesAsync()).Split('\n');

        Assert.Contains("samples/debian-app/Dockerfile:5 RB005 warning: sudo in the image", lines);
        Assert.Contains("samples/debian-app/Dockerfile:3 RB001 error: Container runs as root", lines);
        var firsts = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("samples/", StringComparison.Ordinal)).Select(x => x.i).ToList();
        Assert.True(firsts.Count >= 5);
        Assert.All(firsts.Skip(1), i => Assert.Equal("", lines[i - 1]));
        Assert.All(lines, l => Assert.True(l.Length <= TextFormatter.DefaultWidth || l.StartsWith("    +", StringComparison.Ordinal) || l.StartsWith("    -", StringComparison.Ordinal) || l.StartsWith("     ", StringComparison.Ordinal), l));
        Assert.DoesNotContain('`', string.Join('\n', lines.Where(l => !l.StartsWith("    ", StringComparison.Ordinal) || !"+- @".Contains(l.Length > 4 ? l[4] : 'x', StringComparison.Ordinal))));
    }

    [Fact]
    public async Task The_last_line_is_honest_and_has_no_zero_counts()
    {
        var lines = (await ScanSamplesAsync()).TrimEnd('\n').Split('\n');

        Assert.Equal("5 Dockerfiles scanned, 4 with problems: 4 errors, 2 warnings", lines[^1]);
    }

    [Fact]
    public async Task No_diff_describes_the_fix_without_printing_it()
    {
        var output = await ScanSamplesAsync("--no-diff");

        Assert.DoesNotContain("--- a/", output, StringComparison.Ordinal);
        Assert.Contains("    Fix: Run as appuser", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diff_shows_removals_before_additions()
    {
        var lines = UnifiedDiff.Lines("FROM alpine\nCOPY . .\nCMD [\"x\"]\n");
        var diff = UnifiedDiff.Create("Dockerfile", lines, [new TextEdit(2, 1, "RUN adduser -D app\n"), new TextEdit(2, 2, "COPY --chown=app . .\n")]);

        Assert.Equal(["-COPY . .", "+RUN adduser -D app", "+COPY --chown=app . ."], diff.Where(l => l.Kind is '-' or '+').Select(l => l.Kind + l.Text));
    }

    [Fact]
    public void Prose_wraps_at_the_width_and_long_words_stay_whole()
    {
        Assert.Equal(["aaa bbb", "ccc", new string('d', 20)], TextFormatter.Wrap("aaa bbb ccc " + new string('d', 20), 8));
        Assert.Equal(120, CliConsole.ColumnsOf("120"));
        Assert.Equal(TextFormatter.DefaultWidth, CliConsole.ColumnsOf(null));
        Assert.Equal(TextFormatter.DefaultWidth, CliConsole.ColumnsOf("-3"));
    }

    /// <summary>
    /// On a terminal, .NET's console streams wrote terminfo's keypad_xmit (ESC[?1h ESC=) before the first byte of
    /// output. The process is run in a pseudo-terminal (util-linux <c>script</c>) as a person would run it.
    /// </summary>
    [Fact]
    public async Task On_a_terminal_the_output_has_no_stray_escape_sequences()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "reviewbot.dll");
        var script = new[] { "/usr/bin/script", "/bin/script" }.FirstOrDefault(File.Exists);
        Assert.True(script is not null && !OperatingSystem.IsWindows(), "util-linux script is needed to run the CLI in a pseudo-terminal");
        var dotnet = Environment.ProcessPath!;
        var start = new ProcessStartInfo(script!, ["-qec", $"'{dotnet}' exec '{dll}' scan '{Path.Combine(RepoRoot.Find(), "samples", "clean-nonroot")}'", "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TERM"] = "xterm";
        start.Environment["NO_COLOR"] = "1"; // colors are escapes too, and wanted on a terminal
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Contains("1 Dockerfile scanned, no problems", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\e[?1h", output, StringComparison.Ordinal); // terminfo keypad_xmit, as xterm spells it
        Assert.DoesNotContain("\e=", output, StringComparison.Ordinal);
    }
}
