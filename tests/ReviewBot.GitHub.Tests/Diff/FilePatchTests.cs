using ReviewBot.GitHub.Diff;

namespace ReviewBot.GitHub.Tests.Diff;

public class FilePatchTests
{
    // The shape GitHub returns in a pull request file's "patch": hunks only, no file header.
    private const string TwoHunks =
        "@@ -1,4 +1,6 @@\n FROM debian:bookworm-slim\n-RUN apt-get update\n+RUN apt-get update && \\\n+    apt-get install -y curl\n COPY app /app\n+WORKDIR /app\n CMD [\"/app/run\"]\n" +
        "@@ -20,3 +22,2 @@ stage\n ENV A=1\n-ENV B=2\n ENV C=3";

    [Fact]
    public void Right_side_lines_inside_hunks_are_commentable_and_others_are_not()
    {
        var patch = FilePatch.Parse(TwoHunks);

        Assert.Equal([new DiffHunk(1, 4, 1, 6), new DiffHunk(20, 3, 22, 2)], patch.Hunks.ToArray());
        Assert.All([1, 2, 3, 4, 5, 6, 22, 23], line => Assert.True(patch.IsCommentable(line), $"line {line}"));
        Assert.All([0, 7, 21, 24, 100], line => Assert.False(patch.IsCommentable(line), $"line {line}"));
        Assert.True(patch.InOneHunk(2, 6));
        Assert.False(patch.InOneHunk(5, 22));
    }

    [Fact]
    public void Counts_default_to_one_and_no_newline_markers_are_skipped()
    {
        var patch = FilePatch.Parse("@@ -3 +3 @@\n-USER root\n\\ No newline at end of file\n+USER app\n\\ No newline at end of file");

        Assert.Equal([new DiffHunk(3, 1, 3, 1)], patch.Hunks.ToArray());
        Assert.True(patch.IsCommentable(3));
        Assert.False(patch.IsCommentable(4));
    }

    [Fact]
    public void A_hunk_that_only_deletes_has_no_commentable_line()
    {
        var patch = FilePatch.Parse("@@ -5,2 +4,0 @@\n-EXPOSE 80\n-EXPOSE 443\n");

        Assert.Equal(0, patch.Hunks[0].NewCount);
        Assert.False(patch.IsCommentable(4));
        Assert.False(patch.IsCommentable(5));
    }

    [Fact]
    public void A_git_header_is_tolerated_and_crlf_patches_parse()
    {
        var patch = FilePatch.Parse("diff --git a/Dockerfile b/Dockerfile\r\nindex 1..2 100644\r\n--- a/Dockerfile\r\n+++ b/Dockerfile\r\n@@ -0,0 +1,2 @@\r\n+FROM alpine\r\n+USER nobody\r\n");

        Assert.Equal([new DiffHunk(0, 0, 1, 2)], patch.Hunks.ToArray());
        Assert.True(patch.InOneHunk(1, 2));
    }

    [Fact]
    public void Null_or_empty_patch_has_no_hunks()
    {
        Assert.Empty(FilePatch.Parse(null).Hunks);
        Assert.Empty(FilePatch.Parse("").Hunks);
        Assert.False(FilePatch.Parse(null).IsCommentable(1));
    }

    [Theory]
    [InlineData("@@ -1,2 +1,2 @@\n FROM a\n")] // body shorter than its counts
    [InlineData("@@ -1 +1 @@\n FROM a\n+USER b\n")] // a line beyond the counts
    [InlineData("FROM a\n")] // not a diff
    [InlineData("@@ -x +1 @@\n FROM a\n")] // bad header
    [InlineData("@@ -1 +1 @@\n*FROM a\n")] // bad line prefix
    public void Malformed_patches_are_rejected_rather_than_misread(string text)
    {
        Assert.Throws<FormatException>(() => FilePatch.Parse(text));
    }
}
