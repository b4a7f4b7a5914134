using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Tests.Syntax;

public class DockerfileParserTests
{
    private static DockerfileDocument Parse(string text) => DockerfileDocument.Parse(text);

    [Fact]
    public void Instructions_keep_exact_start_and_end_lines()
    {
        var doc = Parse("FROM debian\n\nRUN apt-get update \\\n    && apt-get install -y curl\nUSER app\n");
        Assert.Collection(doc.Instructions,
            i => Assert.Equal((1, 1), (i.StartLine, i.EndLine)),
            i => Assert.Equal((3, 4), (i.StartLine, i.EndLine)),
            i => Assert.Equal((5, 5), (i.StartLine, i.EndLine)));
        Assert.Equal("apt-get update     && apt-get install -y curl", doc.Instructions[1].Arguments);
    }

    [Fact]
    public void Keywords_in_any_case_and_with_leading_whitespace()
    {
        var doc = Parse("from alpine\n   run echo hi\n\tUsEr nobody\n");
        Assert.Equal(["FROM", "RUN", "USER"], doc.Instructions.Select(i => i.Keyword));
        Assert.Equal("   ", doc.Instructions[1].Indent);
        Assert.Empty(doc.Diagnostics);
    }

    [Fact]
    public void Comments_and_blank_lines_inside_a_continuation_are_dropped()
    {
        var doc = Parse("FROM debian\nRUN apt-get update \\\n# a comment\n\n  && apt-get install -y curl\nCMD x\n");
        var run = doc.Instructions[1];
        Assert.Equal((2, 5), (run.StartLine, run.EndLine));
        Assert.Equal("apt-get update   && apt-get install -y curl", run.Arguments);
        Assert.Equal(3, doc.Instructions.Length);
    }

    [Fact]
    public void Trailing_whitespace_after_the_escape_character_still_continues()
    {
        var doc = Parse("FROM debian\nRUN a \\  \n  b\n");
        Assert.Equal((2, 3), (doc.Instructions[1].StartLine, doc.Instructions[1].EndLine));
    }

    [Fact]
    public void Backtick_escape_directive_changes_the_continuation_character()
    {
        var doc = Parse("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\ `\n  && echo done\nUSER ContainerUser\n");
        Assert.Equal('`', doc.EscapeChar);
        Assert.Equal((3, 4), (doc.Instructions[1].StartLine, doc.Instructions[1].EndLine));
        Assert.Equal("dir C:\\   && echo done", doc.Instructions[1].Arguments);
    }

    [Fact]
    public void Directives_count_only_at_the_top()
    {
        var doc = Parse("# syntax=docker/dockerfile:1.7\n# escape=`\nFROM x\n# escape=\\\nRUN a `\n b\n");
        Assert.Equal(["syntax", "escape"], doc.Directives.Select(d => d.Name));
        Assert.Equal('`', doc.EscapeChar);

        var late = Parse("FROM x\n# escape=`\nRUN a \\\n b\n");
        Assert.Empty(late.Directives);
        Assert.Equal('\\', late.EscapeChar);
    }

    [Fact]
    public void A_comment_before_a_directive_ends_the_directives()
    {
        var doc = Parse("# hello\n# escape=`\nFROM x\n");
        Assert.Empty(doc.Directives);
        Assert.Equal('\\', doc.EscapeChar);
    }

    [Fact]
    public void Heredoc_bodies_are_data_not_instructions()
    {
        var doc = Parse("FROM debian\nRUN <<EOF\nUSER root\napt-get update\nEOF\nUSER app\n");
        Assert.Equal(["FROM", "RUN", "USER"], doc.Instructions.Select(i => i.Keyword));
        var run = doc.Instructions[1];
        Assert.Equal((2, 5), (run.StartLine, run.EndLine));
        var heredoc = Assert.Single(run.Heredocs);
        Assert.Equal("USER root\napt-get update", heredoc.Body);
        Assert.Equal((3, 5), (heredoc.StartLine, heredoc.EndLine));
    }

    [Fact]
    public void Several_heredocs_on_one_line_quoted_and_tab_stripped()
    {
        var doc = Parse("FROM alpine\nCOPY <<-\"A\" /a <<'B' /b\n\tone\n\tA\ntwo\nB\nCMD x\n");
        var copy = doc.Instructions[1];
        Assert.Equal(2, copy.Heredocs.Length);
        Assert.True(copy.Heredocs[0].StripTabs);
        Assert.True(copy.Heredocs[0].Quoted);
        Assert.Equal("one", copy.Heredocs[0].Body);
        Assert.Equal("B", copy.Heredocs[1].Delimiter);
        Assert.Equal("two", copy.Heredocs[1].Body);
        Assert.Equal(6, copy.EndLine);
        Assert.Equal("CMD", doc.Instructions[2].Keyword);
    }

    [Fact]
    public void Here_strings_and_quoted_markers_are_not_heredocs()
    {
        var doc = Parse("FROM alpine\nRUN cat <<<hello && echo '<<EOF'\nUSER app\n");
        Assert.Empty(doc.Instructions[1].Heredocs);
        Assert.Equal(3, doc.Instructions.Length);
    }

    [Fact]
    public void Unterminated_heredoc_is_a_diagnostic_not_an_exception()
    {
        var doc = Parse("FROM alpine\nRUN <<EOF\necho hi\nUSER root\n");
        Assert.Equal(2, doc.Instructions.Length);
        Assert.Contains(doc.Diagnostics, d => d.Message.Contains("never terminated"));
        Assert.Equal(4, doc.Instructions[1].EndLine);
    }

    [Fact]
    public void Json_and_shell_forms()
    {
        var doc = Parse("FROM x\nCMD [\"node\", \"server.js\"]\nENTRYPOINT node server.js\nRUN [not json\n");
        Assert.True(doc.Instructions[1].IsJsonForm);
        Assert.Equal(["node", "server.js"], doc.Instructions[1].JsonArguments.ToArray());
        Assert.False(doc.Instructions[2].IsJsonForm);
        Assert.False(doc.Instructions[3].IsJsonForm);
    }

    [Fact]
    public void Flags_are_read_before_the_arguments()
    {
        var doc = Parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM scratch\nCOPY --from=build --chown=app:app --chmod=755 /out/app /app\n");
        Assert.Equal("$BUILDPLATFORM", doc.Instructions[0].GetFlag("platform"));
        Assert.Equal("golang:1.22 AS build", doc.Instructions[0].Arguments);
        var copy = doc.Instructions[2];
        Assert.Equal("build", copy.GetFlag("from"));
        Assert.Equal("app:app", copy.GetFlag("chown"));
        Assert.Equal("755", copy.GetFlag("chmod"));
        Assert.Equal("/out/app /app", copy.Arguments);
        Assert.Null(copy.GetFlag("link"));
    }

    [Fact]
    public void Crlf_and_bom_are_handled_and_remembered()
    {
        var doc = Parse("\uFEFFFROM debian\r\nUSER app\r\n");
        Assert.True(doc.HasBom);
        Assert.Equal("\r\n", doc.NewLine);
        Assert.Equal(["FROM", "USER"], doc.Instructions.Select(i => i.Keyword));
        Assert.Equal("debian", doc.Instructions[0].Arguments);
        Assert.Equal("FROM debian", doc.Line(1));
    }

    [Fact]
    public void Onbuild_carries_an_inner_instruction()
    {
        var doc = Parse("FROM x\nONBUILD USER root\n");
        var onbuild = doc.Instructions[1];
        Assert.Equal("ONBUILD", onbuild.Keyword);
        Assert.Equal("USER", onbuild.OnBuild!.Keyword);
        Assert.Equal("root", onbuild.OnBuild.Arguments);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n\n", "empty")]
    [InlineData("FROM x\0\u0001", "binary")]
    public void Unreadable_input_gives_a_diagnostic(string text, string expected)
    {
        var doc = Parse(text);
        Assert.Empty(doc.Instructions);
        Assert.Contains(doc.Diagnostics, d => d.Message.Contains(expected));
    }

    [Fact]
    public void Oversized_input_gives_a_diagnostic()
    {
        var doc = Parse("FROM x\n" + new string('#', 10 * 1024 * 1024));
        Assert.Empty(doc.Instructions);
        Assert.Contains(doc.Diagnostics, d => d.Message.Contains("too large"));
    }

    [Fact]
    public void Hundred_thousand_continuation_lines_parse()
    {
        var text = "FROM debian\nRUN true" + string.Concat(Enumerable.Repeat(" \\\n && true", 100_000)) + "\nUSER app\n";
        var doc = Parse(text);
        Assert.Equal(3, doc.Instructions.Length);
        Assert.Equal(100_002, doc.Instructions[1].EndLine);
        Assert.Equal(100_003, doc.Instructions[2].StartLine);
    }

    [Fact]
    public void Garbage_lines_are_diagnostics_and_the_rest_is_still_read()
    {
        var doc = Parse("FROM debian\n}}} not an instruction\nFROBNICATE x\nUSER app\n");
        Assert.Equal(["FROM", "FROBNICATE", "USER"], doc.Instructions.Select(i => i.Keyword));
        Assert.Contains(doc.Diagnostics, d => d.Line == 2);
        Assert.Contains(doc.Diagnostics, d => d.Line == 3 && d.Message.Contains("Unknown instruction"));
    }

    [Fact]
    public void Continuation_at_end_of_file_is_a_diagnostic()
    {
        var doc = Parse("FROM debian\nRUN echo \\\n");
        Assert.Equal(2, doc.Instructions.Length);
        Assert.Contains(doc.Diagnostics, d => d.Message.Contains("continuation"));
    }

    [Fact]
    public void Instruction_before_from_is_a_diagnostic_but_global_arg_is_not()
    {
        Assert.Empty(Parse("ARG V=1\nFROM debian:$V\n").Diagnostics);
        Assert.Contains(Parse("RUN x\nFROM debian\n").Diagnostics, d => d.Message.Contains("before the first FROM"));
    }

    [Fact]
    public void A_files_diagnostics_and_directives_are_its_own()
    {
        // The parser reuses its lists from file to file on a thread: nothing may carry over.
        var first = Parse("# syntax=docker/dockerfile:1\n# syntax=again\nRUN x\n");
        Assert.Equal(["syntax"], first.Directives.Select(d => d.Name));
        Assert.Contains(first.Diagnostics, d => d.Message.Contains("appears twice"));
        Assert.Contains(first.Diagnostics, d => d.Message.Contains("No FROM"));

        var second = Parse("FROM debian\nUSER app\n");
        Assert.Empty(second.Directives);
        Assert.Empty(second.Diagnostics);
        Assert.Equal(2, first.Diagnostics.Length);
    }

    [Fact]
    public void Comments_are_kept_for_pragmas()
    {
        var doc = Parse("FROM x\n  # hadolint ignore=DL3002\nUSER root\n");
        var comment = Assert.Single(doc.Comments);
        Assert.Equal(2, comment.Line);
        Assert.Equal("# hadolint ignore=DL3002", comment.Text);
    }

    [Theory]
    // Plain strings are read in place; escapes, control characters and surrogates go to the JSON reader: both must
    // agree with JSON on what an exec form is.
    [InlineData("CMD [\"node\", \"server.js\"]", new[] { "node", "server.js" })]
    [InlineData("CMD [ \"a\" ,\t\"b c\" ]  ", new[] { "a", "b c" })]
    [InlineData("CMD []", new string[0])]
    [InlineData("CMD [\"é ü 中\"]", new[] { "é ü 中" })]
    [InlineData("CMD [\"say \\\"hi\\\"\", \"\\u0041\"]", new[] { "say \"hi\"", "A" })]
    [InlineData("CMD [\"a\\\\b\"]", new[] { "a\\b" })]
    [InlineData("CMD [\"a\", ]", null)]
    [InlineData("CMD ['a']", null)]
    [InlineData("RUN [ -f /x ] && echo yes", null)]
    [InlineData("CMD [\"a\"] tail", null)]
    [InlineData("CMD [\"a\"]]", null)]
    [InlineData("CMD [\"a\", 1]", null)]
    [InlineData("CMD [\"a\" \"b\"]", null)]
    [InlineData("CMD [\"unterminated]", null)]
    [InlineData("CMD [\"a\"", null)]
    [InlineData("CMD [", null)]
    [InlineData("CMD [\"\\x\"]", null)]
    [InlineData("CMD [\"a\tb\"]", null)]
    public void Exec_form_is_exactly_a_json_array_of_strings(string instruction, string[]? items)
    {
        var parsed = Parse("FROM debian\n" + instruction + "\n").Instructions[1];
        Assert.Equal(items is not null, parsed.IsJsonForm);
        Assert.Equal(items ?? [], parsed.JsonArguments.ToArray());
    }
}
