using ReviewBot.Analysis;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Configuration.Tests;

/// <summary>The config's images: (what an organisation's own base images run as) and the organisation's .github config under each repository's.</summary>
public class ImagesConfigTests
{
    private const string ImagesExample = """
        images:
          - match: "registry.acme.io/golden/*"
            user: app
            distro: debian
          - match: registry.acme.io/tools/**
            user: ""
        """;

    private const string Golden = "FROM registry.acme.io/golden/python:3.12\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n";

    [Fact]
    public void Images_declarations_parse_in_order()
    {
        var result = RepositoryConfig.Parse(ImagesExample);

        Assert.Empty(result.Errors);
        Assert.Equal(
            [new ImageDeclaration("registry.acme.io/golden/*", "app", DistroFamily.Debian), new ImageDeclaration("registry.acme.io/tools/**", "", DistroFamily.Unknown)],
            result.Config.Images.ToArray());
    }

    [Fact]
    public void The_acme_example_passes_once_its_golden_image_is_declared()
    {
        Assert.Contains(DockerfileAnalyzer.Analyze(Golden).Findings, f => f.RuleId == "RB001");

        var options = RepositoryConfig.Parse(ImagesExample).Config.ToAnalyzerOptions();

        Assert.DoesNotContain(DockerfileAnalyzer.Analyze(Golden, options).Findings, f => f.RuleId == "RB001");
    }

    [Theory]
    [InlineData("images: { match: x, user: app }", "must be a list")]
    [InlineData("images: [ { match: x } ]", "needs match and user")]
    [InlineData("images: [ { user: app } ]", "needs match and user")]
    [InlineData("images: [ { match: x, user: app, distro: plan9 } ]", "plan9")]
    [InlineData("images: [ { match: 'x:1.0 y', user: app } ]", "not an image glob")]
    [InlineData("images: [ { match: x, user: 'app; rm -rf /' } ]", "not a user name")]
    [InlineData("images: [ { match: x, user: app, shell: sh } ]", "unknown key")]
    public void Bad_images_entries_are_errors_and_are_dropped(string yaml, string expected)
    {
        var result = RepositoryConfig.Parse(yaml);

        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Empty(result.Config.Images);
    }

    [Fact]
    public void A_null_user_means_root()
    {
        var result = RepositoryConfig.Parse("images:\n  - match: x/*\n    user:\n");

        Assert.Empty(result.Errors);
        Assert.Equal("", Assert.Single(result.Config.Images).User);
    }

    [Fact]
    public void The_repository_config_merges_over_the_organisations_key_by_key()
    {
        const string Organisation = "fix: { user: acme, numeric: true }\nimages:\n  - { match: 'registry.acme.io/golden/*', user: app, distro: debian }\n";
        const string Repository = "fix: { user: web }\nimages:\n  - { match: 'registry.acme.io/golden/*', user: root }\n  - { match: 'ghcr.io/acme/*', user: '1000' }\n";

        var result = RepositoryConfig.ParseMerged(Organisation, Repository);

        Assert.Empty(result.Errors);
        Assert.Equal("web", result.Config.FixUser);
        Assert.True(result.Config.FixNumeric); // the organisation's, not set by the repository
        // The organisation's entry stays first, so the repository adds images but cannot override the organisation's.
        Assert.Equal(["registry.acme.io/golden/*", "registry.acme.io/golden/*", "ghcr.io/acme/*"], result.Config.Images.Select(i => i.Match));
        Assert.Equal("app", result.Config.Images[0].User);
        Assert.DoesNotContain(DockerfileAnalyzer.Analyze(Golden, result.Config.ToAnalyzerOptions()).Findings, f => f.RuleId == "RB001");
    }

    [Fact]
    public void An_empty_images_in_the_repository_keeps_the_organisations()
    {
        var result = RepositoryConfig.ParseMerged("images: [ { match: 'a/*', user: app } ]", "images:\nrules: { disable: [RB005] }\n");

        Assert.Empty(result.Errors);
        Assert.Single(result.Config.Images);
        Assert.Contains("RB005", result.Config.DisabledRules);
    }

    [Fact]
    public void Errors_of_the_organisations_config_say_whose_they_are()
    {
        var result = RepositoryConfig.ParseMerged("fix: { uid: 0 }", "review: { event: shout }");

        Assert.Contains(result.Errors, e => e.StartsWith("the organisation's config", StringComparison.Ordinal) && e.Contains("fix.uid", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("line 1: review.event", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_an_organisation_config_the_repositorys_is_read_alone()
    {
        Assert.Equal(RepositoryConfig.Parse(ImagesExample).Config.Images.ToArray(), RepositoryConfig.ParseMerged(null, ImagesExample).Config.Images.ToArray());
        Assert.Equal(RepositoryConfig.Parse(ImagesExample).Config.Images.ToArray(), RepositoryConfig.ParseMerged(ImagesExample, null).Config.Images.ToArray());
    }
}
