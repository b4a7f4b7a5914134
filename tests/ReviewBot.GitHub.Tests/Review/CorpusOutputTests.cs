using ReviewBot.Analysis;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Tests.Review;

/// <summary>The real Dockerfiles of ../shared/corpus, each reviewed as a new file and as one outside the diff.</summary>
public class CorpusOutputTests
{
    [CorpusFact]
    public void Every_review_of_the_corpus_renders_nothing_from_it_and_fits_GitHub()
    {
        int files = 0, bodies = 0;
        foreach (var file in SharedCorpus.Files())
        {
            var text = File.ReadAllText(file);
            var path = Path.GetRelativePath(SharedCorpus.Directory!, file).Replace('\\', '/');
            var result = DockerfileAnalyzer.Analyze(text);
            var lines = text.TrimEnd('\n').Split('\n');
            var patch = $"@@ -0,0 +1,{lines.Length} @@\n" + string.Concat(lines.Select(l => "+" + l + "\n"));
            files++;
            foreach (var reviewed in new[] { new ReviewFile(path, text, result, patch), new ReviewFile(path, text, result, null) })
            {
                var plan = ReviewPlanner.Plan([reviewed], new ReviewPlanOptions());
                string[] markdowns = [plan.Body, .. plan.Comments.Select(c => c.Body), .. plan.FileComments.Select(f => f.Body)];
                foreach (var markdown in markdowns)
                {
                    Assert.InRange(markdown.Length, 1, GitHubLimits.BodyLength);
                    MarkdownChecker.AssertSafe(markdown);
                    bodies++;
                }

                Assert.InRange(plan.Check.Summary.Length, 1, GitHubLimits.CheckRunSummaryLength);
                MarkdownChecker.AssertSafe(plan.Check.Summary);
                Assert.All(plan.Comments, c => Assert.Equal([c.Fingerprint], Fingerprint.Parse(c.Body)));
                Assert.All(plan.FileComments, f => Assert.Equal(f.Fingerprints, Fingerprint.Parse(f.Body)));
            }
        }

        Assert.True(files > 1000, $"only {files} corpus files");
        Assert.True(bodies > files, $"only {bodies} bodies");
    }
}
