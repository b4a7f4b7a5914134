using BenchmarkDotNet.Running;

namespace ReviewBot.Benchmarks;

/// <summary>Entry point: checks the corpus, picks the job, runs the benchmarks and prints the linearity verdict.</summary>
public static class BenchmarkApp
{
    /// <summary>Same meaning as the CLI's exit 2: the input the command needs is missing.</summary>
    private const int ExitCorpusMissing = 2;

    public static int Run(string[] args)
    {
        if (args.Contains("--scaling"))
        {
            return ScalingProbe.Run(args); // generated files only: needs no corpus
        }

        if (ReviewBot.TestSupport.SharedCorpus.Directory is null)
        {
            Console.Error.WriteLine(
                "error: the shared corpus of real Dockerfiles was not found. The benchmarks read ../shared/corpus " +
                "relative to the repository root (looked for shared/corpus in every folder above " +
                $"'{Environment.CurrentDirectory}' and '{AppContext.BaseDirectory}').");
            return ExitCorpusMissing;
        }

        if (args.Contains("--base-images"))
        {
            return BaseImageCensus.Run(args);
        }

        bool quick = args.Contains("--quick");
        var rest = args.Where(a => a != "--quick").ToArray();
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkApp).Assembly).Run(rest, BenchmarkConfig.Create(quick));
        LinearityReport.Print(summaries, Console.Out);
        return 0;
    }
}
