using ReviewBot.Analysis;
using ReviewBot.Cli.Output;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Tests.Scanning;

/// <summary>Findings over the engine's per-file cap are summarized in every format, never silently dropped.</summary>
public class OmittedOutputTests
{
    private static ScanReport Report()
    {
        var root = Path.GetTempPath();
        var file = new FileReport("Dockerfile", Path.Combine(root, "Dockerfile"), "FROM debian\n", [], []) { Omitted = [new OmittedFindings("RB004", 2950)] };
        return new ScanReport([file], root);
    }

    [Fact]
    public void Text_json_and_sarif_say_how_many_findings_were_left_out()
    {
        var text = new StringWriter();
        new TextFormatter(useColor: false).Write(Report(), text);
        var json = new StringWriter();
        JsonFormatter.Write(Report(), json);
        var sarif = new StringWriter();
        new SarifFormatter([]).Write(Report(), sarif);

        Assert.Contains("RB004 × 2,950", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"omitted\":[{\"ruleId\":\"RB004\",\"count\":2950}]", json.ToString(), StringComparison.Ordinal);
        Assert.Contains("RB004 \\u00D7 2,950", sarif.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
