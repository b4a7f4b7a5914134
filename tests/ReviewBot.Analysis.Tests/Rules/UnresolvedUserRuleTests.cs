using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

public class UnresolvedUserRuleTests
{
    [Fact]
    public void User_from_an_arg_without_default_is_reported_and_given_one()
    {
        var text = "FROM debian:bookworm-slim\nARG APP_USER\nUSER $APP_USER\n";
        var finding = Reports("RB006", text, line: 3);
        Assert.Equal("FROM debian:bookworm-slim\nARG APP_USER=10001\nUSER $APP_USER\n", Apply(text, finding));
        DoesNotReport("RB001", text);
    }

    [Fact]
    public void Global_arg_not_redeclared_in_the_stage_is_unknown()
    {
        Reports("RB006", "ARG U=app\nFROM debian:bookworm-slim\nUSER $U\n", line: 3);
    }

    [Fact]
    public void Global_arg_redeclared_in_the_stage_takes_its_default()
    {
        DoesNotReport("RB006", "ARG U=10001\nFROM debian:bookworm-slim\nARG U\nUSER $U\n");
        DoesNotReport("RB001", "ARG U=10001\nFROM debian:bookworm-slim\nARG U\nUSER $U\n");
    }

    [Fact]
    public void Resolved_users_are_not_reported()
    {
        DoesNotReport("RB006", "FROM debian:bookworm-slim\nARG U=10001\nUSER ${U}\n");
    }
}
