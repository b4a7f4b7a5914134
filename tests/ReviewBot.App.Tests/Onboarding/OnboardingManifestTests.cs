using ReviewBot.App.Setup;

namespace ReviewBot.App.Tests.Onboarding;

/// <summary>Least privilege: the App asks for contents: write only when onboarding (which commits) is on.</summary>
public class OnboardingManifestTests
{
    private static readonly string Yaml = File.ReadAllText(Path.Combine(RepoRoot.Find(), "app-manifest.yml"));

    [Fact]
    public void The_default_manifest_reads_contents_only()
    {
        var manifest = AppManifest.Load(Yaml, new Uri("https://reviewbot.example.com/"));

        Assert.Equal("read", manifest["default_permissions"]!["contents"]!.GetValue<string>());
    }

    [Fact]
    public void With_onboarding_on_the_manifest_asks_to_write_contents_and_keeps_the_rest()
    {
        var manifest = AppManifest.Load(Yaml, new Uri("https://reviewbot.example.com/"), onboarding: true);

        var permissions = manifest["default_permissions"]!;
        Assert.Equal("write", permissions["contents"]!.GetValue<string>());
        Assert.Equal("write", permissions["pull_requests"]!.GetValue<string>());
        Assert.Equal("write", permissions["checks"]!.GetValue<string>());
    }
}
