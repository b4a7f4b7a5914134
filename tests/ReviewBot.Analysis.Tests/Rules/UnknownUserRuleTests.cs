using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

public class UnknownUserRuleTests
{
    [Fact]
    public void User_nothing_creates_on_a_known_base_is_reported()
    {
        var finding = Reports("RB002", "FROM debian:bookworm-slim\nUSER app\nCMD x\n", line: 2);
        Assert.Contains("unable to find user app", finding.Message);
        Assert.Equal("FROM debian:bookworm-slim\nRUN groupadd -r app && useradd -r -g app --no-create-home app\nUSER app\nCMD x\n", Apply("FROM debian:bookworm-slim\nUSER app\nCMD x\n", finding));
    }

    [Fact]
    public void Created_shipped_and_numeric_users_are_not_reported()
    {
        DoesNotReport("RB002", "FROM debian:bookworm-slim\nRUN useradd -r app\nUSER app\n");
        DoesNotReport("RB002", "FROM alpine:3.20\nRUN adduser -S -D app\nUSER app:app\n");
        DoesNotReport("RB002", "FROM node:20\nUSER node\n");
        DoesNotReport("RB002", "FROM debian:bookworm-slim\nUSER 1234:1234\n");
        DoesNotReport("RB002", "FROM debian:bookworm-slim\nUSER nobody\n");
    }

    [Fact]
    public void User_created_in_a_parent_stage_exists()
    {
        DoesNotReport("RB002", "FROM debian:bookworm-slim AS base\nRUN useradd -r app\nFROM base\nUSER app\n");
    }

    [Fact]
    public void Unknown_base_may_ship_the_user()
    {
        DoesNotReport("RB002", "FROM registry.example.com/team/base:5\nUSER app\n");
    }

    [Fact]
    public void Copied_passwd_may_define_the_user()
    {
        DoesNotReport("RB002", "FROM scratch\nCOPY passwd /etc/passwd\nUSER app\n");
    }

    [Fact]
    public void Scratch_ships_no_users()
    {
        Reports("RB002", "FROM scratch\nCOPY app /app\nUSER app\n", line: 3);
    }
}
