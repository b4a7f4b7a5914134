using System.Diagnostics;
using System.Globalization;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.GitHub.Review;
using ReviewBot.TestSupport;

namespace ReviewBot.Benchmarks;

/// <summary>
/// <c>--scaling</c>: generated Dockerfiles of one instruction kind each (in a root and in a non-root image), of every
/// pair of kinds, of every kind at once and of the shapes no mix writes (<see cref="DockerfileMix.Shapes"/>), at 1, 2
/// and 4 MiB, through everything a file goes through: the analysis,
/// the combined fix applied, the unified diff the CLI prints per fix, and the review plan of the file as a new file.
/// Linear: doubling the size doubles the time. Prints time and allocation per stage, and the 4 MiB / 1 MiB ratio.
/// One process, one thread, Stopwatch: a screen for superlinear shapes, not a BenchmarkDotNet measurement.
/// </summary>
public static class ScalingProbe
{
    private const int MiB = 1024 * 1024;

    private const int Runs = 3;

    public static int Run(string[] args)
    {
        bool pairs = args.Contains("--pairs");
        string? only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        int[] sizes = args.SkipWhile(a => a != "--sizes").Skip(1).FirstOrDefault() is { } s
            ? [.. s.Split(',').Select(x => (int)(double.Parse(x, CultureInfo.InvariantCulture) * MiB))]
            : [1 * MiB, 2 * MiB, 4 * MiB];

        var shapes = new List<(string Name, IReadOnlyList<InstructionKind>? Kinds, bool NonRoot)>();
        foreach (var kind in DockerfileMix.Kinds)
        {
            shapes.Add(($"{kind}", [kind], false));
            shapes.Add(($"{kind} non-root", [kind], true));
        }

        if (pairs)
        {
            for (int i = 0; i < DockerfileMix.Kinds.Count; i++)
            {
                for (int j = i + 1; j < DockerfileMix.Kinds.Count; j++)
                {
                    shapes.Add(($"{DockerfileMix.Kinds[i]}+{DockerfileMix.Kinds[j]}", [DockerfileMix.Kinds[i], DockerfileMix.Kinds[j]], false));
                }
            }
        }

        shapes.Add(("every kind", null, false));
        shapes.Add(("every kind non-root", null, true));
        shapes.AddRange(DockerfileMix.Shapes.Keys.Select(shape => (shape, (IReadOnlyList<InstructionKind>?)null, false)));
        if (only is not null)
        {
            shapes = [.. shapes.Where(x => x.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];
        }

        Measure(DockerfileMix.Generate(1, 64 * 1024), out _); // warm-up: every path compiled and tiered before timing
        Measure(DockerfileMix.Generate(2, 64 * 1024, nonRoot: true), out _);

        Console.WriteLine($"{"shape",-34} {"size",6} {"analyze",9} {"fix",8} {"diffs",8} {"plan",8} {"total",9} {"alloc MB",9} {"CPU",9}  findings");
        foreach (var (name, kinds, nonRoot) in shapes)
        {
            double first = 0, last = 0;
            foreach (int size in sizes)
            {
                string text = DockerfileMix.Shapes.TryGetValue(name, out var shape) ? shape(size) : DockerfileMix.Generate(17, size, kinds, nonRoot);
                // The fastest of a few runs: the machine is shared, and a slow run says more about it than about the code.
                (double Ms, long Bytes)[] t = [];
                double cpuMs = double.MaxValue;
                int findings = 0;
                for (int run = 0; run < Runs; run++)
                {
                    var cpu = Environment.CpuUsage.TotalTime;
                    var times = Measure(text, out findings);
                    cpuMs = Math.Min(cpuMs, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);
                    t = run == 0 ? times : [.. t.Zip(times, (a, b) => (Math.Min(a.Ms, b.Ms), b.Bytes))];
                }

                double total = t.Sum(x => x.Ms);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-34} {size / (double)MiB,5:0.##}M {t[0].Ms,7:0}ms {t[1].Ms,6:0}ms {t[2].Ms,6:0}ms {t[3].Ms,6:0}ms {total,7:0}ms {t.Sum(x => x.Bytes) / (double)MiB,9:0.0} {cpuMs,7:0}ms  {findings}"));
                if (first == 0)
                {
                    first = cpuMs;
                }

                last = cpuMs;
                if (total > 10_000)
                {
                    Console.WriteLine("  (over 10 s: larger sizes skipped)");
                    break;
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} CPU ratio largest/smallest: {last / first:0.0}x"));
        }

        return 0;
    }

    /// <summary>Each stage's wall time and bytes allocated on this thread.</summary>
    private static (double Ms, long Bytes)[] Measure(string text, out int findings)
    {
        var results = new (double, long)[4];
        AnalysisResult? analysis = null;
        results[0] = Time(() => analysis = DockerfileAnalyzer.Analyze(text));
        findings = analysis!.Findings.Length;
        results[1] = Time(() =>
        {
            var edits = FixApplier.Combine(analysis.Findings.Select(f => f.Fix).OfType<Fix>());
            if (!edits.IsEmpty)
            {
                FixApplier.Apply(text, edits);
            }
        });
        results[2] = Time(() =>
        {
            // What `reviewbot scan --format text` prints: every finding's fix as a diff against the file's lines.
            var lines = UnifiedDiff.Lines(text);
            foreach (var finding in analysis.Findings)
            {
                if (finding.Fix is { Edits.IsEmpty: false } fix)
                {
                    UnifiedDiff.Create("Dockerfile", lines, fix.Edits);
                }
            }
        });
        results[3] = Time(() =>
        {
            int lineCount = analysis.Document.Lines.Length;
            string patch = $"@@ -0,0 +1,{lineCount} @@\n+" + text.TrimEnd('\n').Replace("\n", "\n+", StringComparison.Ordinal);
            ReviewPlanner.Plan([new ReviewFile("Dockerfile", text, analysis, patch)], new ReviewPlanOptions());
        });
        return results;
    }

    private static (double Ms, long Bytes) Time(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        action();
        return (watch.Elapsed.TotalMilliseconds, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
