using System.Text.RegularExpressions;
using ReviewBot.Analysis.Images;
using Xunit.Abstractions;

namespace ReviewBot.Analysis.Tests.Images;

public partial class CorpusImageTests(ITestOutputHelper output)
{
    /// <summary>A FROM line: optional flags, the image, and an optional stage name. Enough for a survey; the real parser lives elsewhere.</summary>
    [GeneratedRegex(@"^\s*FROM\s+(?:--\S+\s+)*(?<image>\S+)(?:\s+AS\s+(?<stage>\S+))?", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [CorpusFact]
    public void Every_corpus_base_image_looks_up_without_throwing_and_most_are_known()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int total = 0, known = 0, guessed = 0, unresolved = 0;
        foreach (var file in Directory.EnumerateFiles(SharedCorpus.Directory!, "*", SearchOption.AllDirectories))
        {
            var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in File.ReadLines(file))
            {
                var match = FromLine().Match(line);
                if (!match.Success)
                {
                    continue;
                }

                var image = match.Groups["image"].Value;
                if (match.Groups["stage"].Success)
                {
                    stages.Add(match.Groups["stage"].Value);
                }

                if (stages.Contains(image) && !match.Groups["stage"].Value.Equals(image, StringComparison.OrdinalIgnoreCase))
                {
                    continue; // an earlier stage, not an image
                }

                var info = ImageKnowledge.Lookup(image);
                total++;
                if (info.IsKnown)
                {
                    known++;
                }
                else if (info.IsGuessed)
                {
                    guessed++;
                }
                else if (info.Source == BaseImageInfo.UnresolvedSource)
                {
                    unresolved++;
                }
                else
                {
                    counts[image] = counts.GetValueOrDefault(image) + 1;
                }
            }
        }

        output.WriteLine($"{total} FROM images: {known} known, {guessed} guessed, {unresolved} unresolvable, {total - known - guessed - unresolved} unknown.");
        output.WriteLine("Most common unknown images:");
        foreach (var (image, count) in counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(30))
        {
            output.WriteLine($"{count,5}  {image}");
        }

        Assert.True(total > 1000, $"expected the corpus to hold over 1000 FROM lines, found {total}");
        // Everything that names a real public image should be known or guessed; what is left is stage names the
        // simple regex cannot tell apart and template placeholders. Keep that share small.
        Assert.True(known + guessed >= 0.9 * (total - unresolved), $"only {known + guessed} of {total - unresolved} resolvable images are known or guessed");
    }
}
