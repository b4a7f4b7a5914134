using System.CommandLine;
using ReviewBot.Analysis.Rules;
using ReviewBot.Cli.Commands;
using ReviewBot.Cli.Output;

namespace ReviewBot.Cli;

/// <summary>Builds the <c>reviewbot</c> command tree and runs it.</summary>
public static class CliApp
{
    private const string Description = "ReviewBot: find Dockerfiles whose containers run as root, and fix them.";

    public static RootCommand CreateRootCommand(CliConsole console) => Commands(console, new RootCommand(Description));

    /// <summary>The root command's subcommands (only the one named <paramref name="only"/>, when given), added to <paramref name="root"/>.</summary>
    private static T Commands<T>(CliConsole console, T root, string? only = null)
        where T : Command
    {
        if (only is null or ScanCommand.Name)
        {
            root.Subcommands.Add(ScanCommand.Create(console));
        }

        if (only is null or ReviewCommand.Name)
        {
            root.Subcommands.Add(ReviewCommand.Create(console));
        }

        if (only is null or RulesCommand.Name)
        {
            root.Subcommands.Add(RulesCommand.Create(console, RuleRunner.Rules));
        }

        return root;
    }

    /// <summary>
    /// The command line parsed. First without what <see cref="RootCommand"/> adds (<c>--help</c>, <c>--version</c>,
    /// directives), whose descriptions are System.CommandLine's resources: their first read sets up reflection over its
    /// assembly, about 3 ms (15% of an empty scan's CPU) on the one thread then working; and with only the command the
    /// first argument names, since building the others runs code for the first time (and allocates) that a scan never
    /// uses. When an argument could be one of those, or the command line does not parse without them, it is parsed
    /// again with everything, so help, version and every error read as before.
    /// </summary>
    private static ParseResult Parse(string[] args, CliConsole console)
    {
        if (!args.Any(MayNeedRootCommand))
        {
            var lean = Commands(console, new Command("reviewbot", Description), args.Length > 0 && args[0] is ScanCommand.Name or ReviewCommand.Name or RulesCommand.Name ? args[0] : null).Parse(args);
            if (lean.Errors.Count == 0)
            {
                return lean;
            }
        }

        return CreateRootCommand(console).Parse(args);
    }

    /// <summary>An argument only the root command reads: help, version, a directive, or a response file (which may hold either).</summary>
    private static bool MayNeedRootCommand(string argument) =>
        argument is "--help" or "-h" or "/h" or "-?" or "/?" or "--version" || argument.StartsWith('[') || argument.StartsWith('@');

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
        var parseResult = Parse(args, console);
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
