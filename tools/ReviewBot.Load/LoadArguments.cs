using System.Globalization;

namespace ReviewBot.Load;

internal static class LoadArguments
{
    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--prs" => options with { PullRequests = Number() },
                "--concurrency" => options with { Concurrency = Number() },
                "--dockerfiles" => options with { Dockerfiles = Number() },
                "--dockerfile-bytes" => options with { DockerfileBytes = Number() },
                "--warm-up" => options with { WarmUps = Number() },
                "--max-text-mib" => options with { MaxTextBytesInFlight = Number() * 1024L * 1024 },
                "--instances" => options with { Instances = Number() },
                "--workers" => options with { WorkerConcurrency = Number() },
                "--redeliveries" => options with { Redeliveries = Number() },
                "--queue" => options with { Queue = Enum.Parse<QueueKind>(Next(), ignoreCase: true) },
                "--fault" => options with { Fault = ParseFault(Next()) },
                "--restart-azurite" => options with { RestartAzurite = true },
                "--kill-instance" => options with { KillInstance = true },
                "--files-latency-ms" => options with { FilesLatency = TimeSpan.FromMilliseconds(Number()) },
                _ => throw new ArgumentException($"Unknown argument {args[i]}."),
            };
        }

        return options with { Redeliveries = Math.Min(options.Redeliveries, options.PullRequests) };
    }

    private static Fault ParseFault(string value) => value switch
    {
        "none" => Fault.None,
        "500" => Fault.Status500,
        "502" => Fault.Status502,
        "timeout" => Fault.Timeout,
        "403" => Fault.SecondaryRateLimit,
        "429" => Fault.TooManyRequests,
        "401" => Fault.Unauthorized,
        "422" => Fault.Unprocessable,
        _ => throw new ArgumentException($"Unknown fault {value}."),
    };
}
