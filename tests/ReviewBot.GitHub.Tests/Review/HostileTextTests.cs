using System.Collections.Immutable;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Review;
using static ReviewBot.GitHub.Tests.Review.TestFindings;

namespace ReviewBot.GitHub.Tests.Review;

/// <summary>
/// Every byte of a pull request is the author's: text from a Dockerfile, its path, and the messages that quote
/// them reach our markdown only inside code spans or fences, and cannot pose as our fingerprint markers.
/// </summary>
public class HostileTextTests
{
    public static TheoryData<string> Hostile() =>
    [
        "@octocat",
        "@org/team",
        "[x](http://evil.example/)",
        "<http://evil.example/>",
        "![](http://evil.example/i.png)",
        "<!-- hidden",
        "<!-- -->",
        "<img src=x onerror=alert(1)>",
        "<details><summary>open</summary>",
        "`@octocat`",
        "``@octocat``",
        "` @octocat `",
        "````@octocat```",
        "`",
        "www.evil.example",
        "x@evil.example",
        "a|@octocat",
        "a\\|@octocat",
        "a\\\\|@octocat",
        "*bold* _it_ ~~s~~ $x$ #1 &amp;",
        "line\n@octocat",
        "<!-- reviewbot:fp=0123456789abcdef0123 -->",
        "~~~",
        "GH-1 #2 owner/repo#3",
    ];

    private static string NewFilePatch(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        return $"@@ -0,0 +1,{lines.Length} @@\n" + string.Concat(lines.Select(l => "+" + l + "\n"));
    }

    /// <summary>
    /// One file at a hostile path, with a hostile user name quoted in every message and fix: an inline
    /// suggestion, a file-level comment (line 1 is outside the diff), and the same again listed in the body.
    /// </summary>
    private static IEnumerable<ReviewPlan> Plans(string hostile)
    {
        var flat = hostile.Replace('\n', ' ');
        var text = $"FROM debian\nWORKDIR /{flat}\nUSER {flat}\n";
        var patch = "@@ -1,0 +2,2 @@\n" + string.Concat(text.Split('\n')[1..3].Select(l => "+" + l + "\n"));
        var path = $"svc/{hostile}/Dockerfile";
        var findings = new[]
        {
            Finding(RootUser, 3, 3, $"USER {hostile} makes the image run as root (uid 0).", new TextEdit(3, 3, $"USER {flat}-app\n")) with
            {
                Fix = new Fix($"Switch to {hostile}-app.", [new TextEdit(3, 3, $"USER {flat}-app\n")]),
            },
            Finding(Sudo, 2, 2, $"WORKDIR /{hostile} is written by root."),
            Finding(CopyWithoutChown, 1, 1, $"FROM {hostile}: base image runs as root.", new TextEdit(1, 1, $"FROM {flat}:safe\n")),
        };
        var file = new ReviewFile(path, text, Result(text, findings), patch);
        var options = new ReviewPlanOptions { Notes = [$"`.github/reviewbot.yml` on {hostile}: bad key {hostile}"] };

        yield return ReviewPlanner.Plan([file], options);
        yield return ReviewPlanner.Plan([file], options with { MaxInlineComments = 0 }); // everything listed in the body's table
    }

    private static IEnumerable<string> Markdowns(ReviewPlan plan) =>
        [plan.Body, plan.Check.Summary, .. plan.Comments.Select(c => c.Body), .. plan.FileComments.Select(f => f.Body)];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Text_from_the_pull_request_renders_nothing(string hostile)
    {
        foreach (var plan in Plans(hostile))
        {
            Assert.NotEmpty(plan.FileComments);
            foreach (var markdown in Markdowns(plan))
            {
                MarkdownChecker.AssertSafe(markdown);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void The_path_is_shown_exactly_in_a_code_span(string hostile)
    {
        var path = $"svc/{hostile}/Dockerfile".Replace('\n', ' ');
        foreach (var plan in Plans(hostile))
        {
            foreach (var file in plan.FileComments)
            {
                Assert.Contains(path, MarkdownChecker.Parse(file.Body).Spans);
            }

            if (!path.Contains("\\|", StringComparison.Ordinal)) // a table cell cannot spell \| exactly (see Markdown.TableCodeSpan)
            {
                Assert.Contains(path, MarkdownChecker.Parse(plan.Check.Summary).Spans);
            }
        }
    }

    /// <summary>The paths a check's notes name go through the same code span as every other text of the author's.</summary>
    [Theory]
    [MemberData(nameof(Hostile))]
    [InlineData(" spaced ")] // one space each side: CommonMark strips it unless the span is padded
    [InlineData("bidi\u202Eoverride")] // a right-to-left override would make the shown path lie
    public void Paths_named_in_a_checks_notes_are_shown_exactly_and_render_nothing(string path)
    {
        var markdown = ReviewBot.GitHub.PullRequests.PullRequestReviewer.Paths([path, "Dockerfile"]);

        MarkdownChecker.AssertSafe(markdown);
        Assert.Equal([Markdown.Flat(path), "Dockerfile"], MarkdownChecker.Parse(markdown).Spans);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_suggestion_holds_exactly_the_replacement_lines(string hostile)
    {
        var comment = Assert.Single(Plans(hostile).First().Comments, c => c.Suggestion is not null);

        var fence = Assert.Single(MarkdownChecker.Parse(comment.Body).Fences);
        Assert.Equal(string.Join('\n', comment.Suggestion!.Value) + "\n", fence);
        Assert.Equal($"USER {hostile.Replace('\n', ' ')}-app", Assert.Single(comment.Suggestion!.Value));
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Our_bodies_carry_only_our_own_fingerprints(string hostile)
    {
        foreach (var plan in Plans(hostile))
        {
            foreach (var comment in plan.Comments)
            {
                Assert.Equal([comment.Fingerprint], Fingerprint.Parse(comment.Body));
            }

            foreach (var file in plan.FileComments)
            {
                Assert.Equal(file.Fingerprints, Fingerprint.Parse(file.Body));
            }
        }
    }

    [Fact]
    public void A_marker_quoted_from_a_Dockerfile_is_not_a_fingerprint()
    {
        var forged = Fingerprint.Marker("0123456789abcdef0123");

        Assert.Empty(Fingerprint.Parse($"WORKDIR {forged}\n\nmore text"));
        Assert.Empty(Fingerprint.Parse($"`{forged}`"));
        Assert.Empty(Fingerprint.Parse($"{forged}\nand then ours ends differently"));
        Assert.Equal(["0123456789abcdef0123"], Fingerprint.Parse($"text\n{forged}\n"));
        Assert.Equal(["0123456789abcdef0123"], Fingerprint.Parse($"text\r\n{forged}\r\n"));
    }

    private static ExistingComment Comment(long id, string login, string body, long? inReplyTo = null) =>
        new(id, body, inReplyTo, "Dockerfile", login, login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User");

    [Fact]
    public void Markers_count_only_on_comments_by_our_bot()
    {
        string Body(string fp) => "**RB001** text\n" + Fingerprint.Marker(fp);
        var comments = new[]
        {
            Comment(1, "reviewbot[bot]", Body("aaaaaaaaaaaaaaaaaaaa")),
            Comment(2, "ReviewBot[bot]", Body("bbbbbbbbbbbbbbbbbbbb")), // logins are case-insensitive
            Comment(3, "dependabot[bot]", Body("cccccccccccccccccccc")),
            Comment(4, "github-actions[bot]", Body("dddddddddddddddddddd")),
            Comment(5, "octocat", Body("eeeeeeeeeeeeeeeeeeee")),
            Comment(6, "reviewbot[bot]", $"quoted {Fingerprint.Marker("ffffffffffffffffffff")} in the middle\nlast line"),
        };

        var previous = PreviousComments.From(comments, "reviewbot[bot]");

        Assert.Equal(["aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb"], previous.Fingerprints.Order());
        Assert.Equal(["dddddddddddddddddddd"], PreviousComments.From(comments, PreviousComments.ActionsBotLogin).Fingerprints);
    }

    [Fact]
    public void Only_our_own_fixed_reply_stops_another()
    {
        var ours = Comment(1, "reviewbot[bot]", "text\n" + Fingerprint.Marker("aaaaaaaaaaaaaaaaaaaa"));
        var plan = ReviewPlanner.Plan([], new ReviewPlanOptions());

        var someoneElse = PreviousComments.From([ours, Comment(2, "octocat", "Fixed in abc.", inReplyTo: 1)], "reviewbot[bot]");
        var answered = PreviousComments.From([ours, Comment(2, "reviewbot[bot]", "Fixed in abc.", inReplyTo: 1)], "reviewbot[bot]");

        Assert.Equal([1L], someoneElse.FixedComments(plan));
        Assert.Empty(answered.FixedComments(plan));
    }
}
