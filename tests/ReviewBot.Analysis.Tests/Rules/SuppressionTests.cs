namespace ReviewBot.Analysis.Tests.Rules;

/// <summary>A pragma silences a finding visibly: the result keeps the finding with its pragma, and against a base it says who added the pragma.</summary>
public sealed class SuppressionTests
{
    private const string Suppressed = "FROM debian:bookworm-slim\n# hadolint ignore=DL3002\nUSER root\n";

    [Fact]
    public void A_suppressed_finding_is_reported_as_suppressed_with_its_pragma()
    {
        var result = DockerfileAnalyzer.Analyze(Suppressed);

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001");
        var suppressed = Assert.Single(result.Suppressed);
        Assert.Equal("RB001", suppressed.Finding.RuleId);
        Assert.Equal(3, suppressed.Finding.Range.Start);
        Assert.Equal(new Pragma(2, "# hadolint ignore=DL3002"), suppressed.Pragma);
        Assert.Equal(PragmaOrigin.Unknown, suppressed.Origin);
        Assert.False(suppressed.Ignored);
    }

    [Fact]
    public void A_file_wide_pragma_is_named_for_each_finding_it_silences()
    {
        var result = DockerfileAnalyzer.Analyze("# checkov:skip=CKV_DOCKER_3 root by design\nFROM debian:bookworm-slim\nUSER root\nRUN x\nUSER 0\n");

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001");
        Assert.NotEmpty(result.Suppressed);
        Assert.All(result.Suppressed, s => Assert.Equal(new Pragma(1, "# checkov:skip=CKV_DOCKER_3 root by design"), s.Pragma));
    }

    [Fact]
    public void Against_a_base_without_the_pragma_it_is_added_and_still_honoured_by_default()
    {
        var result = DockerfileAnalyzer.Analyze(Suppressed, new AnalyzerOptions { Baseline = PragmaBaseline.Of("FROM debian:bookworm-slim\nUSER root\n") });

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001");
        Assert.Equal(PragmaOrigin.Added, Assert.Single(result.Suppressed).Origin);
    }

    [Fact]
    public void With_base_pragmas_only_an_added_pragma_is_ignored_and_the_finding_counts()
    {
        var options = new AnalyzerOptions { Baseline = PragmaBaseline.Empty, BaselinePragmasOnly = true };

        var result = DockerfileAnalyzer.Analyze(Suppressed, options);

        var finding = Assert.Single(result.Findings, f => f.RuleId == "RB001");
        Assert.Equal(3, finding.Range.Start);
        var suppressed = Assert.Single(result.Suppressed);
        Assert.True(suppressed.Ignored);
        Assert.Equal(PragmaOrigin.Added, suppressed.Origin);
        Assert.Same(finding, suppressed.Finding);
    }

    [Fact]
    public void A_pragma_the_base_has_is_matched_by_content_wherever_lines_moved()
    {
        // The base had the pragma above line 5; the change adds lines before it and re-spaces it.
        var baseText = "FROM debian:bookworm-slim\nRUN a\nRUN b\n# hadolint ignore=DL3002\nUSER root\n";
        var head = "FROM debian:bookworm-slim\nRUN new\n#  Hadolint  ignore=DL3002\nUSER root\n";

        var result = DockerfileAnalyzer.Analyze(head, new AnalyzerOptions { Baseline = PragmaBaseline.Of(baseText), BaselinePragmasOnly = true });

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001");
        var suppressed = Assert.Single(result.Suppressed);
        Assert.Equal(PragmaOrigin.Base, suppressed.Origin);
        Assert.False(suppressed.Ignored);
    }

    [Fact]
    public void A_copy_of_a_base_pragma_is_added_one_base_pragma_vouches_for_one()
    {
        var baseText = "FROM debian:bookworm-slim\n# reviewbot ignore=RB005\nRUN sudo a\nUSER nobody\n";
        var head = "FROM debian:bookworm-slim\n# reviewbot ignore=RB005\nRUN sudo a\n# reviewbot ignore=RB005\nRUN sudo b\nUSER nobody\n";

        var result = DockerfileAnalyzer.Analyze(head, new AnalyzerOptions { Baseline = PragmaBaseline.Of(baseText), BaselinePragmasOnly = true });

        Assert.Equal([PragmaOrigin.Base, PragmaOrigin.Added], result.Suppressed.Where(s => s.Finding.RuleId == "RB005").Select(s => s.Origin));
        Assert.Equal(5, Assert.Single(result.Findings, f => f.RuleId == "RB005").Range.Start);
    }

    [Fact]
    public void A_different_rule_id_in_the_base_does_not_vouch_for_the_pragma()
    {
        var result = DockerfileAnalyzer.Analyze(Suppressed, new AnalyzerOptions { Baseline = PragmaBaseline.Of("FROM x\n# hadolint ignore=DL3008\nRUN apt-get install y\n"), BaselinePragmasOnly = true });

        Assert.Single(result.Findings, f => f.RuleId == "RB001");
    }

    [Fact]
    public void Suppressed_findings_are_capped_and_the_rest_counted()
    {
        var text = "FROM debian:bookworm-slim\n" + string.Concat(Enumerable.Repeat("# reviewbot ignore=RB005\nRUN sudo x\n", 30)) + "USER nobody\n";

        var result = DockerfileAnalyzer.Analyze(text, new AnalyzerOptions { MaxFindingsPerFile = 10 });

        Assert.Equal(10, result.Suppressed.Length);
        Assert.Equal(20, result.SuppressedOmitted);
        Assert.Equal(3, result.Suppressed[0].Finding.Range.Start);
    }

    [Fact]
    public void A_pragma_past_the_cap_is_listed_and_the_findings_after_it_counted()
    {
        // 12 sudo lines; the cap is 5, so the rule counts lines past the fifth without writing them, except the one a
        // pragma names: it is listed (ignored under base-only pragmas) and counted among the omitted, as if written.
        var lines = Enumerable.Range(0, 12).Select(i => i == 8 ? "# reviewbot ignore=RB005\nRUN sudo x\n" : "RUN sudo x\n");
        var text = "FROM debian:bookworm-slim\n" + string.Concat(lines) + "USER nobody\n";

        var result = DockerfileAnalyzer.Analyze(text, new AnalyzerOptions { MaxFindingsPerFile = 5, Baseline = PragmaBaseline.Empty, BaselinePragmasOnly = true });

        var listed = Assert.Single(result.Suppressed);
        Assert.True(listed.Ignored);
        Assert.Equal(11, listed.Finding.Range.Start);
        Assert.Equal(5, result.Findings.Count(f => f.RuleId == "RB005"));
        Assert.Equal(7, result.Omitted.Single(o => o.RuleId == "RB005").Count);
    }
}
