using System.Diagnostics;
using System.Globalization;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Syntax;
using Xunit.Abstractions;

namespace ReviewBot.Analysis.Tests.Robustness;

/// <summary>
/// The engine's cost grows with the file, whatever the file is made of: random mixes of every instruction kind
/// (<see cref="DockerfileMix"/>), thousands of each, near the 4 MiB cap, through everything a file goes through (the
/// analysis, the combined fix applied, the diff printed per fix). What is asserted is allocation, counted on this
/// thread and so deterministic: the 4 MiB file may cost at most a little over 4× its 1 MiB prefix (the same seed
/// writes the same first megabyte), and at most <see cref="MaxBytesPerChar"/> per character. Wall time is asserted
/// only as a gross bound; the figures are tools/ReviewBot.Benchmarks' <c>--scaling</c> run (tools/README.md).
/// Each run draws new seeds; a failure names its seed, and REVIEWBOT_MIX_SEED replays it.
/// </summary>
public class LinearityTests(ITestOutputHelper output)
{
    private const int MiB = 1024 * 1024;

    /// <summary>Just under the parser's cap (<see cref="DockerfileParser.MaxChars"/>): the largest file analyzed.</summary>
    private const int LargeChars = DockerfileParser.MaxChars - 1024;

    private const int SmallChars = LargeChars / 4;

    /// <summary>
    /// Allocation per character of text along the whole path, a ceiling: measured 19-28 bytes on random mixes, 74 on a
    /// file of nothing but short USER lines (each instruction, its users and its expansion cost a few hundred bytes, and
    /// "USER app" is 9 characters). What this catches is far above: 4 MiB of EXPOSE lines allocated 152 bytes a
    /// character, and a non-root image of COPYs 1,400 bytes a character at 1 MiB, more at every size.
    /// </summary>
    private const double MaxBytesPerChar = 100;

    /// <summary>How much more than 4× the 1 MiB prefix's allocation the 4 MiB file may take (the same mix, four times over).</summary>
    private const double Slack = 1.25;

    /// <summary>
    /// A gross bound, not a speed goal: a 4 MiB file takes well under half a second on one core (the benchmark), and a
    /// quadratic shape took tens of seconds. Generous for a shared CI runner.
    /// </summary>
    private static readonly TimeSpan MaxWallTime = TimeSpan.FromSeconds(10);

    [Fact]
    public void Random_mixes_of_every_instruction_kind_cost_in_proportion_to_their_size()
    {
        int seed = Environment.GetEnvironmentVariable("REVIEWBOT_MIX_SEED") is { Length: > 0 } replay
            ? int.Parse(replay, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        Measure(DockerfileMix.Generate(seed, 64 * 1024)); // compiled and warm before anything counts

        for (int round = 0; round < 3; round++)
        {
            var (kinds, nonRoot, what) = Mix(random, round);
            int textSeed = random.Next();
            string where = $"seed {seed} (REVIEWBOT_MIX_SEED={seed}), round {round}: {what}";

            string small = DockerfileMix.Generate(textSeed, SmallChars, kinds, nonRoot);
            string large = DockerfileMix.Generate(textSeed, LargeChars, kinds, nonRoot);
            var (smallBytes, _, smallFixed) = Measure(small);
            var (largeBytes, elapsed, largeFixed) = Measure(large);
            where += $" (a fix applied: {(smallFixed ? "yes" : "no")} at 1 MiB, {(largeFixed ? "yes" : "no")} at 4 MiB)";
            double perChar = (double)largeBytes / large.Length;
            double ratio = (double)largeBytes / smallBytes;
            double sizeRatio = (double)large.Length / small.Length;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{where}: {small.Length / (double)MiB:0.00} MiB {smallBytes / (double)MiB:0.0} MB, {large.Length / (double)MiB:0.00} MiB {largeBytes / (double)MiB:0.0} MB ({perChar:0.0} B/char, ×{ratio:0.00} for ×{sizeRatio:0.00}), {elapsed.TotalMilliseconds:0} ms"));

            Assert.True(large.Length > LargeChars - 4096, $"{where}: the generator wrote {large.Length} characters");
            Assert.True(ratio <= sizeRatio * Slack, $"{where}: ×{ratio:0.00} the allocation for ×{sizeRatio:0.00} the text: not linear");
            Assert.True(perChar <= MaxBytesPerChar, $"{where}: {perChar:0.0} bytes allocated per character (ceiling {MaxBytesPerChar})");
            Assert.True(elapsed < MaxWallTime, $"{where}: {elapsed.TotalSeconds:0.0} s for a 4 MiB file (gross bound {MaxWallTime.TotalSeconds} s)");
        }
    }

    [Theory]
    [InlineData(InstructionKind.Copy, true)]
    [InlineData(InstructionKind.Add, true)]
    [InlineData(InstructionKind.Copy, false)]
    [InlineData(InstructionKind.Expose, false)]
    [InlineData(InstructionKind.User, true)]
    [InlineData(InstructionKind.Run, false)]
    public void A_file_of_one_kind_costs_in_proportion_to_its_size(InstructionKind kind, bool nonRoot)
    {
        // 20,000 COPYs in a non-root image took 1.9 s and 400 MB at 1 MiB, 6 GB at 4 MiB: each COPY was compared with every
        // later one, each working out its WORKDIR from the top. 4 MiB of EXPOSE lines allocated 640 MB (152 bytes a
        // character) and of USER lines 357 MB, writing a message and a fix for each of 100,000s of findings the result
        // leaves out.
        string small = DockerfileMix.Generate(1, SmallChars, [kind], nonRoot);
        string large = DockerfileMix.Generate(1, LargeChars, [kind], nonRoot);
        Measure(small);

        long smallBytes = Measure(small).Bytes;
        long largeBytes = Measure(large).Bytes;

        double ratio = (double)largeBytes / smallBytes;
        Assert.True(ratio <= 4 * Slack, $"{kind}: ×{ratio:0.00} the allocation for ×4 the text");
        Assert.True(largeBytes <= MaxBytesPerChar * large.Length, $"{kind}: {largeBytes / (double)large.Length:0.0} bytes per character");
    }

    public static TheoryData<string> Shapes => [.. DockerfileMix.Shapes.Keys];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_shape_no_mix_writes_costs_in_proportion_to_its_size(string shape)
    {
        // What these shapes cost in time is tools/ReviewBot.Benchmarks' --scaling rows of the same names.
        string small = DockerfileMix.Shapes[shape](SmallChars);
        string large = DockerfileMix.Shapes[shape](LargeChars);
        Measure(small);

        long smallBytes = Measure(small).Bytes;
        var (largeBytes, elapsed, _) = Measure(large);

        double perChar = (double)largeBytes / large.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{shape}: {smallBytes / (double)MiB:0.0} MB, {largeBytes / (double)MiB:0.0} MB, {perChar:0.0} B/char, {elapsed.TotalMilliseconds:0} ms"));
        Assert.True(largeBytes <= 4 * Slack * smallBytes, $"{shape}: ×{(double)largeBytes / smallBytes:0.00} the allocation for ×4 the text");
        Assert.True(perChar <= MaxBytesPerChar, $"{shape}: {perChar:0.0} bytes per character (ceiling {MaxBytesPerChar})");
        // A quadratic search allocates nothing: a RUN of 150,000 useradds took a minute and a half.
        Assert.True(elapsed < MaxWallTime, $"{shape}: {elapsed.TotalSeconds:0.0} s for a 4 MiB file (gross bound {MaxWallTime.TotalSeconds} s)");
    }

    /// <summary>
    /// Round 0: every kind alike. Round 1: random weights. Round 2: one kind most of the file (the shapes that hid
    /// behind a mix: 20,000 COPYs), in a root or non-root image.
    /// </summary>
    private static (IReadOnlyList<InstructionKind> Kinds, bool NonRoot, string What) Mix(Random random, int round)
    {
        bool nonRoot = random.Next(2) == 0;
        var kinds = new List<InstructionKind>();
        string what = round switch { 0 => "every kind alike", 1 => "random weights", _ => "" };
        var dominant = DockerfileMix.Kinds[random.Next(DockerfileMix.Kinds.Count)];
        foreach (var kind in DockerfileMix.Kinds)
        {
            int weight = round switch { 0 => 1, 1 => random.Next(1, 6), _ => kind == dominant ? 60 : 1 };
            kinds.AddRange(Enumerable.Repeat(kind, weight));
        }

        if (round >= 2)
        {
            what = $"mostly {dominant}";
        }

        return (kinds, nonRoot, what + (nonRoot ? ", non-root" : ", root"));
    }

    /// <summary>
    /// Bytes this thread allocates for the text's analysis, its combined fix applied, and each fix's diff. Whether a fix
    /// is applied depends on how the file ends (a last stage that runs as root has one), so a file and its prefix may
    /// differ by one copy of the text (<see cref="FixApplier.Apply"/>): within <see cref="Slack"/>.
    /// </summary>
    private static (long Bytes, TimeSpan Elapsed, bool Fixed) Measure(string text)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var result = DockerfileAnalyzer.Analyze(text);
        var edits = FixApplier.Combine(result.Findings.Select(f => f.Fix).OfType<Fix>());
        if (!edits.IsEmpty)
        {
            FixApplier.Apply(text, edits);
        }

        var lines = UnifiedDiff.Lines(text);
        foreach (var finding in result.Findings)
        {
            if (finding.Fix is { Edits.IsEmpty: false } fix)
            {
                UnifiedDiff.Create("Dockerfile", lines, fix.Edits);
            }
        }

        var elapsed = watch.Elapsed;
        return (GC.GetAllocatedBytesForCurrentThread() - before, elapsed, !edits.IsEmpty);
    }
}
