using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

public class CopyWithoutChownRuleTests
{
    private const string NodeApp = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n";

    [Fact]
    public void Non_root_image_with_root_owned_app_files_is_reported()
    {
        var finding = Reports("RB003", NodeApp, line: 3);
        Assert.Equal(Severity.Notice, finding.Severity);
        Assert.Equal(NodeApp.Replace("COPY . .", "COPY --chown=node . ."), Apply(NodeApp, finding));
    }

    [Fact]
    public void Chowned_and_system_copies_are_not_reported()
    {
        DoesNotReport("RB003", "FROM node:20-slim\nCOPY --chown=node:node . /app\nCOPY bin/tool /usr/local/bin/\nUSER node\n");
    }

    [Fact]
    public void Root_images_are_left_to_rb001()
    {
        DoesNotReport("RB003", "FROM node:20-slim\nCOPY . /app\n");
    }

    [Fact]
    public void Created_group_of_the_same_name_is_used()
    {
        var text = "FROM debian:bookworm-slim\nRUN groupadd -r app && useradd -r -g app app\nCOPY . /app\nUSER app\n";
        Assert.Contains("COPY --chown=app:app . /app", Apply(text, Reports("RB003", text, line: 3)));
    }

    [Fact]
    public void Chown_option_off_disables_it()
    {
        DoesNotReport("RB003", NodeApp, new AnalyzerOptions { Chown = false });
    }
}
