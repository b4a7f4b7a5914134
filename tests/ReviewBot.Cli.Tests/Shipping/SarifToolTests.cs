using System.Text.Json;
using ReviewBot.Analysis;
using ReviewBot.Cli.Output;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Tests.Shipping;

public class SarifToolTests
{
    [Fact]
    public void Sarif_names_the_tools_home_and_each_rules_page()
    {
        var root = Path.Combine(Path.GetTempPath(), "repo");
        var report = new ScanReport([new FileReport("Dockerfile", Path.Combine(root, "Dockerfile"), "FROM debian\n", [Rules.Finding(Rules.Rb001, 1, 1, "root")], [])], root);
        var output = new StringWriter();
        new SarifFormatter([Rules.Rb001, Rules.Rb004]).Write(report, output);

        using var json = JsonDocument.Parse(output.ToString());
        var driver = json.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver");

        // Microsoft's SARIF validator (SARIF2005) warns when tool.driver.informationUri is missing.
        Assert.True(driver.TryGetProperty("informationUri", out var information), "tool.driver.informationUri is missing");
        var home = new Uri(information.GetString()!, UriKind.Absolute);
        Assert.Equal("https", home.Scheme);

        foreach (var rule in driver.GetProperty("rules").EnumerateArray())
        {
            var id = rule.GetProperty("id").GetString()!;
            Assert.Equal($"{home.AbsoluteUri.TrimEnd('/')}/blob/main/docs/rules/{id}.md", rule.GetProperty("helpUri").GetString());
            Assert.True(File.Exists(RepositoryFiles.PathOf($"docs/rules/{id}.md")), $"docs/rules/{id}.md");
        }
    }
}
