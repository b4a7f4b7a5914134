using System.CommandLine;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Rules;
using ReviewBot.Cli.Output;
using ReviewBot.Cli.Scanning;
using ReviewBot.Configuration;
using ReviewBot.Registry;

namespace ReviewBot.Cli.Commands;

/// <summary><c>reviewbot scan [PATH…] [--format text|json|sarif] [--fix] [--fail-level error|warning|notice|none] [--config FILE]</c>.</summary>
public static class ScanCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "scan";

    public static Command Create(CliConsole console)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Files or folders to scan (folders are searched recursively for Dockerfiles); '-' reads standard input. Default: the current folder.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "text",
        }.AcceptOnlyFromAmong("text", "json", "sarif");
        var fix = new Option<bool>("--fix") { Description = "Rewrite each file with all fixes applied, then report what is left." };
        var failLevel = new Option<string>("--fail-level")
        {
            Description = "Exit with 1 when a finding is at least this severe.",
            DefaultValueFactory = _ => "error",
        }.AcceptOnlyFromAmong("error", "warning", "notice", "none");
        var configFile = new Option<FileInfo?>("--config", "-c") { Description = "Config file in the .github/reviewbot.yml format." };
        var noDiff = new Option<bool>("--no-diff") { Description = "Text format: describe each fix without printing its diff." };

        var command = new Command(Name, "Find Dockerfiles whose containers run as root, with fixes.") { paths, format, fix, failLevel, configFile, noDiff };
        var images = new ImageOptions();
        images.AddTo(command);
        command.SetAction(result => Run(
            console,
            result.GetValue(paths) ?? [],
            result.GetValue(format)!,
            result.GetValue(fix),
            result.GetValue(failLevel)!,
            result.GetValue(configFile),
            ImageOptions.Create(console, result.GetValue(images.Resolve), result.GetValue(images.Insecure) ?? []),
            result.GetValue(noDiff)));
        return command;
    }

    private static int Run(CliConsole console, string[] paths, string format, bool fix, string failLevel, FileInfo? configFile, ImageResolver? resolver = null, bool noDiff = false)
    {
        if (fix && paths.Contains("-"))
        {
            console.Error.WriteLine("reviewbot: --fix cannot rewrite standard input; pass the file's path instead");
            return ExitCodes.UsageOrReadError;
        }

        var config = RepositoryConfig.Default;
        if (configFile is not null)
        {
            var loaded = LoadConfig(console, Path.GetFullPath(configFile.ToString(), console.CurrentDirectory));
            if (loaded is null)
            {
                return ExitCodes.UsageOrReadError;
            }

            config = loaded;
        }

        IEnumerable<ScanTarget> targets = ScanTarget.Enumerate(paths, console.CurrentDirectory, config);
        ImageFacts? images = null;
        if (resolver is not null)
        {
            // The registries are asked once for every file's images, before the scan: the walk is listed first.
            var listed = targets.ToList();
            targets = listed;
            images = ImageOptions.ResolveForScan(console, resolver, ReadAll(listed), config.ToAnalyzerOptions().Images);
        }

        if (format is "json" or "sarif")
        {
            WorkflowCommandGuard.ExpectJson(console.Out);
        }

        // JSON is written a file at a time while later files are analyzed; the other formats summarize, so they wait.
        using var json = format == "json" ? JsonReportWriter.Create(console.Out) : null;
        var scanner = new Scanner(config, fix) { KeepText = json is null, OnReport = json is null ? null : json.Write, Images = images };
        ScanReport report;
        using (console.ErrorIsTerminal ? new ScanProgress(console.Error, () => scanner.Scanned) : null)
        {
            report = scanner.Scan(targets, console.OpenStandardInput, console.CurrentDirectory);
        }

        switch (format)
        {
            case "json":
                json!.Finish();
                break;
            case "sarif":
                new SarifFormatter(RuleRunner.Rules).Write(report, console.Out);
                break;
            default:
                new TextFormatter(console.UseColor, console.Width, showDiff: !noDiff).Write(report, console.Out);
                break;
        }

        console.Out.Flush();
        foreach (var file in report.Files.Where(f => f.ReadError is not null))
        {
            console.Error.WriteLine($"reviewbot: {file.Path}: {file.ReadError}");
        }

        return ExitCode(report, failLevel);
    }

    /// <summary>The texts of the files among <paramref name="targets"/> that can be read (the scan reports the others).</summary>
    private static IEnumerable<string> ReadAll(List<ScanTarget> targets)
    {
        foreach (var target in targets)
        {
            string? text = null;
            try
            {
                text = target.FullPath is { } path && target.Error is null && new FileInfo(path).Length <= 4 * 1024 * 1024 ? File.ReadAllText(path) : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }

            if (text is not null)
            {
                yield return text;
            }
        }
    }

    /// <summary>Reads and validates the config; a config with errors stops the scan (exit 2) rather than silently scanning with defaults.</summary>
    internal static RepositoryConfig? LoadConfig(CliConsole console, string path)
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"reviewbot: cannot read config {path}: {ex.Message}");
            return null;
        }

        var result = RepositoryConfig.Parse(yaml);
        foreach (var error in result.Errors)
        {
            console.Error.WriteLine($"reviewbot: {path}: {error}");
        }

        return result.IsValid ? result.Config : null;
    }

    public static int ExitCode(ScanReport report, string failLevel)
    {
        if (report.HasReadErrors)
        {
            return ExitCodes.UsageOrReadError;
        }

        Severity? threshold = failLevel switch
        {
            "error" => Severity.Error,
            "warning" => Severity.Warning,
            "notice" => Severity.Notice,
            _ => null,
        };
        return threshold is { } t && report.AllFindings.Any(f => f.Severity >= t) ? ExitCodes.Findings : ExitCodes.Success;
    }
}
