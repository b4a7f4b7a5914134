using System.CommandLine;
using ReviewBot.Analysis.Rules;
using ReviewBot.Cli.Commands;
using ReviewBot.Cli.Output;

namespace ReviewBot.Cli;

/// <summary>Builds the <c>reviewbot</c> command tree and runs it.</summary>
public static class CliApp
{
    public static RootCommand CreateRootCommand(CliConsole console) =>
        new("ReviewBot: find Dockerfiles whose containers run as root, and fix them.")
        {
            ScanCommand.Create(console),
            ReviewCommand.Create(console),
            RulesCommand.Create(console, RuleRunner.Rules),
        };

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        // Everything printed, by every command and by System.CommandLine, goes through here: under GitHub Actions none
        // of it can be a workflow command.
        console = WorkflowCommandGuard.Protect(console);
        try
        {
            return await RunCoreAsync(args, console, cancellationToken);
        }
        finally
        {
            // Not FlushAsync: on a console stream that starts a thread-pool thread to flush and waits for it, which cost
            // every run (even `reviewbot --version`) a thread start at exit, about 1 ms.
            WorkflowCommandGuard.End(console.Out);
            WorkflowCommandGuard.End(console.Error);
        }
    }

    private static async Task<int> RunCoreAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var parseResult = CreateRootCommand(console).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // System.CommandLine exits with 1 on parse errors; 1 means "findings" here, so usage errors are reported as 2.
            foreach (var error in parseResult.Errors)
            {
                await console.Error.WriteLineAsync($"reviewbot: {error.Message}");
            }

            await console.Error.WriteLineAsync("Run 'reviewbot --help' for usage.");
            return ExitCodes.UsageOrReadError;
        }

        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }
}
