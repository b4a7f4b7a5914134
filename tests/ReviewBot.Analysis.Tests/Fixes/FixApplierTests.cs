using System.Text;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Tests.Fixes;

public class FixApplierTests
{
    [Fact]
    public void Edits_are_applied_as_line_by_line_rewriting_would_apply_them()
    {
        // Every line ending, a last line with or without one, empty lines, and edits of every kind: the result is what
        // copying the untouched lines and writing each edit in their place gives.
        for (int seed = 0; seed < 2_000; seed++)
        {
            var random = new Random(seed);
            string text = RandomText(random);
            var lines = LineTable.Split(text);
            var edits = RandomEdits(random, lines.Count);

            Assert.Equal(Rewrite(text, lines, edits), FixApplier.Apply(text, edits));
        }
    }

    [Fact]
    public void An_insertion_after_a_last_line_without_an_ending_starts_a_line_of_its_own()
    {
        Assert.Equal("FROM a\nUSER app\n", FixApplier.Apply("FROM a", [new TextEdit(2, 1, "USER app\n")]));
        Assert.Equal("RUN a\r\nFROM b\r\nUSER app\n", FixApplier.Apply("RUN a\r\nFROM b", [new TextEdit(3, 2, "USER app\n")]));
    }

    [Fact]
    public void An_edit_outside_the_text_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FixApplier.Apply("FROM a\n", [new TextEdit(2, 2, "USER app\n")]));
        Assert.Throws<ArgumentException>(() => FixApplier.Apply("FROM a\nRUN b\n", [new TextEdit(1, 2, "x\n"), new TextEdit(2, 2, "y\n")]));
    }

    [Fact]
    public void Fixing_a_large_file_copies_it_once()
    {
        // The one fix a root image gets, at the end of a 4 MiB file: splitting the text into a string a line and building
        // the result up copied it three times over (7 bytes a character), as much again as a file with no fix to apply
        // cost to analyze, so whether the last stage ran as root decided whether a file looked linear.
        string text = DockerfileMix.Generate(7919, DockerfileParser.MaxChars - 1024, [InstructionKind.Run]);
        int end = LineTable.Split(text).Count + 1;
        var edits = new[] { new TextEdit(end, end - 1, "USER app\n") };
        FixApplier.Apply(text, edits);

        long before = GC.GetAllocatedBytesForCurrentThread();
        string fixedText = FixApplier.Apply(text, edits);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.EndsWith("USER app\n", fixedText, StringComparison.Ordinal);
        Assert.True(allocated < 3L * text.Length, $"{allocated / (double)text.Length:0.0} bytes a character to apply one edit");
    }

    private static string RandomText(Random random)
    {
        string[] endings = ["\n", "\r\n", "\r"];
        var b = new StringBuilder();
        int count = random.Next(0, 8);
        for (int i = 0; i < count; i++)
        {
            b.Append(random.Next(3) == 0 ? "" : $"L{i}");
            if (i < count - 1 || random.Next(2) == 0)
            {
                b.Append(endings[random.Next(endings.Length)]);
            }
        }

        return b.ToString();
    }

    /// <summary>Non-overlapping replacements, deletions and insertions (several at one point, too), in random order.</summary>
    private static List<TextEdit> RandomEdits(Random random, int lineCount)
    {
        var edits = new List<TextEdit>();
        int line = 1;
        while (line <= lineCount + 1 && edits.Count < 5)
        {
            line += random.Next(0, 3);
            if (line > lineCount + 1)
            {
                break;
            }

            string newText = random.Next(4) switch { 0 => "", 1 => "N\n", 2 => "N1\nN2\n", _ => "N\r\n" };
            if (random.Next(2) == 0 || line > lineCount)
            {
                edits.Add(new TextEdit(line, line - 1, newText.Length == 0 ? "I\n" : newText));
            }
            else
            {
                int end = Math.Min(lineCount, line + random.Next(0, 2));
                edits.Add(new TextEdit(line, end, newText));
                line = end + 1;
            }
        }

        return [.. edits.OrderBy(_ => random.Next())];
    }

    /// <summary>The plain way: copy each untouched line, write each edit where it starts.</summary>
    private static string Rewrite(string text, List<string> lines, List<TextEdit> edits)
    {
        // Insertions at one point keep their given order.
        var ordered = edits.Select((e, i) => (e, i)).OrderBy(x => x.e.StartLine).ThenBy(x => x.e.IsInsertion ? 0 : 1).ThenBy(x => x.i).Select(x => x.e);
        var b = new StringBuilder();
        int next = 1;
        foreach (var edit in ordered)
        {
            for (; next < edit.StartLine; next++)
            {
                b.Append(lines[next - 1]);
            }

            if (edit.NewText.Length > 0 && b.Length > 0 && b[^1] is not ('\n' or '\r'))
            {
                b.Append(LineTable.DetectNewLine(text));
            }

            b.Append(edit.NewText);
            next = Math.Max(next, edit.EndLine + 1);
        }

        for (; next <= lines.Count; next++)
        {
            b.Append(lines[next - 1]);
        }

        return b.ToString();
    }
}
