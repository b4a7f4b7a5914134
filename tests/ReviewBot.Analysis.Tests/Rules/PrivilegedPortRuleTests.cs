using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

public class PrivilegedPortRuleTests
{
    [Fact]
    public void Port_80_in_a_non_root_image_moves_to_8080()
    {
        var text = "FROM node:20\nUSER node\nEXPOSE 80 443/tcp 3000\n";
        var finding = Reports("RB004", text, line: 3);
        Assert.Contains("-p 80:8080", finding.Message);
        Assert.Equal("FROM node:20\nUSER node\nEXPOSE 8080 8443/tcp 3000\n", Apply(text, finding));
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
    public void Port_from_a_variable_is_reported_without_a_fix()
    {
        var finding = Reports("RB004", "FROM node:20\nENV PORT=80\nUSER node\nEXPOSE $PORT\n", line: 4);
        Assert.Null(finding.Fix);
    }

    [Fact]
    public void Multi_line_expose_is_fixed_line_by_line()
    {
        var text = "FROM node:20\nUSER node\nEXPOSE 80 \\\n  443\n";
        Assert.Equal("FROM node:20\nUSER node\nEXPOSE 8080 \\\n  8443\n", Apply(text, Reports("RB004", text, line: 3)));
    }
}
