using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Cli.Output;

namespace ReviewBot.Cli.Tests;

public class UnifiedDiffTests
{
    private const string Text = "FROM debian\nRUN a\nRUN b\nRUN c\nRUN d\nRUN e\nRUN f\nRUN g\nRUN h\nRUN i\nCMD x\n";

    [Fact]
    public void An_insertion_gets_context_and_correct_hunk_header()
    {
        var diff = UnifiedDiff.ToText(UnifiedDiff.Create("Dockerfile", Text, [new TextEdit(11, 10, "USER app\n")]));

        Assert.Equal("""
            --- a/Dockerfile
            +++ b/Dockerfile
            @@ -8,4 +8,5 @@
             RUN g
             RUN h
             RUN i
            +USER app
             CMD x

            """.Replace("\r\n", "\n"), diff);
    }

    [Fact]
    public void Far_apart_edits_make_two_hunks_with_shifted_new_line_numbers()
    {
        var diff = UnifiedDiff.Create("D", Text, [new TextEdit(2, 1, "RUN new1\nRUN new2\n"), new TextEdit(10, 10, "RUN I\n")]);

        var headers = diff.Where(l => l.Kind == '@').Select(l => l.Text).ToList();
        Assert.Equal(["@@ -1,4 +1,6 @@", "@@ -7,5 +9,5 @@"], headers);
    }

    [Fact]
    public void Applying_the_diff_gives_what_the_fix_applier_gives()
    {
        TextEdit[] edits = [new(1, 1, "FROM debian:bookworm\n"), new(4, 5, ""), new(11, 10, "USER app\n")];
        var diff = UnifiedDiff.Create("D", Text, edits);

        // Rebuild the new file from the diff's context and '+' lines and the untouched lines outside hunks.
        var expected = FixApplier.Apply(Text, edits);
        var oldLines = Text.Split('\n')[..^1];
        var rebuilt = new List<string>();
        int next = 1;
        foreach (var line in diff.Where(l => l.Kind != 'h'))
        {
            if (line.Kind == '@')
            {
                int start = int.Parse(line.Text.Split(' ')[1].TrimStart('-').Split(',')[0]);
                for (; next < start; next++)
                {
                    rebuilt.Add(oldLines[next - 1]);
                }
            }
            else if (line.Kind == ' ')
            {
                rebuilt.Add(line.Text);
                next++;
            }
            else if (line.Kind == '-')
            {
                next++;
            }
            else
            {
                rebuilt.Add(line.Text);
            }
        }

        for (; next <= oldLines.Length; next++)
        {
            rebuilt.Add(oldLines[next - 1]);
        }

        Assert.Equal(expected, string.Join('\n', rebuilt) + "\n");
    }

    [Fact]
    public void Crlf_text_shows_without_carriage_returns()
    {
        var diff = UnifiedDiff.Create("D", "FROM a\r\nCMD b\r\n", [new TextEdit(2, 1, "USER u\r\n")]);

        Assert.DoesNotContain(diff, l => l.Text.Contains('\r'));
        Assert.Contains(diff, l => l is { Kind: '+', Text: "USER u" });
    }
}
