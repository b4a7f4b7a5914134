using System.Text;
using Xunit.Abstractions;

namespace ReviewBot.Analysis.Tests.Robustness;

/// <summary>
/// Seeded fuzzing, small enough for CI: random bytes, and corpus files made hostile (deep nesting, huge repetition,
/// giant lines, ENV doubling, unterminated heredocs, many stages, stage cycles). Each must be analyzed without an
/// exception, within <see cref="Bounds.MaxAllocatedBytes"/>, with fixes that apply. A failure names its seed.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261201;

    /// <summary>Corpus files mutated per run: a fixed, spread-out sample keeps the suite near a minute on CI.</summary>
    private const int CorpusSample = 12;

    private const string Alphabet = "FROMUSERNVARGEXPOSTCHWNDLY ${}:-+?\\\n\t#=\"'<`&|;0123456789/";

    private static readonly Func<Random, string, string>[] Mutations =
    [
        NestDeeply,
        RepeatLines,
        GiantLine,
        DoubleEnv,
        UnterminatedHeredoc,
        ManyStages,
        StageCycle,
        SpliceRandomBytes,
    ];

    [Fact]
    public void Random_bytes_never_break_the_engine()
    {
        var random = new Random(Seed);
        for (int round = 0; round < 200; round++)
        {
            int length = random.Next(0, round % 20 == 0 ? 200_000 : 2_000);
            var chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                // Mostly Dockerfile-ish characters, so the parser gets past the first line.
                chars[i] = random.Next(4) == 0 ? (char)random.Next(1, 0xD7FF) : Alphabet[random.Next(Alphabet.Length)];
            }

            Check(new string(chars), $"random text, seed {Seed}, round {round}");
        }
    }

    [Fact]
    public void Mutated_corpus_files_never_break_the_engine()
    {
        var files = SharedCorpus.Files().ToList();
        if (files.Count == 0)
        {
            output.WriteLine(SharedCorpus.AbsentMessage);
            return;
        }

        var random = new Random(Seed);
        int step = Math.Max(1, files.Count / CorpusSample);
        for (int f = 0; f < files.Count; f += step)
        {
            string original = File.ReadAllText(files[f]);
            foreach (var mutate in Mutations)
            {
                Check(mutate(random, original), $"{Path.GetFileName(files[f])} {mutate.Method.Name}, seed {Seed}");
            }
        }
    }

    private void Check(string text, string what)
    {
        try
        {
            var result = Bounds.Analyze(text, what);
            Assert.All(result.Omitted, o => Assert.True(o.Count > 0));
        }
        catch (Exception)
        {
            output.WriteLine($"failed: {what}");
            throw;
        }
    }

    private static List<string> Lines(string text) => [.. text.Split('\n')];

    private static string NestDeeply(Random random, string text)
    {
        int depth = random.Next(1_000, 20_000);
        var lines = Lines(text);
        string word = new StringBuilder().Insert(0, "${X:-", depth).Append("0").Append('}', depth).ToString();
        lines.Insert(random.Next(lines.Count + 1), random.Next(2) == 0 ? $"USER {word}" : $"RUN echo {word}");
        return string.Join('\n', lines);
    }

    private static string RepeatLines(Random random, string text)
    {
        var lines = Lines(text);
        string line = lines[random.Next(lines.Count)];
        int times = Math.Min(50_000, 1_000_000 / Math.Max(1, line.Length + 1));
        lines.InsertRange(random.Next(lines.Count + 1), Enumerable.Repeat(line, times));
        return string.Join('\n', lines);
    }

    private static string GiantLine(Random random, string text)
    {
        var lines = Lines(text);
        int at = random.Next(lines.Count);
        lines[at] += new string((char)random.Next('a', 'z' + 1), random.Next(100_000, 1_000_000));
        return string.Join('\n', lines);
    }

    private static string DoubleEnv(Random random, string text) =>
        text + "\nENV D=x\n" + string.Concat(Enumerable.Repeat("ENV D=$D$D$D$D\n", random.Next(10, 60))) + "USER $D\n";

    private static string UnterminatedHeredoc(Random random, string text) =>
        text + "\nRUN <<EOF" + random.Next(100) + "\n" + string.Concat(Enumerable.Repeat("useradd -u 0 x\n", random.Next(1, 10_000)));

    private static string ManyStages(Random random, string text)
    {
        var builder = new StringBuilder(text).Append('\n');
        int count = random.Next(100, 5_000);
        for (int i = 0; i < count; i++)
        {
            builder.Append("FROM ").Append(i == 0 ? "debian" : "s" + random.Next(i)).Append(" AS s").Append(i).Append('\n');
        }

        return builder.ToString();
    }

    private static string StageCycle(Random random, string text) =>
        "FROM b AS a\nFROM a AS b\n" + text + "\nFROM a\nFROM b AS a\n";

    private static string SpliceRandomBytes(Random random, string text)
    {
        var chars = text.ToCharArray();
        for (int i = 0; i < Math.Min(50, chars.Length); i++)
        {
            chars[random.Next(chars.Length)] = (char)random.Next(1, 0x7F);
        }

        return new string(chars);
    }
}
