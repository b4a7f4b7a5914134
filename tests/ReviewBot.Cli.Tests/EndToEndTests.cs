using System.Text.Json;

namespace ReviewBot.Cli.Tests;

/// <summary>The real engine through the real command. These need the rules from main.</summary>
public class EndToEndTests
{
    private const string RootImage = "FROM debian:bookworm-slim\nCOPY app /app\nCMD [\"/app/run\"]\n";

    [Fact]
    public async Task A_root_image_reports_RB001_on_its_FROM_line_and_fails()
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", RootImage);

        var run = await Cli.RunAsync(temp.Root, "scan");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Dockerfile:1 RB001 error: Container runs as root\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("+USER ", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_own_Dockerfile_reports_nothing()
    {
        var run = await Cli.RunAsync(RepoRoot.Find(), "scan", "Dockerfile", "--fail-level", "notice");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("1 Dockerfile scanned, no problems", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_makes_the_file_scan_clean()
    {
        using var temp = new TempFolder();
        var path = temp.Write("Dockerfile", RootImage);

        var fixedRun = await Cli.RunAsync(temp.Root, "scan", "--fix", "--format", "json");
        var again = await Cli.RunAsync(temp.Root, "scan", "--format", "json");

        Assert.NotEqual(RootImage, File.ReadAllText(path));
        Assert.Equal(0, fixedRun.ExitCode);
        using var json = JsonDocument.Parse(again.Out);
        var findings = json.RootElement.GetProperty("files")[0].GetProperty("findings");
        Assert.DoesNotContain(findings.EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "RB001");
        Assert.Equal(0, again.ExitCode);
    }

    [Fact]
    public async Task Fix_keeps_crlf_line_endings()
    {
        using var temp = new TempFolder();
        var path = temp.Write("Dockerfile", RootImage.Replace("\n", "\r\n"));

        await Cli.RunAsync(temp.Root, "scan", "--fix");

        var text = File.ReadAllText(path);
        Assert.Contains("USER ", text, StringComparison.Ordinal);
        Assert.Equal(text.Split('\n').Length - 1, text.Split("\r\n").Length - 1);
    }

    [Fact]
    public async Task Samples_folder_scans_and_the_clean_sample_has_no_error()
    {
        var samples = Path.Combine(RepoRoot.Find(), "samples");

        var run = await Cli.RunAsync(RepoRoot.Find(), "scan", "samples", "--format", "json");

        Assert.True(Directory.Exists(samples));
        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var files = json.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.True(files.Count >= 5);
        Assert.All(files.Values, f => Assert.False(f.TryGetProperty("error", out _)));
        Assert.DoesNotContain(files["samples/clean-nonroot/Dockerfile"].GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() == "error");
        Assert.Contains(files["samples/debian-app/Dockerfile"].GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "RB001");
    }

    [CorpusFact]
    public async Task The_whole_corpus_scans_without_a_read_or_internal_error()
    {
        var run = await Cli.RunAsync(SharedCorpus.Directory!, "scan", "--format", "json", "--fail-level", "none");

        using var json = JsonDocument.Parse(run.Out);
        var errors = json.RootElement.GetProperty("files").EnumerateArray()
            .Where(f => f.TryGetProperty("error", out _))
            .Select(f => $"{f.GetProperty("path").GetString()}: {f.GetProperty("error").GetString()}")
            .ToList();
        Assert.Empty(errors);
        Assert.Equal(0, run.ExitCode);
        Assert.True(json.RootElement.GetProperty("files").GetArrayLength() >= 1000);
    }
}
