using System.IO.Compression;
using System.Xml.Linq;

namespace ReviewBot.Cli.Tests.Shipping;

/// <summary>
/// `dotnet pack` makes the package people find in the feed and install with `dotnet tool install reviewbot`:
/// id reviewbot (it was ReviewBot.Cli, installed as reviewbot.cli), the README shown on its page, its metadata.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void The_tool_package_is_reviewbot_with_the_readme_and_installs_as_reviewbot()
    {
        var feed = Path.Combine(_temp.Root, "feed");
        // The CLI is already built (this project references it): pack that build, as the release workflow packs its own.
        var pack = RepositoryFiles.Run("dotnet", RepositoryFiles.Root, null,
            "pack", RepositoryFiles.PathOf("src/ReviewBot.Cli/ReviewBot.Cli.csproj"), "--no-build", "-c", RepositoryFiles.Configuration,
            "-o", feed, "--nologo", "-v", "q", "-p:Version=9.8.7");
        Assert.True(pack.ExitCode == 0, pack.ToString());

        var package = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
        Assert.Equal("reviewbot.9.8.7.nupkg", Path.GetFileName(package));
        using (var zip = ZipFile.OpenRead(package))
        {
            var nuspec = XDocument.Load(zip.GetEntry("reviewbot.nuspec")!.Open());
            var ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            Assert.Equal("reviewbot", metadata.Element(ns + "id")?.Value);
            Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
            Assert.StartsWith("https://github.com/", metadata.Element(ns + "projectUrl")?.Value, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value));
            Assert.Contains("dockerfile", metadata.Element(ns + "tags")?.Value ?? "", StringComparison.Ordinal);
            Assert.Equal("DotnetTool", metadata.Descendants(ns + "packageType").Single().Attribute("name")?.Value);

            using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
            Assert.Equal(File.ReadAllText(RepositoryFiles.PathOf("README.md")), readme.ReadToEnd());

            var settings = zip.Entries.Single(e => e.Name == "DotnetToolSettings.xml");
            var command = XDocument.Load(settings.Open()).Descendants("Command").Single();
            Assert.Equal("reviewbot", command.Attribute("Name")?.Value);
        }

        // Installed from that folder alone (the config clears every other source, so no network).
        var config = _temp.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(_temp.Root, "tools");
        var install = RepositoryFiles.Run("dotnet", _temp.Root, null, "tool", "install", "reviewbot", "--tool-path", tools, "--configfile", config, "--version", "9.8.7");
        Assert.True(install.ExitCode == 0, install.ToString());

        var rules = RepositoryFiles.Run(Path.Combine(tools, OperatingSystem.IsWindows() ? "reviewbot.exe" : "reviewbot"), _temp.Root, null, "rules");
        Assert.True(rules.ExitCode == 0, rules.ToString());
        Assert.Contains("RB001", rules.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
