using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

/// <summary>Images that must start as root (issue 22 item 2): a notice that says why, and never a fix that breaks them.</summary>
public class RootExpectedTests
{
    /// <summary>The shape of a Docker container action's Dockerfile (actions/hello-world-docker-action, most marketplace actions).</summary>
    private const string ActionDockerfile = "FROM alpine:3.20\nRUN apk add --no-cache bash curl jq\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n";

    private static readonly AnalyzerOptions Action = new() { RootExpected = new RootExpected(RootExpectedReason.DockerAction, "action.yml") };

    [Fact]
    public void A_docker_actions_image_gets_a_notice_and_no_fix()
    {
        var finding = Reports("RB001", ActionDockerfile, line: 1, Action);
        Assert.Equal(Severity.Notice, finding.Severity);
        Assert.Null(finding.Fix);
        Assert.Contains("Docker container action `action.yml`", finding.Message);
        Assert.Contains("actions/checkout#956", finding.Message);
        Assert.Equal(ActionDockerfile, FixAll(ActionDockerfile, Action));
    }

    [Fact]
    public void Without_the_action_the_same_image_is_an_error_with_a_fix()
    {
        var finding = Reports("RB001", ActionDockerfile, line: 1);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.NotNull(finding.Fix);
    }

    [Fact]
    public void An_action_the_change_wrote_itself_holds_the_fix_back_but_stays_an_error()
    {
        var finding = Reports("RB001", ActionDockerfile, line: 1, new AnalyzerOptions { RootExpected = new RootExpected(RootExpectedReason.DockerAction, "web/action.yml") { Trusted = false } });
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Null(finding.Fix);
        Assert.Contains("merge `web/action.yml` first", finding.Advice);
    }

    [Fact]
    public void A_non_root_action_image_is_not_reported()
    {
        DoesNotReport("RB001", "FROM alpine:3.20\nRUN adduser -D app\nUSER app\n", Action);
    }

    [Theory]
    // docker-in-docker and CI runners: the socket as a VOLUME, in either form and either path.
    [InlineData("VOLUME /var/run/docker.sock\n")]
    [InlineData("VOLUME [\"/var/run/docker.sock\"]\n")]
    [InlineData("VOLUME /data /run/docker.sock\n")]
    // named by the command the container starts with.
    [InlineData("CMD [\"docker\", \"-H\", \"unix:///var/run/docker.sock\", \"ps\"]\n")]
    [InlineData("ENTRYPOINT DOCKER_HOST=unix:///run/docker.sock exec /usr/local/bin/runner\n")]
    // by its entrypoint script, written by the Dockerfile.
    [InlineData("COPY <<EOF /entrypoint.sh\n#!/bin/sh\nchgrp docker /var/run/docker.sock\nexec \"$@\"\nEOF\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"/usr/local/bin/runner\"]\n")]
    public void A_docker_socket_user_gets_a_notice_and_no_fix(string tail)
    {
        string dockerfile = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y docker.io\nEXPOSE 80\n" + tail;
        var finding = Reports("RB001", dockerfile, line: 1);
        Assert.Equal(Severity.Notice, finding.Severity);
        Assert.Null(finding.Fix);
        Assert.Contains("Docker socket", finding.Message);
        // RB004 would move the port for a fix that is not offered.
        DoesNotReport("RB004", dockerfile);
        Assert.Equal(dockerfile, FixAll(dockerfile));
    }

    [Fact]
    public void The_entrypoint_script_from_the_context_is_read_for_the_socket()
    {
        string dockerfile = "FROM debian:bookworm-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n";
        var reads = new AnalyzerOptions { ReadContextFile = path => path == "entrypoint.sh" ? "#!/bin/sh\nif [ -S /var/run/docker.sock ]; then chmod 666 /var/run/docker.sock; fi\nexec runner\n" : null };
        Assert.Equal(Severity.Notice, Reports("RB001", dockerfile, line: 1, reads).Severity);
        Assert.Equal(Severity.Error, Reports("RB001", dockerfile, line: 1).Severity);
    }

    [Theory]
    // Only a mention: a comment, an echo while building, another file's name, a script's comment.
    [InlineData("# mount /var/run/docker.sock to use docker\nCMD [\"/app\"]\n")]
    [InlineData("RUN echo /var/run/docker.sock\nCMD [\"/app\"]\n")]
    [InlineData("VOLUME /var/run/docker.sock.d\nCMD [\"/app\"]\n")]
    [InlineData("COPY <<EOF /entrypoint.sh\n#!/bin/sh\n# needs -v /var/run/docker.sock:/var/run/docker.sock\nexec /app\nEOF\nENTRYPOINT [\"/entrypoint.sh\"]\n")]
    public void A_mention_of_the_socket_is_no_use_of_it(string tail)
    {
        var finding = Reports("RB001", "FROM debian:bookworm-slim\n" + tail, line: 1);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.NotNull(finding.Fix);
    }

    [Fact]
    public void A_compose_mount_of_the_socket_passed_in_makes_a_notice()
    {
        var options = new AnalyzerOptions { RootExpected = new RootExpected(RootExpectedReason.DockerSocket, "compose.yaml") };
        var finding = Reports("RB001", "FROM debian:bookworm-slim\nCMD [\"/app\"]\n", line: 1, options);
        Assert.Equal(Severity.Notice, finding.Severity);
        Assert.Null(finding.Fix);
        Assert.Contains("`compose.yaml` mounts the Docker socket", finding.Message);
    }

    [Fact]
    public void A_gosu_entrypoint_gets_a_notice_and_no_fix_that_breaks_it()
    {
        // The official redis shape: the script steps down with gosu when it starts as root.
        string dockerfile = "FROM debian:bookworm-slim\nRUN groupadd -r redis && useradd -r -g redis redis\nRUN apt-get update && apt-get install -y gosu\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nEXPOSE 637\nCMD [\"redis-server\"]\n";
        var finding = Reports("RB001", dockerfile, line: 1);
        Assert.Equal(Severity.Notice, finding.Severity);
        Assert.Null(finding.Fix);
        DoesNotReport("RB004", dockerfile);
        Assert.Equal(dockerfile, FixAll(dockerfile));
    }
}
