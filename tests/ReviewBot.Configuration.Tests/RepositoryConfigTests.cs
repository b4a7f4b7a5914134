using ReviewBot.Analysis;
using ReviewBot.Analysis.Rules;

namespace ReviewBot.Configuration.Tests;

public class RepositoryConfigTests
{
    private const string FullExample = """
        rules:
          disable: [RB005]            # rule ids that do not run
          severity: { RB004: notice }  # per-rule severity override: error|warning|notice
        fix:
          user: appuser
          group: appgroup
          uid: 10001
          gid: 10001
          numeric: false
          chown: true
        paths:
          include: ["deploy/*.docker"]
          exclude: ["vendor/**"]
        review:
          event: comment
          drafts: true
        check:
          conclusion_on_error: failure
          on_error: failure
          suppressions: any
          fail_on: new
        """;

    private static RuleDescriptor Rule(string id, Severity severity) => new(id, severity, "t", "n", "w", "e", "f");

    private static Finding Finding(string id, Severity severity) => new(Rule(id, severity), severity, LineRange.Single(1), "m");

    [Fact]
    public void The_documented_example_parses_without_errors()
    {
        var result = RepositoryConfig.Parse(FullExample);

        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
        var config = result.Config;
        Assert.Equal(["RB005"], config.DisabledRules);
        Assert.Equal(Severity.Notice, config.SeverityOverrides["RB004"]);
        Assert.Equal(["deploy/*.docker"], config.Include.Select(g => g.Pattern));
        Assert.Equal(["vendor/**"], config.Exclude.Select(g => g.Pattern));
        Assert.Equal(ReviewEvent.Comment, config.ReviewEvent);
        Assert.True(config.ReviewDrafts);
        Assert.True(config.Onboarding);
        Assert.Equal(ErrorConclusion.Failure, config.ConclusionOnError);
    }

    [Fact]
    public void A_review_that_cannot_finish_fails_unless_check_on_error_says_neutral()
    {
        Assert.Equal(ErrorConclusion.Failure, RepositoryConfig.Default.OnError);

        var result = RepositoryConfig.Parse("check: { on_error: neutral }");

        Assert.Empty(result.Errors);
        Assert.Equal(ErrorConclusion.Neutral, result.Config.OnError);
        Assert.Equal(ErrorConclusion.Failure, result.Config.ConclusionOnError);
        Assert.Contains(RepositoryConfig.Parse("check: { on_error: success }").Errors, e => e.Contains("check.on_error: 'success' is not valid", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_fail_on_is_new_by_default_and_all_when_the_config_says_so()
    {
        Assert.Equal(FailOn.New, RepositoryConfig.Default.FailOn);

        var result = RepositoryConfig.Parse("check:\n  fail_on: all\n");

        Assert.Empty(result.Errors);
        Assert.Equal(FailOn.All, result.Config.FailOn);
        var bad = RepositoryConfig.Parse("check:\n  fail_on: changed\n");
        Assert.Equal(FailOn.New, bad.Config.FailOn);
        Assert.Contains(bad.Errors, e => e.Contains("line 2: check.fail_on: 'changed' is not valid (expected new or all)", StringComparison.Ordinal));
        Assert.Equal(FailOn.All, RepositoryConfig.ParseMerged("check: { fail_on: all }", "check: { on_error: neutral }").Config.FailOn);
    }

    [Fact]
    public void Check_suppressions_is_any_by_default_and_base_when_the_config_says_so()
    {
        Assert.Equal(SuppressionPolicy.Any, RepositoryConfig.Default.Suppressions);

        var result = RepositoryConfig.Parse("check:\n  suppressions: base\n");

        Assert.Empty(result.Errors);
        Assert.Equal(SuppressionPolicy.Base, result.Config.Suppressions);
        var bad = RepositoryConfig.Parse("check:\n  suppressions: never\n");
        Assert.Equal(SuppressionPolicy.Any, bad.Config.Suppressions);
        Assert.Contains(bad.Errors, e => e.Contains("line 2: check.suppressions: 'never' is not valid (expected any or base)", StringComparison.Ordinal));
    }

    [Fact]
    public void Non_default_values_reach_the_analyzer_options()
    {
        var result = RepositoryConfig.Parse("""
            rules:
              disable: [rb002, RB006]
            fix:
              user: svc
              group: svcgrp
              uid: 2000
              gid: 3000
              numeric: true
              chown: false
            review: { event: request_changes, drafts: false }
            check: { conclusion_on_error: neutral }
            onboarding: false
            """);

        Assert.Empty(result.Errors);
        Assert.False(result.Config.Onboarding);
        var options = result.Config.ToAnalyzerOptions();
        Assert.Equal("svc", options.UserName);
        Assert.Equal("svcgrp", options.GroupName);
        Assert.Equal(2000, options.Uid);
        Assert.Equal(3000, options.Gid);
        Assert.True(options.Numeric);
        Assert.False(options.Chown);
        Assert.True(options.DisabledRules.SetEquals(["RB002", "RB006"]));
        Assert.Contains("rb006", options.DisabledRules);
        Assert.Equal(ReviewEvent.RequestChanges, result.Config.ReviewEvent);
        Assert.False(result.Config.ReviewDrafts);
        Assert.Equal(ErrorConclusion.Neutral, result.Config.ConclusionOnError);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n# only a comment\n")]
    [InlineData("~")]
    [InlineData("rules:\nfix:\n")]
    public void Empty_files_and_sections_give_the_defaults(string yaml)
    {
        var result = RepositoryConfig.Parse(yaml);

        Assert.Empty(result.Errors);
        Assert.Equal(AnalyzerOptions.Default with { DisabledRules = result.Config.DisabledRules }, result.Config.ToAnalyzerOptions());
        Assert.Empty(result.Config.DisabledRules);
    }

    [Theory]
    [InlineData("rules:\n  disabel: [RB005]\n", "line 2", "unknown key 'rules.disabel'")]
    [InlineData("fixes:\n  user: a\n", "line 1", "unknown key 'fixes'")]
    [InlineData("fix:\n  uid: 0\n", "line 2", "0 is root")]
    [InlineData("fix:\n  uid: -5\n", "line 2", "fix.uid: '-5' is not valid")]
    [InlineData("fix:\n  gid: lots\n", "line 2", "fix.gid: 'lots' is not valid")]
    [InlineData("fix:\n  uid: 99999999999\n", "line 2", "fix.uid")]
    [InlineData("fix:\n  user: \"a; rm -rf /\"\n", "line 2", "fix.user")]
    [InlineData("fix:\n  user: root\n", "line 2", "'root' would keep")]
    [InlineData("fix:\n  group: Admins\n", "line 2", "fix.group: 'Admins' is not a valid name")]
    [InlineData("fix:\n  numeric: maybe\n", "line 2", "fix.numeric: 'maybe' is not valid (expected true or false)")]
    [InlineData("fix:\n  openshift: yes please\n", "line 2", "fix.openshift: 'yes please' is not valid (expected true or false)")]
    [InlineData("fix:\n  chown: [true]\n", "line 2", "fix.chown must be true or false")]
    [InlineData("rules:\n  severity: { RB004: fatal }\n", "line 2", "rules.severity.RB004: 'fatal' is not valid (expected error or warning or notice)")]
    [InlineData("rules:\n  severity: [RB004]\n", "line 2", "rules.severity must be a mapping")]
    [InlineData("rules:\n  disable: [DL3002]\n", "line 2", "'DL3002' is not a rule id")]
    [InlineData("rules:\n  disable: { RB001: true }\n", "line 2", "rules.disable must be a list")]
    [InlineData("review:\n  event: approve\n", "line 2", "review.event: 'approve' is not valid (expected comment or request_changes)")]
    [InlineData("check:\n  conclusion_on_error: success\n", "line 2", "check.conclusion_on_error: 'success' is not valid")]
    [InlineData("paths:\n  include: [\"\"]\n", "line 2", "paths.include: '': an empty glob matches nothing")]
    [InlineData("- rules\n", "line 1", "the config must be a mapping")]
    [InlineData("rules: [RB001]\n", "line 1", "rules must be a mapping with keys disable, severity")]
    [InlineData("fix:\n  user: a\n  user: b\n", "line 3", "invalid YAML")]
    [InlineData("fix:\n  user: [unclosed\n", "line", "invalid YAML")]
    public void Bad_input_gives_a_clear_error_with_its_line(string yaml, string line, string message)
    {
        var result = RepositoryConfig.Parse(yaml);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith(line, error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void A_bad_value_falls_back_to_its_default_and_keeps_the_good_ones()
    {
        var result = RepositoryConfig.Parse("""
            fix:
              user: svc
              uid: zero
              numeric: true
            unknown: 1
            """);

        Assert.Equal(2, result.Errors.Length);
        Assert.Equal("svc", result.Config.FixUser);
        Assert.Equal(RepositoryConfig.Default.FixUid, result.Config.FixUid);
        Assert.True(result.Config.FixNumeric);
    }

    [Fact]
    public void Several_errors_are_all_reported_in_order()
    {
        var result = RepositoryConfig.Parse("rules:\n  disable: [X1]\nfix:\n  uid: 0\nreview:\n  event: nope\n");

        Assert.Equal(["line 2", "line 4", "line 6"], result.Errors.Select(e => e[..6]));
    }

    [Fact]
    public void Parse_never_throws_on_hostile_yaml()
    {
        string[] inputs =
        [
            "a: &a [*a]",
            "{{{{",
            "\t\tkey: value",
            "rules: !!binary AAAA",
            "rules:\n  disable: &x [RB001]\nfix: *x\n",
            "%YAML 9.9\n---\nrules: {}",
            new string('[', 5000),
            "---\nrules: {}\n---\nfix: {}\n",
            "\0\u0001",
        ];

        foreach (var input in inputs)
        {
            var result = RepositoryConfig.Parse(input);
            Assert.NotNull(result.Config);
        }
    }

    [Fact]
    public void A_second_document_is_reported()
    {
        var result = RepositoryConfig.Parse("---\nrules: {}\n---\nfix: {}\n");

        Assert.Contains(result.Errors, e => e.Contains("only one YAML document", StringComparison.Ordinal));
    }

    [Fact]
    public void Severity_overrides_apply_to_every_finding_of_the_rule()
    {
        var config = RepositoryConfig.Parse("rules:\n  severity: { RB004: notice, rb001: warning }\n  disable: [RB005]\n").Config;

        Assert.Equal(Severity.Notice, config.ApplySeverity(Finding("RB004", Severity.Warning)));
        Assert.Equal(Severity.Warning, config.ApplySeverity(Finding("RB001", Severity.Error)));
        Assert.Equal(Severity.Warning, config.ApplySeverity(Finding("RB001", Severity.Notice)));
        Assert.Equal(Severity.Notice, config.ApplySeverity(Finding("RB003", Severity.Notice)));

        var applied = config.Apply([Finding("RB004", Severity.Warning), Finding("RB005", Severity.Warning), Finding("RB002", Severity.Warning)]);
        Assert.Equal(["RB004", "RB002"], applied.Select(f => f.RuleId));
        Assert.Equal([Severity.Notice, Severity.Warning], applied.Select(f => f.Severity));
    }

    [Theory]
    [InlineData("Dockerfile", true)]
    [InlineData("services/api/Dockerfile.prod", true)]
    [InlineData("build\\web.dockerfile", true)]
    [InlineData("deploy/app.docker", true)]
    [InlineData("./deploy/app.docker", true)]
    [InlineData("deploy/sub/app.docker", false)]
    [InlineData("other/app.docker", false)]
    [InlineData("vendor/lib/Dockerfile", false)]
    [InlineData("vendor/Dockerfile", false)]
    [InlineData("src/vendor/Dockerfile", true)]
    [InlineData("README.md", false)]
    public void IsIncluded_combines_dockerfile_names_with_the_globs(string path, bool expected)
    {
        var config = RepositoryConfig.Parse(FullExample).Config;

        Assert.Equal(expected, config.IsIncluded(path));
    }

    [Fact]
    public void Default_config_includes_exactly_the_dockerfile_names()
    {
        Assert.True(RepositoryConfig.Default.IsIncluded("a/b/Containerfile"));
        Assert.False(RepositoryConfig.Default.IsIncluded("a/b/Dockerfile-old"));
    }

    [Fact]
    public void RB007_cannot_be_disabled_or_downgraded()
    {
        var result = RepositoryConfig.Parse("rules:\n  disable: [RB007]\n  severity: { RB007: notice }\n");

        Assert.Equal(2, result.Errors.Count(e => e.Contains("RB007 cannot be disabled or downgraded", StringComparison.Ordinal)));
        Assert.DoesNotContain("RB007", result.Config.DisabledRules);
        var finding = Assert.Single(DockerfileAnalyzer.Analyze("docker/spec").Findings);
        var forced = RepositoryConfig.Default with { DisabledRules = ["RB007"], SeverityOverrides = System.Collections.Immutable.ImmutableDictionary<string, Severity>.Empty.Add("RB007", Severity.Notice) };
        Assert.Equal(Severity.Error, Assert.Single(forced.Apply([finding])).Severity);
    }

    [Fact]
    public void Fix_openshift_reaches_the_engine_and_is_off_by_default()
    {
        var result = RepositoryConfig.Parse("fix:\n  openshift: true\n");

        Assert.Empty(result.Errors);
        Assert.True(result.Config.ToAnalyzerOptions().OpenShift);
        Assert.False(RepositoryConfig.Default.ToAnalyzerOptions().OpenShift);
    }
}
