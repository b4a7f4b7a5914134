namespace ReviewBot.Load;

/// <summary>
/// reviewbot-load [--prs N] [--concurrency C] [--dockerfiles K] [--fault none|500|502|timeout|403|429|401|422]
///                [--queue memory|azurite] [--instances I] [--workers W] [--restart-azurite] [--kill-instance]
/// Exit code 0 when every pull request got exactly one review and a completed check, and redeliveries cost nothing.
/// </summary>
internal static class LoadProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = LoadArguments.Parse(args);
        var result = await LoadRun.RunAsync(options, Console.Out);
        Console.WriteLine(result);
        return result.ExactlyOnce && result.RedeliveryCalls == 0 ? 0 : 1;
    }
}
