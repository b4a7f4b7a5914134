using System.Text;
using System.Text.Json;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Tests.Scanning;

/// <summary>A Dockerfile is at most 4 MiB: a larger one is not read past the cap, whether named, walked, fixed or piped in.</summary>
public class FileCapTests
{
    private const string Head = "FROM scratch\nUSER 65532\n";

    /// <summary>A valid Dockerfile of exactly <paramref name="bytes"/> bytes (a comment fills it out).</summary>
    private static byte[] Dockerfile(int bytes) => Encoding.ASCII.GetBytes(Head + "#" + new string('x', bytes - Head.Length - 2) + "\n");

    [Theory]
    [InlineData("scan")]
    [InlineData("scan", "--fix")]
    public async Task A_file_one_byte_over_the_cap_is_not_checked(params string[] command)
    {
        using var temp = new TempFolder();
        temp.WriteBytes("big/Dockerfile", Dockerfile(Scanner.MaxFileBytes + 1));

        var run = await Cli.RunAsync(temp.Root, [.. command, "big/Dockerfile", "--format", "json"]);

        Assert.Equal(ExitCodes.UsageOrReadError, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var file = json.RootElement.GetProperty("files").EnumerateArray().Single();
        Assert.Equal("larger than 4 MiB, the most a Dockerfile may be, so not checked", file.GetProperty("error").GetString());
        Assert.Contains("reviewbot: big/Dockerfile: larger than 4 MiB", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_at_the_cap_is_checked()
    {
        using var temp = new TempFolder();
        temp.WriteBytes("Dockerfile", Dockerfile(Scanner.MaxFileBytes));

        var run = await Cli.RunAsync(temp.Root, "scan", ".", "--format", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var file = json.RootElement.GetProperty("files").EnumerateArray().Single();
        Assert.False(file.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Standard_input_that_never_ends_is_cut_at_the_cap()
    {
        using var temp = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();
        var endless = new EndlessStream();
        var console = new CliConsole(output, error, () => endless, temp.Root, UseColor: false) { GetEnvironmentVariable = Cli.LocalEnvironment };

        int code = await CliApp.RunAsync(["scan", "-", "--format", "json"], console);

        Assert.Equal(ExitCodes.UsageOrReadError, code);
        Assert.Contains("<stdin>: larger than 4 MiB", error.ToString(), StringComparison.Ordinal);
        // Read up to the cap and a chunk past it, never on.
        Assert.InRange(endless.Served, Scanner.MaxFileBytes + 1, Scanner.MaxFileBytes + (64 * 1024));
    }
}
