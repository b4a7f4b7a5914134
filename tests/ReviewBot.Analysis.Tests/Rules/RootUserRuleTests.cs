using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

public class RootUserRuleTests
{
    [Fact]
    public void Final_stage_without_user_runs_as_root()
    {
        var finding = Reports("RB001", "FROM debian:bookworm-slim\nCOPY app /app\nCMD [\"/app/run\"]\n", line: 1);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("no USER", finding.Message);
    }

    [Theory]
    [InlineData("USER root")]
    [InlineData("USER 0")]
    [InlineData("USER 000")]
    [InlineData("USER 0:0")]
    [InlineData("USER root:staff")]
    [InlineData("USER 0:1000")]
    public void Explicit_root_user_is_reported_at_the_user_line(string user)
    {
        Reports("RB001", $"FROM debian:bookworm-slim\nRUN useradd app\nUSER app\nCOPY . /app\n{user}\nCMD [\"x\"]\n", line: 5);
    }

    [Fact]
    public void Root_via_arg_default_is_reported()
    {
        Reports("RB001", "FROM debian:bookworm-slim\nARG U\nUSER ${U:-root}\nCMD x\n", line: 3);
        Reports("RB001", "FROM debian:bookworm-slim\nENV RUNAS=0\nUSER $RUNAS\nCMD x\n", line: 3);
    }

    [Fact]
    public void Uid_zero_under_another_name_is_root()
    {
        var finding = Reports("RB001", "FROM debian:bookworm-slim\nRUN useradd -o -u 0 admin\nUSER admin\nCMD x\n", line: 3);
        Assert.Contains("uid 0", finding.Message);
    }

    [Fact]
    public void Non_root_user_is_not_reported()
    {
        DoesNotReport("RB001", "FROM debian:bookworm-slim\nRUN useradd -r app\nUSER app\nCMD x\n");
        DoesNotReport("RB001", "FROM alpine:3.20\nUSER 10001:10001\n");
    }

    [Fact]
    public void Only_the_last_stage_counts()
    {
        DoesNotReport("RB001", "FROM golang:1.22 AS build\nRUN go build -o /out/app\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n");
        Reports("RB001", "FROM alpine:3.20 AS build\nUSER 1000\nFROM debian:bookworm-slim\nCMD x\n", line: 3);
    }

    [Fact]
    public void User_is_inherited_from_the_parent_stage()
    {
        DoesNotReport("RB001", "FROM debian:bookworm-slim AS base\nRUN useradd -r app\nUSER app\nFROM base\nCMD x\n");
        Reports("RB001", "FROM node:20 AS base\nUSER root\nFROM base\nCMD x\n", line: 2);
    }

    [Fact]
    public void Base_image_that_defaults_to_non_root_is_not_reported()
    {
        DoesNotReport("RB001", "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n");
        DoesNotReport("RB001", "FROM nginxinc/nginx-unprivileged:1.27\nCOPY site /usr/share/nginx/html\n");
    }

    [Fact]
    public void Windows_administrator_is_root()
    {
        Reports("RB001", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator\nCMD x\n", line: 2);
    }

    [Fact]
    public void Image_that_steps_down_at_run_time_gets_a_notice_without_fix()
    {
        var finding = Reports("RB001", "FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n", line: 1);
        Assert.Equal(Severity.Notice, finding.Severity);
        Assert.Null(finding.Fix);

        var gosu = Reports("RB001", "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\nENTRYPOINT [\"gosu\", \"app\", \"/run\"]\n", line: 1);
        Assert.Equal(Severity.Notice, gosu.Severity);
    }

    [Fact]
    public void Replacing_the_entrypoint_of_a_step_down_image_loses_the_step_down()
    {
        var finding = Reports("RB001", "FROM redis:7\nENTRYPOINT [\"redis-server\"]\n", line: 1);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void Onbuild_user_does_not_apply_to_this_image()
    {
        Reports("RB001", "FROM debian:bookworm-slim\nONBUILD USER app\nCMD x\n", line: 1);
    }

    [Fact]
    public void Heredoc_body_is_not_an_instruction()
    {
        Reports("RB001", "FROM debian:bookworm-slim\nRUN <<EOF\nUSER app\nEOF\nCMD x\n", line: 1);
    }

    [Theory]
    [InlineData("# reviewbot ignore=RB001\nFROM debian:bookworm-slim\nCMD x\n")]
    [InlineData("FROM debian:bookworm-slim\n# hadolint ignore=DL3002\nUSER root\n")]
    [InlineData("# checkov:skip=CKV_DOCKER_3: runs as root by design\nFROM debian:bookworm-slim\nCMD x\n")]
    [InlineData("FROM debian:bookworm-slim\nRUN x\n# trivy:ignore:DS002\nUSER root\n")]
    [InlineData("# syntax=docker/dockerfile:1\n# reviewbot ignore=RB004,RB001\n\nFROM debian:bookworm-slim\nEXPOSE 80\n")]
    // The pragmas are case-insensitive: the cheap test that skips prose comments must not skip these.
    [InlineData("# REVIEWBOT IGNORE=RB001\nFROM debian:bookworm-slim\nCMD x\n")]
    [InlineData("FROM debian:bookworm-slim\n# Hadolint Ignore=DL3002\nUSER root\n")]
    [InlineData("# CHECKOV:SKIP=CKV_DOCKER_3\nFROM debian:bookworm-slim\nCMD x\n")]
    [InlineData("FROM debian:bookworm-slim\nRUN x\n# Trivy:IGNORE:ds002\nUSER root\n")]
    public void Suppressions_silence_the_rule(string dockerfile)
    {
        DoesNotReport("RB001", dockerfile);
    }

    [Fact]
    public void A_pragma_for_another_rule_does_not_silence_it()
    {
        Reports("RB001", "FROM debian:bookworm-slim\n# hadolint ignore=DL3008\nUSER root\n", line: 3);
    }
}
