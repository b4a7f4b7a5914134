using System.Collections.Immutable;
using System.Text.Json;
using ReviewBot.Analysis;
using ReviewBot.Cli.Commands;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Tests.Commands;

public class CommandTests
{
    [Theory]
    [InlineData]
    [InlineData("scan", "--format", "xml")]
    [InlineData("scan", "--fail-level", "fatal")]
    [InlineData("scan", "--bogus")]
    [InlineData("lint")]
    [InlineData("scan", "--fix", "-")]
    [InlineData("scan", "--config")]
    [InlineData("scan", "--config", "--help")]
    public async Task Usage_errors_exit_2_with_a_message_on_stderr(params string[] args)
    {
        using var temp = new TempFolder();

        var run = await Cli.RunAsync(temp.Root, args);

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.StartsWith("reviewbot: ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("scan", "--help")]
    [InlineData("scan", "-?")]
    [InlineData("scan", "--format", "json", "/h")]
    public async Task Help_is_shown_wherever_it_is_asked_for(params string[] args)
    {
        using var temp = new TempFolder();

        var run = await Cli.RunAsync(temp.Root, args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        Assert.Contains("Show help and usage information", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Help_after_an_option_is_never_taken_as_its_value()
    {
        // System.CommandLine reads --help as the help option wherever it stands, so --config has no value: a usage error,
        // even when a file named --help exists.
        using var temp = new TempFolder();
        temp.Write("--help", "version: 1\n");
        temp.Write("Dockerfile", "FROM alpine:3.20\n");

        var run = await Cli.RunAsync(temp.Root, "scan", "--config", "--help");

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.StartsWith("reviewbot: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Dockerfile", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_is_printed()
    {
        using var temp = new TempFolder();

        var run = await Cli.RunAsync(temp.Root, "--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+", run.Out);
    }

    [Fact]
    public async Task A_response_file_is_read_with_help_in_it()
    {
        using var temp = new TempFolder();
        var arguments = temp.Write("args.rsp", "scan\n--help\n");

        var run = await Cli.RunAsync(temp.Root, "@" + arguments);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        Assert.Contains("Find Dockerfiles whose containers run as root", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_named_after_a_streamed_json_scan()
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", "FROM alpine:3.20\nUSER 1000\n");

        var run = await Cli.RunAsync(temp.Root, "scan", "--format", "json", "Dockerfile", "nowhere/Dockerfile");

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        Assert.Contains("reviewbot: nowhere/Dockerfile: no such file or folder", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("reviewbot: Dockerfile", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_path_exits_2_and_names_it()
    {
        using var temp = new TempFolder();

        var run = await Cli.RunAsync(temp.Root, "scan", "nowhere/Dockerfile");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("reviewbot: nowhere/Dockerfile: no such file or folder", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binary_or_invalid_utf8_file_is_a_diagnostic_for_that_file_and_the_rest_is_scanned()
    {
        using var temp = new TempFolder();
        temp.WriteBytes("bin1/Dockerfile", [0x46, 0x00, 0x01, 0x02]);
        temp.WriteBytes("latin1/Dockerfile", [0x23, 0x20, 0xE9, 0x0A, 0x46, 0x52, 0x4F, 0x4D, 0x20, 0x61, 0x0A]);
        temp.Write("ok/Dockerfile", "FROM scratch\nUSER 65532:65532\n");

        var run = await Cli.RunAsync(temp.Root, "scan", "--format", "json");

        Assert.Equal(2, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var files = json.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Contains("binary", files["bin1/Dockerfile"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", files["latin1/Dockerfile"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(files["ok/Dockerfile"].TryGetProperty("error", out _));
        Assert.Contains("reviewbot: latin1/Dockerfile: not valid UTF-8", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdin_is_read_for_a_dash()
    {
        using var temp = new TempFolder();

        var run = await Cli.RunWithInputAsync(temp.Root, "FROM scratch\nUSER 65532\n", "scan", "-", "--format", "json");

        using var json = JsonDocument.Parse(run.Out);
        var file = json.RootElement.GetProperty("files").EnumerateArray().Single();
        Assert.Equal("<stdin>", file.GetProperty("path").GetString());
        Assert.False(file.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task A_config_with_errors_stops_the_scan_with_its_messages()
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", "FROM scratch\n");
        temp.Write("reviewbot.yml", "fix:\n  uid: 0\n");

        var run = await Cli.RunAsync(temp.Root, "scan", "--config", "reviewbot.yml");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("reviewbot.yml: line 2: fix.uid: 0 is root", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_folder_scans_clean()
    {
        using var temp = new TempFolder();

        var run = await Cli.RunAsync(temp.Root, "scan");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("No Dockerfile found\n", run.Out.Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData("error", Severity.Error, 1)]
    [InlineData("error", Severity.Warning, 0)]
    [InlineData("warning", Severity.Warning, 1)]
    [InlineData("warning", Severity.Notice, 0)]
    [InlineData("notice", Severity.Notice, 1)]
    [InlineData("none", Severity.Error, 0)]
    public void Exit_code_follows_the_fail_level(string failLevel, Severity found, int expected)
    {
        var finding = Rules.Finding(Rules.Rb001, 1, 1, "m") with { Severity = found };
        var report = new ScanReport([new FileReport("Dockerfile", "/x/Dockerfile", "FROM a\n", [finding], [])], "/x");

        Assert.Equal(expected, ScanCommand.ExitCode(report, failLevel));
        Assert.Equal(0, ScanCommand.ExitCode(new ScanReport([new FileReport("D", "/x/D", "", ImmutableArray<Finding>.Empty, [])], "/x"), failLevel));
    }

    [Fact]
    public void Read_errors_win_over_findings()
    {
        var report = new ScanReport([FileReport.Unreadable("D", "/x/D", "cannot read: denied")], "/x");

        Assert.Equal(2, ScanCommand.ExitCode(report, "none"));
    }

    [Fact]
    public async Task Rules_lists_and_documents_each_rule()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, () => Stream.Null, Path.GetTempPath(), false);
        var command = RulesCommand.Create(console, [Rules.Rb001, Rules.Rb004]);

        Assert.Equal(0, await command.Parse([]).InvokeAsync());
        Assert.Equal(0, await command.Parse(["rb001"]).InvokeAsync());
        Assert.Equal(2, await command.Parse(["RB999"]).InvokeAsync());

        var text = output.ToString();
        Assert.Contains("RB001  error    root-user        Container runs as root", text, StringComparison.Ordinal);
        Assert.Contains("RB004  warning  privileged-port  Privileged port", text, StringComparison.Ordinal);
        Assert.Contains("## Why\n\nA process that runs as root", text, StringComparison.Ordinal);
        Assert.Contains("# reviewbot ignore=RB001", text, StringComparison.Ordinal);
        Assert.Contains("# hadolint ignore=DL3002", text, StringComparison.Ordinal);
        Assert.Contains("unknown rule 'RB999' (known: RB001, RB004)", error.ToString(), StringComparison.Ordinal);
    }
}
