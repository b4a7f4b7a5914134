using System.Collections.Immutable;
using System.Text;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Rules;

namespace ReviewBot.Cli.Tests;

/// <summary>A temporary folder deleted after the test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "reviewbot-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relativePath, string text) => WriteBytes(relativePath, Encoding.UTF8.GetBytes(text));

    public string WriteBytes(string relativePath, byte[] bytes)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

/// <summary>The outcome of one in-process run of the command.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error);

public static class Cli
{
    /// <summary>
    /// The process's environment without GITHUB_ACTIONS: the tests see the output a terminal or a file gets, also when
    /// this repository's CI runs them on GitHub Actions (where the output is guarded; tests that want that say so).
    /// </summary>
    public static string? LocalEnvironment(string name) =>
        name == "GITHUB_ACTIONS" ? null : Environment.GetEnvironmentVariable(name);

    public static Task<CliRun> RunWithInputAsync(string currentDirectory, string stdin, params string[] args) =>
        RunWithEnvironmentAsync(currentDirectory, stdin, LocalEnvironment, args);

    public static async Task<CliRun> RunWithEnvironmentAsync(string currentDirectory, string stdin, Func<string, string?> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, () => new MemoryStream(Encoding.UTF8.GetBytes(stdin)), currentDirectory, UseColor: false)
        {
            GetEnvironmentVariable = environment,
        };
        int code = await CliApp.RunAsync(args, console);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public static Task<CliRun> RunAsync(string currentDirectory, params string[] args) => RunWithInputAsync(currentDirectory, "", args);
}

public static class Rules
{
    public static RuleDescriptor Rb001 { get; } = new(
        "RB001", Severity.Error, "Container runs as root", "root-user",
        "A process that runs as root in the container is root on the host if it escapes.",
        "FROM debian:bookworm-slim\nCMD [\"/app/run\"]",
        "Creates a system user and switches to it with USER before CMD.",
        "DL3002", "CKV_DOCKER_3", "DS002");

    public static RuleDescriptor Rb004 { get; } = new(
        "RB004", Severity.Warning, "Privileged port", "privileged-port",
        "A non-root user cannot bind ports below 1024.", "EXPOSE 80", "Moves to 8080.");

    public static Finding Finding(RuleDescriptor rule, int start, int end, string message, params TextEdit[] edits) =>
        new(rule, rule.DefaultSeverity, new LineRange(start, end), message, edits.Length == 0 ? null : new Fix("fix " + rule.Id, [.. edits]));

    public static AnalysisResult Result(string text, params Finding[] findings) =>
        new(Analysis.Syntax.DockerfileDocument.Parse(text), [.. findings]);

    public static ImmutableArray<Finding> None => [];
}
