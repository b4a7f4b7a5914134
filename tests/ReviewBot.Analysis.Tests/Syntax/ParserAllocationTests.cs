using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Tests.Syntax;

/// <summary>
/// What parsing allocates, as a multiple of the text's own size (counted on this thread, after a warm-up parse).
/// The document keeps the text once (each instruction's arguments; its lines are read in place and made into strings
/// only when asked for); anything far beyond is waste that every file of a scan pays for.
/// </summary>
public class ParserAllocationTests
{
    private static long AllocatedParsing(string text)
    {
        DockerfileDocument.Parse(text);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var document = DockerfileDocument.Parse(text);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.NotEmpty(document.Instructions);
        return allocated;
    }

    [Fact]
    public void A_long_continued_instruction_is_not_copied_again_and_again()
    {
        // Was 5.6× (the joined line in a StringBuilder, its string, the trimmed rest, then Arguments), then 2.4× (a
        // string per line as well).
        var text = "FROM debian\nRUN " + string.Concat(Enumerable.Range(0, 2000).Select(i => $"apt-get install -y package{i} && \\\n")) + "true\n";

        long allocated = AllocatedParsing(text);

        Assert.True(allocated < 1.5 * text.Length * sizeof(char), $"{allocated:N0} bytes for {text.Length * sizeof(char):N0} bytes of text");
    }

    [Fact]
    public void One_line_instructions_with_flags_are_read_in_place()
    {
        // Was 13.8× (the logical line, the rest after the keyword, the rest after each flag, an upper-cased keyword).
        // Then 4.9× with a string per line. What stays: Arguments, the flag objects and values, the instructions (~3.7×).
        var text = "FROM debian\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"copy --chown=app:app --chmod=644 --link src/file{i}.txt /app/data/file{i}.txt\n"));

        long allocated = AllocatedParsing(text);

        Assert.True(allocated < 4.2 * text.Length * sizeof(char), $"{allocated:N0} bytes for {text.Length * sizeof(char):N0} bytes of text");
    }

    [Fact]
    public void Comments_are_not_copied()
    {
        // A quarter of the corpus is comments; each was a string of its own (with the instructions' Arguments, ~1.1×
        // here). Now only where each one is (a few bytes per comment) until someone asks for Comments.
        var text = "FROM debian\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"# Comment number {i}: why the next step installs what it installs, at some length.\n")) + "RUN true\n";

        long allocated = AllocatedParsing(text);

        Assert.True(allocated < 0.3 * text.Length * sizeof(char), $"{allocated:N0} bytes for {text.Length * sizeof(char):N0} bytes of text");
    }

    [Fact]
    public void The_lists_of_instructions_and_comments_are_made_once_at_their_size()
    {
        // Was ~20 bytes a line: each file's lists grew by doubling (every smaller array allocated and cleared on the
        // way) and were then copied. Then ~12: the line table (8 a line) and the comment lines (4 a line), once. Now ~8:
        // the line table keeps where each line starts, not its end as well.
        const int Lines = 4000;
        var text = "FROM debian\n" + string.Concat(Enumerable.Range(0, Lines).Select(_ => "#\n")) + "RUN true\n";

        long allocated = AllocatedParsing(text);

        Assert.True(allocated < 10 * Lines, $"{allocated:N0} bytes for {Lines:N0} lines");
    }
}
