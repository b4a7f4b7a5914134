using System.Text.Json;
using ReviewBot.Analysis;
using ReviewBot.Cli.Output;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Tests.Output;

public class FormatterTests
{
    private const string Text = "FROM debian:bookworm-slim\nCOPY app /app\nEXPOSE 80\nCMD [\"/app/run\"]\n";

    private static ScanReport Report(string root) => new(
        [
            new FileReport(
                "svc/Dockerfile",
                Path.Combine(root, "svc", "Dockerfile"),
                Text,
                [
                    Rules.Finding(Rules.Rb001, 1, 1, "The container runs as root.", new TextEdit(2, 1, "RUN groupadd -r appgroup && useradd -r -g appgroup appuser\n"), new TextEdit(4, 3, "USER appuser\n")),
                    Rules.Finding(Rules.Rb004, 3, 3, "Port 80 needs root.", new TextEdit(3, 3, "EXPOSE 8080\n")),
                ],
                [new ParseDiagnostic(7, "unterminated heredoc")]),
            new FileReport("clean/Dockerfile", Path.Combine(root, "clean", "Dockerfile"), "FROM scratch\nUSER 1000\n", [], []),
            FileReport.Unreadable("bad/Dockerfile", Path.Combine(root, "bad", "Dockerfile"), "not valid UTF-8 text"),
        ],
        root);

    private static readonly string Root = Path.Combine(Path.GetTempPath(), "repo root");

    [Fact]
    public void Text_has_one_line_per_finding_a_diff_and_a_summary()
    {
        var output = new StringWriter();
        new TextFormatter(useColor: false).Write(Report(Root), output);
        var lines = output.ToString().Split('\n');

        Assert.Contains("svc/Dockerfile:1 RB001 error: Container runs as root", lines);
        Assert.Contains("    The container runs as root.", lines);
        Assert.Contains("svc/Dockerfile:3 RB004 warning: Privileged port", lines);
        Assert.Contains("    Port 80 needs root.", lines);
        Assert.Contains("svc/Dockerfile:7 diagnostic: unterminated heredoc", lines);
        Assert.Contains("bad/Dockerfile error: not valid UTF-8 text", lines);
        Assert.Contains("    +USER appuser", lines);
        Assert.Contains("    -EXPOSE 80", lines);
        Assert.Contains("    +EXPOSE 8080", lines);
        Assert.Contains("    --- a/svc/Dockerfile", lines);
        Assert.Equal("2 Dockerfiles scanned, 1 with problems: 1 error, 1 warning; 1 file could not be read or written", lines[^2]);
        Assert.DoesNotContain('\e', output.ToString());
    }

    [Fact]
    public void Text_colors_only_when_asked()
    {
        var output = new StringWriter();
        new TextFormatter(useColor: true).Write(Report(Root), output);

        Assert.Contains("\e[31merror\e[0m", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_written_straight_to_a_utf8_stream_is_byte_identical_to_the_text_written()
    {
        var report = Report(Root) with
        {
            Files = [.. Report(Root).Files, new FileReport("ünïcode/Dockerfile", null, null, [Rules.Finding(Rules.Rb004, 2, 2, "Port 80 “needs” root <&>.")], [])],
        };
        var text = new StringWriter();
        JsonFormatter.Write(report, text);
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16, leaveOpen: true))
        {
            writer.Write("before ");
            JsonFormatter.Write(report, writer);
            writer.Write("after");
        }

        Assert.Equal("before " + text + "after", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Json_carries_the_message_as_plain_text_and_the_advice_beside_the_markdown()
    {
        var finding = new Finding(Rules.Rb004, Severity.Warning, new LineRange(3, 3), "`EXPOSE 80` is a port below 1024.") { Advice = "Make the application listen on 8080, then change `EXPOSE` to match." };
        var output = new StringWriter();
        JsonFormatter.Write(new ScanReport([new FileReport("Dockerfile", Path.Combine(Root, "Dockerfile"), "FROM a\n", [finding], [])], Root), output);
        using var json = JsonDocument.Parse(output.ToString());
        var written = json.RootElement.GetProperty("files")[0].GetProperty("findings")[0];

        Assert.Equal("`EXPOSE 80` is a port below 1024.", written.GetProperty("message").GetString());
        Assert.Equal("EXPOSE 80 is a port below 1024.", written.GetProperty("messageText").GetString());
        Assert.Equal("Make the application listen on 8080, then change `EXPOSE` to match.", written.GetProperty("advice").GetString());
    }

    [Fact]
    public void Json_has_the_contract_shape()
    {
        var output = new StringWriter();
        JsonFormatter.Write(Report(Root), output);
        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;

        Assert.Equal(1, root.GetProperty("version").GetInt32());
        var files = root.GetProperty("files");
        Assert.Equal(3, files.GetArrayLength());
        var svc = files[0];
        Assert.Equal("svc/Dockerfile", svc.GetProperty("path").GetString());
        var finding = svc.GetProperty("findings")[0];
        Assert.Equal("RB001", finding.GetProperty("ruleId").GetString());
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal(1, finding.GetProperty("startLine").GetInt32());
        Assert.Equal(1, finding.GetProperty("endLine").GetInt32());
        Assert.Equal("The container runs as root.", finding.GetProperty("message").GetString());
        Assert.False(finding.TryGetProperty("advice", out _));
        var fix = finding.GetProperty("fix");
        Assert.Equal("fix RB001", fix.GetProperty("description").GetString());
        var insertion = fix.GetProperty("edits")[1];
        Assert.Equal(4, insertion.GetProperty("startLine").GetInt32());
        Assert.Equal(3, insertion.GetProperty("endLine").GetInt32());
        Assert.Equal("USER appuser\n", insertion.GetProperty("newText").GetString());
        Assert.Equal("warning", svc.GetProperty("findings")[1].GetProperty("severity").GetString());
        Assert.Equal(7, svc.GetProperty("diagnostics")[0].GetProperty("line").GetInt32());
        Assert.Equal(0, files[1].GetProperty("findings").GetArrayLength());
        Assert.Equal("not valid UTF-8 text", files[2].GetProperty("error").GetString());
    }

    [Fact]
    public void Sarif_has_what_github_code_scanning_requires()
    {
        var output = new StringWriter();
        new SarifFormatter([Rules.Rb001]).Write(Report(Root), output);
        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;

        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", root.GetProperty("$schema").GetString());
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("ReviewBot", driver.GetProperty("name").GetString());

        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(["RB001", "RB004"], rules.Select(r => r.GetProperty("id").GetString()));
        var rb001 = rules[0];
        Assert.Equal("RootUser", rb001.GetProperty("name").GetString());
        Assert.Equal("Container runs as root", rb001.GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.False(string.IsNullOrWhiteSpace(rb001.GetProperty("fullDescription").GetProperty("text").GetString()));
        Assert.Contains("# hadolint ignore=DL3002", rb001.GetProperty("help").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("# checkov:skip=CKV_DOCKER_3", rb001.GetProperty("help").GetProperty("markdown").GetString(), StringComparison.Ordinal);
        Assert.Contains("# trivy:ignore:DS002", rb001.GetProperty("help").GetProperty("markdown").GetString(), StringComparison.Ordinal);
        Assert.Equal("error", rb001.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        Assert.Contains("security", rb001.GetProperty("properties").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.True(double.Parse(rb001.GetProperty("properties").GetProperty("security-severity").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 7);

        Assert.Equal(new Uri(Root + Path.DirectorySeparatorChar).AbsoluteUri, run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString());

        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        var result = results[0];
        Assert.Equal("RB001", result.GetProperty("ruleId").GetString());
        Assert.Equal(0, result.GetProperty("ruleIndex").GetInt32());
        Assert.Equal("error", result.GetProperty("level").GetString());
        Assert.Equal("The container runs as root.", result.GetProperty("message").GetProperty("text").GetString());
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("svc/Dockerfile", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
        Assert.Equal(1, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(1, location.GetProperty("region").GetProperty("endLine").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", result.GetProperty("partialFingerprints").GetProperty(SarifFormatter.FingerprintKey).GetString());
        Assert.NotEqual(
            result.GetProperty("partialFingerprints").GetProperty(SarifFormatter.FingerprintKey).GetString(),
            results[1].GetProperty("partialFingerprints").GetProperty(SarifFormatter.FingerprintKey).GetString());

        // Insertion before line 4: an empty region at (4,1). Replacement of line 3: (3,1)..(4,1).
        var replacements = result.GetProperty("fixes")[0].GetProperty("artifactChanges")[0].GetProperty("replacements");
        var insert = replacements[1];
        Assert.Equal((4, 1, 4, 1), Region(insert.GetProperty("deletedRegion")));
        Assert.Equal("USER appuser\n", insert.GetProperty("insertedContent").GetProperty("text").GetString());
        var replace = results[1].GetProperty("fixes")[0].GetProperty("artifactChanges")[0].GetProperty("replacements")[0];
        Assert.Equal((3, 1, 4, 1), Region(replace.GetProperty("deletedRegion")));
        Assert.Equal("warning", results[1].GetProperty("level").GetString());

        var invocation = run.GetProperty("invocations")[0];
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        Assert.Equal(2, invocation.GetProperty("toolExecutionNotifications").GetArrayLength());
    }

    [Fact]
    public void Sarif_fingerprints_do_not_change_when_lines_move()
    {
        string Fingerprint(string text, int line)
        {
            var report = new ScanReport([new FileReport("Dockerfile", Path.Combine(Root, "Dockerfile"), text, [Rules.Finding(Rules.Rb001, line, line, "m")], [])], Root);
            var output = new StringWriter();
            new SarifFormatter([]).Write(report, output);
            using var json = JsonDocument.Parse(output.ToString());
            return json.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("partialFingerprints").GetProperty(SarifFormatter.FingerprintKey).GetString()!;
        }

        Assert.Equal(Fingerprint("FROM debian\nUSER root\n", 2), Fingerprint("FROM debian\n# comment\nRUN x\nUSER root\n", 4));
        Assert.NotEqual(Fingerprint("FROM debian\nUSER root\n", 2), Fingerprint("FROM debian\nUSER 0\n", 2));
    }

    [Fact]
    public void Sarif_uris_are_escaped_and_files_outside_the_root_are_absolute()
    {
        var report = new ScanReport(
            [
                new FileReport("a b/Dockerfile", Path.Combine(Root, "a b", "Dockerfile"), "FROM a\n", [Rules.Finding(Rules.Rb001, 1, 1, "m")], []),
                new FileReport("/elsewhere/Dockerfile", "/elsewhere/Dockerfile", "FROM a\n", [Rules.Finding(Rules.Rb001, 1, 1, "m")], []),
            ],
            Root);
        var output = new StringWriter();
        new SarifFormatter([]).Write(report, output);
        using var json = JsonDocument.Parse(output.ToString());
        var results = json.RootElement.GetProperty("runs")[0].GetProperty("results");

        Assert.Equal("a%20b/Dockerfile", results[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        var outside = results[1].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation");
        Assert.Equal("file:///elsewhere/Dockerfile", outside.GetProperty("uri").GetString());
        Assert.False(outside.TryGetProperty("uriBaseId", out _));
    }

    private static (int, int, int, int) Region(JsonElement region) => (
        region.GetProperty("startLine").GetInt32(),
        region.GetProperty("startColumn").GetInt32(),
        region.GetProperty("endLine").GetInt32(),
        region.GetProperty("endColumn").GetInt32());
}
