using ReviewBot.Cli;

return await CliApp.RunAsync(args, CliConsole.System);
