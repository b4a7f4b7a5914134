using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

public class SudoRuleTests
{
    [Fact]
    public void Installing_sudo_is_reported()
    {
        Reports("RB005", "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl sudo\n", line: 2);
        Reports("RB005", "FROM alpine:3.20\nRUN apk add --no-cache sudo\n", line: 2);
    }

    [Theory]
    [InlineData("RUN [\"sh\", \"-c\", \"sudo make install\"]")]
    [InlineData("RUN [\"/bin/bash\", \"-o\", \"pipefail\", \"-ec\", \"make && sudo make install\"]")]
    [InlineData("RUN [\"bash\", \"--login\", \"-c\", \"sudo -E make install\", \"name\"]")]
    public void Sudo_in_the_script_of_an_exec_form_shell_is_reported(string run)
    {
        Reports("RB005", "FROM debian:bookworm-slim\n" + run + "\nUSER 1000\n", line: 2);
    }

    [Theory]
    [InlineData("RUN [\"sh\", \"./install.sh\", \"sudo\"]")] // a script file, sudo its argument
    [InlineData("RUN [\"echo\", \"-c\", \"sudo x\"]")] // not a shell
    public void Sudo_as_an_argument_of_an_exec_form_is_not_a_call(string run)
    {
        DoesNotReport("RB005", "FROM debian:bookworm-slim\n" + run + "\nUSER 1000\n");
    }

    [Fact]
    public void Sudo_in_a_heredoc_body_is_reported()
    {
        Reports("RB005", "FROM debian:bookworm-slim\nRUN <<EOF\napt-get update\nsudo make install\nEOF\nUSER 1000\n", line: 2);
    }

    [Fact]
    public void Calling_sudo_as_root_is_fixed_by_dropping_it()
    {
        var text = "FROM debian:bookworm-slim\nRUN sudo apt-get update && sudo apt-get install -y curl\n";
        Assert.Equal("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n", Apply(text, Reports("RB005", text, line: 2)));
    }

    [Fact]
    public void Installing_sudo_among_other_packages_is_fixed_by_not_installing_it()
    {
        var text = "FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl sudo \\\n    && rm -rf /var/lib/apt/lists/*\n";
        Assert.Equal(
            "FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n",
            Apply(text, Reports("RB005", text, line: 2)));
        var alpine = "FROM alpine:3.20\nRUN apk add --no-cache sudo curl\n";
        Assert.Equal("FROM alpine:3.20\nRUN apk add --no-cache curl\n", Apply(alpine, Reports("RB005", alpine, line: 2)));
    }

    [Theory]
    [InlineData("FROM alpine:3.20\nRUN apk add --no-cache sudo\n")] // nothing left to install: apk add fails
    [InlineData("FROM debian:bookworm-slim\nRUN apt-get install -y curl sudo\nCMD [\"sudo\", \"-u\", \"app\", \"/app\"]\n")] // the image runs it
    [InlineData("FROM debian:bookworm-slim\nRUN apt-get install -y \\\n    sudo\n")] // sudo alone on its line
    public void Installing_sudo_that_the_image_needs_or_alone_has_no_fix(string text) =>
        Assert.Null(Reports("RB005", text, line: 2).Fix);

    [Fact]
    public void Calling_sudo_as_another_user_has_no_fix()
    {
        var finding = Reports("RB005", "FROM node:20\nUSER node\nRUN sudo npm i -g x\n", line: 3);
        Assert.Null(finding.Fix);
    }

    [Fact]
    public void Words_containing_sudo_are_not_sudo()
    {
        DoesNotReport("RB005", "FROM debian:bookworm-slim\nRUN echo pseudo && cat /etc/sudoers.d/x || true\nRUN apt-get install -y sudo-ldap-doc-helper\n");
    }

    [Fact]
    public void Hadolint_pragma_silences_it()
    {
        DoesNotReport("RB005", "FROM debian:bookworm-slim\n# hadolint ignore=DL3004\nRUN sudo ls\n");
    }
}
