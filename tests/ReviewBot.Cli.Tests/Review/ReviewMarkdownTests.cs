using ReviewBot.Analysis;
using ReviewBot.Cli.Review;
using ReviewBot.GitHub.Review;

namespace ReviewBot.Cli.Tests.Review;

public class ReviewMarkdownTests
{
    [Fact]
    public void Paths_and_ref_names_from_the_pull_request_are_headed_as_code()
    {
        const string Text = "FROM debian\nCMD x\n";
        const string Path = "svc/@octocat/<img src=x>/Dockerfile";
        var finding = Rules.Finding(Rules.Rb001, 2, 2, "root", new TextEdit(2, 1, "USER app\n"));
        var inline = new ReviewFile(Path, Text, Rules.Result(Text, finding), "@@ -0,0 +1,2 @@\n+FROM debian\n+CMD x\n");
        var fileLevel = new ReviewFile("Dockerfile", Text, Rules.Result(Text, finding), null);
        var plan = ReviewPlanner.Plan([inline, fileLevel], new ReviewPlanOptions());
        var output = new StringWriter();

        ReviewMarkdown.Write(plan, new ReviewRange("a", "@octocat/main", "b", "[x](http://evil.example)"), output);

        var lines = output.ToString().Split('\n');
        Assert.Equal("# ReviewBot review of `[x](http://evil.example)` against `@octocat/main`", lines[0]);
        Assert.Contains("### `svc/@octocat/<img src=x>/Dockerfile`:1", lines);
        Assert.Contains("### Dockerfile", lines); // a plain name stays plain
    }
}
