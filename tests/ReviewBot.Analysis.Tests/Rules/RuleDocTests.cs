using ReviewBot.Analysis.Rules;

namespace ReviewBot.Analysis.Tests.Rules;

public class RuleDocTests
{
    public static TheoryData<string> RuleIds { get; } = [.. RuleRunner.Rules.Select(r => r.Id)];

    /// <summary>docs/rules/RBnnn.md is what the descriptor says; REVIEWBOT_UPDATE_DOCS=1 rewrites them.</summary>
    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_doc_in_the_repository_matches_the_descriptor(string id)
    {
        var rule = RuleRunner.Find(id)!;
        string path = Path.Combine(RepoRoot.Find(), rule.DocPath);
        string expected = RuleDoc.Markdown(rule);
        if (Environment.GetEnvironmentVariable("REVIEWBOT_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{rule.DocPath} is missing; run the tests with REVIEWBOT_UPDATE_DOCS=1");
        Assert.Equal(expected, File.ReadAllText(path));
    }

    /// <summary>
    /// One voice: a descriptor's why and fix quote instructions, commands, flags and paths as code, so Markdown shows them
    /// as code and plain outputs can drop the backticks (an instruction keyword outside a code span reads as prose).
    /// </summary>
    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Why_and_fix_quote_instructions_and_commands_as_code(string id)
    {
        var rule = RuleRunner.Find(id)!;
        foreach (var text in new[] { rule.Why, rule.FixText })
        {
            var prose = System.Text.RegularExpressions.Regex.Replace(text, "`[^`]*`", "");
            Assert.DoesNotMatch(@"\b(FROM|RUN|COPY|ADD|USER|EXPOSE|CMD|ENTRYPOINT|ARG|ENV|WORKDIR)\b|--\w|/etc/|\bsudo\b|\buseradd\b|\bgroupadd\b", prose);
        }
    }

    [Fact]
    public void Rule_ids_are_the_contract()
    {
        Assert.Equal(
            ["RB001 root-user", "RB002 unknown-user", "RB003 copy-without-chown", "RB004 privileged-port", "RB005 sudo", "RB006 unresolved-user", "RB007 not-a-dockerfile", "RB008 manifest-user"],
            RuleRunner.Rules.Select(r => $"{r.Id} {r.Name}"));
    }
}
