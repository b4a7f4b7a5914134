using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

public class PrivilegedPortRuleTests
{
    [Fact]
    public void Port_80_in_a_non_root_image_moves_to_8080_with_the_command_that_listens_there()
    {
        var text = "FROM node:20\nENV HTTPS_PORT=443\nUSER node\nEXPOSE 80 443/tcp 3000\nCMD [\"node\", \"server.js\", \"--port\", \"80\"]\n";
        var finding = Reports("RB004", text, line: 4);
        Assert.Contains("-p 80:8080", finding.Fix!.Description);
        Assert.Null(finding.Advice);
        Assert.Equal("FROM node:20\nENV HTTPS_PORT=8443\nUSER node\nEXPOSE 8080 8443/tcp 3000\nCMD [\"node\", \"server.js\", \"--port\", \"8080\"]\n", Apply(text, finding));
    }

    [Fact]
    public void Port_nothing_in_the_dockerfile_names_gets_advice_without_a_suggestion()
    {
        // Moving EXPOSE alone would make the Dockerfile say 8080 while the application still listens on 80.
        var finding = Reports("RB004", "FROM node:20\nUSER node\nEXPOSE 80 443/tcp 3000\nCMD [\"node\", \"server.js\"]\n", line: 3);
        Assert.Null(finding.Fix);
        Assert.StartsWith("No `--port`, `--bind` or `PORT` setting in this Dockerfile names the ports: make the application listen on", finding.Advice);
        Assert.Contains("8080 (from 80), 8443 (from 443)", finding.Advice);
        Assert.Contains("`docker run -p 80:8080`", finding.Advice);
    }

    [Fact]
    public void Only_the_ports_the_dockerfile_names_move_and_the_rest_are_advised()
    {
        var text = "FROM python:3.12-slim\nUSER 10001\nEXPOSE 80 443\nCMD gunicorn -b 0.0.0.0:80 app:app\n";
        var finding = Reports("RB004", text, line: 3);
        Assert.Equal("FROM python:3.12-slim\nUSER 10001\nEXPOSE 8080 443\nCMD gunicorn -b 0.0.0.0:8080 app:app\n", Apply(text, finding));
        Assert.Contains("But no `--port`, `--bind` or `PORT` setting in this Dockerfile names the port 443: make the application listen on 8443 (from 443)", finding.Fix!.Description);
    }

    [Fact]
    public void Root_image_that_the_fix_makes_non_root_is_reported_too()
    {
        Reports("RB004", "FROM debian:bookworm-slim\nEXPOSE 80\nCMD x\n", line: 2);
    }

    [Fact]
    public void High_ports_ranges_and_step_down_images_are_not_reported()
    {
        DoesNotReport("RB004", "FROM node:20\nUSER node\nEXPOSE 8080 3000-3010\n");
        DoesNotReport("RB004", "FROM postgres:16\nEXPOSE 80\n");
    }

    [Fact]
    public void Port_from_a_variable_is_fixed_where_the_variable_is_set()
    {
        var text = "FROM node:20\nENV PORT=80\nUSER node\nEXPOSE $PORT\n";
        Assert.Equal("FROM node:20\nENV PORT=8080\nUSER node\nEXPOSE $PORT\n", Apply(text, Reports("RB004", text, line: 4)));
    }

    [Fact]
    public void Port_from_a_build_arg_is_reported_without_a_fix()
    {
        Assert.Null(Reports("RB004", "FROM node:20\nARG PORT=80\nUSER node\nEXPOSE ${PORT}\n", line: 4).Fix);
    }

    [Fact]
    public void Multi_line_expose_is_fixed_line_by_line()
    {
        var text = "FROM node:20\nUSER node\nEXPOSE 80 \\\n  443\nENV PORT=80 TLS_PORT=443\n";
        Assert.Equal("FROM node:20\nUSER node\nEXPOSE 8080 \\\n  8443\nENV PORT=8080 TLS_PORT=8443\n", Apply(text, Reports("RB004", text, line: 3)));
    }

    [Fact]
    public void Listen_address_in_cmd_and_env_moves_with_the_port()
    {
        var text = "FROM python:3.12-slim\nENV PORT=80\nUSER 10001\nEXPOSE 80\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:80\", \"app:app\"]\n";
        Assert.Equal(
            "FROM python:3.12-slim\nENV PORT=8080\nUSER 10001\nEXPOSE 8080\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8080\", \"app:app\"]\n",
            Apply(text, Reports("RB004", text, line: 4)));
    }

    [Fact]
    public void Outgoing_urls_are_not_listen_addresses()
    {
        var text = "FROM node:20\nUSER node\nENV UPSTREAM=http://api.internal:80/v1\nEXPOSE 80\n";
        Assert.Null(Reports("RB004", text, line: 4).Fix);
    }

    [Theory]
    [InlineData("CMD app --port 80", "CMD app --port 8080")]
    [InlineData("CMD app --http-port=80", "CMD app --http-port=8080")]
    [InlineData("CMD [\"app\", \"--port\", \"80\"]", "CMD [\"app\", \"--port\", \"8080\"]")]
    [InlineData("CMD app --listen 80", "CMD app --listen 8080")]
    [InlineData("ENV HTTP_PORT 80", "ENV HTTP_PORT 8080")]
    [InlineData("ENTRYPOINT [\"app\", \"-b\", \"[::]:80\"]", "ENTRYPOINT [\"app\", \"-b\", \"[::]:8080\"]")]
    public void Every_form_of_listen_setting_moves_with_the_port(string line, string moved)
    {
        // Guards the cheap test that decides which lines the listen expression reads.
        var text = $"FROM node:20\nUSER node\nEXPOSE 80\n{line}\n";
        Assert.Equal($"FROM node:20\nUSER node\nEXPOSE 8080\n{moved}\n", Apply(text, Reports("RB004", text, line: 3)));
    }
}
