using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

public class RootUserRuleTests
{
    [Fact]
    public void Final_stage_without_user_runs_as_root()
    {
        var finding = Reports("RB001", "FROM debian:bookworm-slim\nCOPY app /app\nCMD [\"/app/run\"]\n", line: 1);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("no `USER`", finding.Message);
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

    [Theory]
    // Named in text, run by nobody: an echo, a comment, a file's name, an argument.
    [InlineData("RUN echo gosu > /dev/null\nENTRYPOINT [\"/entrypoint.sh\"]\n")]
    [InlineData("COPY su-exec-notes.txt /\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n")]
    [InlineData("ENTRYPOINT [\"echo\", \"gosu\"]\n")]
    [InlineData("# gosu\nRUN apt-get update # then gosu, one day\nENTRYPOINT [\"/entrypoint.sh\"]\n")]
    [InlineData("CMD /app/run # gosu drops root elsewhere\n")]
    [InlineData("CMD [\"/app/run\", \"--switcher=gosu\", \"su-exec\"]\n")]
    [InlineData("COPY gosu-wrapper.sh /usr/local/bin/\nENTRYPOINT [\"gosu-wrapper.sh\"]\n")]
    [InlineData("ENTRYPOINT [\"sh\", \"-c\", \"echo 'exec gosu app srv' && exec srv\"]\n")]
    // A step-down tool that keeps root: to root, setpriv without a uid option, su and runuser without a user.
    [InlineData("ENTRYPOINT [\"gosu\", \"root\", \"srv\"]\n")]
    [InlineData("ENTRYPOINT [\"su-exec\", \"0:0\", \"srv\"]\n")]
    [InlineData("ENTRYPOINT [\"setpriv\", \"--init-groups\", \"srv\"]\n")]
    [InlineData("CMD su -c srv\n")]
    [InlineData("CMD [\"runuser\", \"-c\", \"srv\"]\n")]
    // gosu installed, but the entrypoint script can be read and never calls it.
    [InlineData("RUN apt-get install -y gosu\nCOPY <<EOF /entrypoint.sh\n#!/bin/sh\necho \"gosu is for later\"\nexec \"$@\"\nEOF\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"srv\"]\n")]
    // gosu installed, but the image starts a program, not a script that could call it.
    [InlineData("RUN apt-get install -y gosu\nENTRYPOINT [\"/usr/bin/srv\"]\n")]
    public void A_step_down_tool_that_never_drops_root_leaves_an_error(string rest)
    {
        var finding = Reports("RB001", "FROM debian:bookworm-slim\n" + rest, line: 1);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Theory]
    [InlineData("ENTRYPOINT [\"gosu\", \"app\", \"server\"]\n", "gosu")]
    [InlineData("ENTRYPOINT [\"/usr/local/bin/gosu\", \"app\"]\nCMD [\"server\"]\n", "gosu")]
    [InlineData("ENTRYPOINT [\"tini\",\"--\",\"su-exec\",\"app\",\"srv\"]\n", "su-exec")]
    [InlineData("ENTRYPOINT [\"dumb-init\", \"gosu\", \"app\", \"srv\"]\n", "gosu")]
    [InlineData("CMD exec gosu app srv\n", "gosu")]
    [InlineData("CMD chown -R app /data && exec su-exec app:app srv\n", "su-exec")]
    [InlineData("ENTRYPOINT [\"sh\", \"-ec\", \"chown app /data; exec gosu app srv\"]\n", "gosu")]
    [InlineData("ENTRYPOINT [\"setpriv\", \"--reuid=app\", \"--regid=app\", \"--init-groups\", \"srv\"]\n", "setpriv")]
    [InlineData("CMD [\"runuser\", \"-u\", \"app\", \"--\", \"srv\"]\n", "runuser")]
    [InlineData("CMD su app -c srv\n", "su")]
    [InlineData("ENTRYPOINT [\"chroot\", \"--userspec=app:app\", \"/\", \"srv\"]\n", "chroot")]
    [InlineData("CMD [\"s6-setuidgid\", \"app\", \"srv\"]\n", "s6-setuidgid")]
    [InlineData("CMD [\"chpst\", \"-u\", \"app\", \"srv\"]\n", "chpst")]
    // The entrypoint script written in the Dockerfile is read.
    [InlineData("COPY <<EOF /entrypoint.sh\n#!/bin/sh\nset -e\nexec gosu \"$USER\" \"$@\"\nEOF\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"srv\"]\n", "gosu")]
    [InlineData("RUN cat > /usr/local/bin/start.sh <<'EOF'\n#!/bin/sh\nif [ \"$(id -u)\" = 0 ]; then\n  exec su-exec app \"$0\" \"$@\"\nfi\nexec srv\nEOF\nENTRYPOINT [\"start.sh\"]\n", "su-exec")]
    [InlineData("RUN printf '#!/bin/sh\\nexec gosu app \"$@\"\\n' > /entrypoint.sh && chmod +x /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"srv\"]\n", "gosu")]
    // A script given to a shell as its file is read the same way.
    [InlineData("COPY <<EOF /entrypoint.sh\nexec gosu app \"$@\"\nEOF\nENTRYPOINT [\"bash\", \"-e\", \"/entrypoint.sh\"]\nCMD [\"srv\"]\n", "gosu")]
    [InlineData("RUN apk add su-exec\nCOPY start.sh /\nCMD [\"sh\", \"/start.sh\"]\n", "su-exec")]
    // A script that runs its arguments runs the CMD next.
    [InlineData("COPY <<EOF /entrypoint.sh\n#!/bin/sh\nchown app /data\nexec \"$@\"\nEOF\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"gosu\", \"app\", \"srv\"]\n", "gosu")]
    // The official images' shape: gosu installed for real, and an entrypoint script from the build context.
    [InlineData("RUN apt-get update && apt-get install -y --no-install-recommends gosu\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"srv\"]\n", "cannot read")]
    [InlineData("RUN wget -O /usr/local/bin/gosu \"https://example.com/gosu-amd64\"; chmod +x /usr/local/bin/gosu; gosu --version\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n", "gosu")]
    [InlineData("RUN apk add --no-cache 'su-exec>=0.2' tzdata\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\n", "su-exec")]
    [InlineData("COPY --from=tianon/gosu /gosu /usr/local/bin/\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n", "gosu")]
    public void A_step_down_that_runs_gets_a_notice(string rest, string named)
    {
        var finding = Reports("RB001", "FROM debian:bookworm-slim\n" + rest, line: 1);
        Assert.Equal(Severity.Notice, finding.Severity);
        Assert.Contains(named, finding.Message);
    }

    [Fact]
    public void The_entrypoint_script_from_the_build_context_is_read_when_the_caller_can()
    {
        string dockerfile = "FROM debian:bookworm-slim\nRUN apt-get install -y gosu\nCOPY scripts/docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"srv\"]\n";
        string? asked = null;
        AnalyzerOptions Reading(string script) => new() { ReadContextFile = path => (asked = path) == "scripts/docker-entrypoint.sh" ? script : null };

        var steps = Reports("RB001", dockerfile, line: 1, Reading("#!/bin/sh\nexec gosu app \"$@\"\n"));
        Assert.Equal(Severity.Notice, steps.Severity);
        Assert.Contains("in its entrypoint script docker-entrypoint.sh", steps.Message);
        Assert.Equal("scripts/docker-entrypoint.sh", asked);

        // Read, and it never calls the gosu the Dockerfile installs: nothing drops root.
        var stays = Reports("RB001", dockerfile, line: 1, Reading("#!/bin/sh\n# gosu app \"$@\"\necho gosu\nexec \"$@\"\n"));
        Assert.Equal(Severity.Error, stays.Severity);

        // Unreadable: the install is taken as the step-down's evidence, as without the callback.
        Assert.Equal(Severity.Notice, Reports("RB001", dockerfile, line: 1, Reading(null!)).Severity);

        // There but over the limit: not read, and no evidence either, so padding a script does not pass.
        var padded = Reports("RB001", dockerfile, line: 1, Reading("#!/bin/sh\nexec gosu app \"$@\"\n" + new string('#', AnalyzerOptions.MaxContextFileChars)));
        Assert.Equal(Severity.Error, padded.Severity);
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

    [Theory]
    [InlineData(500, true)]
    [InlineData(501, false)]
    public void A_fix_that_would_rewrite_too_many_copies_is_not_offered_and_the_advice_says_why(int copies, bool fixed_)
    {
        var dockerfile = "FROM debian:bookworm-slim\n" + string.Concat(Enumerable.Range(0, copies).Select(i => $"COPY data{i}.txt /app/data{i}/\n")) + "CMD [\"/app/run\"]\n";

        var finding = Reports("RB001", dockerfile, line: 1);

        Assert.Equal(fixed_, finding.Fix is not null);
        Assert.Equal(fixed_, finding.Advice is null);
        if (finding.Fix is { } fix)
        {
            Assert.Equal(copies, fix.Edits.Count(e => e.NewText.Contains("--chown=", StringComparison.Ordinal)));
        }
        else
        {
            Assert.Contains("more than 500 COPY lines", finding.Advice);
        }
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(501, false)]
    public void A_fix_that_would_hand_over_too_many_folders_is_not_offered_and_the_advice_says_why(int volumes, bool fixed_)
    {
        var dockerfile = "FROM debian:bookworm-slim\n" + string.Concat(Enumerable.Range(0, volumes).Select(i => $"VOLUME /data{i}\n")) + "CMD [\"/app/run\"]\n";

        var finding = Reports("RB001", dockerfile, line: 1);

        Assert.Equal(fixed_, finding.Fix is not null);
        if (finding.Fix is { } fix)
        {
            Assert.Contains("/data499", string.Concat(fix.Edits.Select(e => e.NewText)), StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("no fix is offered: it would hand over more than 500 folders", finding.Advice);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_dockerfile_of_more_stages_than_are_read_is_an_error_at_the_first_unread(int over)
    {
        // Each stage non-root: only the bound can make it an error.
        int stages = ReviewBot.Analysis.Model.DockerfileModel.MaxStages + over;
        var dockerfile = string.Concat(Enumerable.Range(0, stages).Select(i => $"FROM alpine:3.20 AS s{i}\nUSER app\n"));

        var findings = DockerfileAnalyzer.Analyze(dockerfile).Findings.Where(f => f.RuleId == "RB001").ToList();

        if (over == 0)
        {
            Assert.Empty(findings);
        }
        else
        {
            var finding = Assert.Single(findings);
            Assert.Equal(Severity.Error, finding.Severity);
            Assert.Equal((2 * ReviewBot.Analysis.Model.DockerfileModel.MaxStages) + 1, finding.Range.Start);
            Assert.Contains("more than 10,000 stages", finding.Message, StringComparison.Ordinal);
            Assert.Null(finding.Fix);
        }
    }
}
