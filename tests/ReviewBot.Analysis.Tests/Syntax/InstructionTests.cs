using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Tests.Syntax;

/// <summary>An instruction keeps its rare parts apart: set through <c>with</c>, they change the copy and never the original.</summary>
public class InstructionTests
{
    private static Instruction Parse(string line) => DockerfileDocument.Parse("FROM alpine\n" + line + "\n").Instructions[1];

    [Fact]
    public void A_part_set_on_a_copy_leaves_the_original_as_it_was()
    {
        var original = Parse("  COPY --chown=app:app . /app");
        var copy = original with { Indent = "\t", Flags = [new InstructionFlag("from", "build")] };

        Assert.Equal("  ", original.Indent);
        Assert.Equal("chown", Assert.Single(original.Flags).Name);
        Assert.Equal("\t", copy.Indent);
        Assert.Equal("from", Assert.Single(copy.Flags).Name);
        Assert.Equal(original.Arguments, copy.Arguments);
    }

    [Fact]
    public void Instructions_are_equal_by_their_parts()
    {
        var cmd = Parse("CMD [\"run\"]");
        Assert.Equal(cmd, cmd with { JsonArguments = cmd.JsonArguments });
        Assert.NotEqual(cmd, cmd with { IsJsonForm = false });
        Assert.Equal(Parse("USER app"), Parse("USER app") with { Indent = "" });
        Assert.NotEqual(Parse("USER app"), Parse("USER app") with { Indent = " " });
    }

    [Fact]
    public void An_instruction_without_rare_parts_reads_them_as_empty()
    {
        var user = Parse("USER app");
        var made = new Instruction { Keyword = "USER", StartLine = 2, EndLine = 2, Arguments = "app", Flags = default, Heredocs = default };

        Assert.Equal("", user.Indent);
        Assert.True(user.Flags.IsEmpty);
        Assert.False(user.IsJsonForm);
        Assert.True(user.JsonArguments.IsEmpty);
        Assert.True(user.Heredocs.IsEmpty);
        Assert.Null(user.OnBuild);
        Assert.Equal(user, made);
        Assert.Empty(made.Flags);
    }

    [Fact]
    public void Rare_parts_come_through_the_parser()
    {
        var onbuild = Parse("ONBUILD COPY --from=x a /b");
        var heredoc = DockerfileDocument.Parse("FROM alpine\nRUN <<EOF\necho\nEOF\n").Instructions[1];

        Assert.Equal("x", onbuild.OnBuild!.GetFlag("from"));
        Assert.Equal("EOF", Assert.Single(heredoc.Heredocs).Delimiter);
        Assert.Equal(["a", "b"], Parse("ENTRYPOINT [\"a\", \"b\"]").JsonArguments.ToArray());
    }
}
