using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ReviewBot.Cli.Tests.Shipping;

/// <summary>
/// tools/release/install.sh, the Action's install step, against a release laid out on disk (file://) or served on
/// loopback: it installs the archive whose SHA-256 the release lists, and refuses every other.
/// </summary>
public sealed class InstallScriptTests : IDisposable
{
    private const string Version = "1.2.3";
    private const string Asset = "reviewbot-linux-x64.tar.gz";
    private const string FakeBinary = "#!/bin/sh\necho fake reviewbot \"$@\"\n";

    private readonly TempFolder _temp = new();

    private string Releases => Path.Combine(_temp.Root, "releases");

    private string Dest => Path.Combine(_temp.Root, "bin");

    [Fact]
    public void Installs_the_archive_whose_checksum_the_release_lists()
    {
        var archive = Publish(Version, Archive(FakeBinary));

        var run = Install(Version, new Uri(Releases).AbsoluteUri);

        Assert.True(run.ExitCode == 0, run.ToString());
        var binary = Path.Combine(Dest, "reviewbot");
        Assert.Equal(binary, run.Out.Trim());
        Assert.Equal(FakeBinary, File.ReadAllText(binary));
        Assert.Contains($"path={binary}", File.ReadAllText(Path.Combine(_temp.Root, "github-output")), StringComparison.Ordinal);
        Assert.Contains(Dest, File.ReadAllText(Path.Combine(_temp.Root, "github-path")), StringComparison.Ordinal);
        Assert.Contains(Sha256(archive), run.Error, StringComparison.Ordinal);
        Assert.Equal("fake reviewbot rules\n", RepositoryFiles.Run(binary, _temp.Root, null, "rules").Out);
    }

    [Fact]
    public void A_v_prefixed_version_names_the_same_release()
    {
        Publish(Version, Archive(FakeBinary));

        var run = Install("v" + Version, new Uri(Releases).AbsoluteUri);

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public void An_archive_that_does_not_match_its_checksum_is_refused_and_not_installed()
    {
        Publish(Version, Archive(FakeBinary));
        // Swapped after the sums were written: what a tampered mirror or a corrupted download looks like.
        File.WriteAllBytes(Path.Combine(Releases, "download", "v" + Version, Asset), Archive("#!/bin/sh\necho evil\n"));

        var run = Install(Version, new Uri(Releases).AbsoluteUri);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refusing", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dest, "reviewbot")));
        Assert.False(File.Exists(Path.Combine(_temp.Root, "github-output")) && File.ReadAllText(Path.Combine(_temp.Root, "github-output")).Length > 0);
    }

    [Fact]
    public void A_pinned_checksum_must_match_too()
    {
        Publish(Version, Archive(FakeBinary));

        var run = Install(Version, new Uri(Releases).AbsoluteUri, pinned: new string('a', 64));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the workflow pinned", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dest, "reviewbot")));
    }

    [Fact]
    public void A_pinned_checksum_that_matches_installs()
    {
        var archive = Publish(Version, Archive(FakeBinary));

        var run = Install(Version, new Uri(Releases).AbsoluteUri, pinned: Sha256(archive).ToUpperInvariant());

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public void An_archive_the_sums_do_not_list_is_refused()
    {
        Publish(Version, Archive(FakeBinary));
        File.WriteAllText(Path.Combine(Releases, "download", "v" + Version, "SHA256SUMS"), $"{new string('0', 64)}  reviewbot-osx-arm64.tar.gz\n");

        var run = Install(Version, new Uri(Releases).AbsoluteUri);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("0 times", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dest, "reviewbot")));
    }

    [Fact]
    public void A_platform_without_a_release_binary_is_refused()
    {
        Publish(Version, Archive(FakeBinary));

        var run = Install(Version, new Uri(Releases).AbsoluteUri, runnerArch: "ARM");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no released reviewbot for Linux/ARM", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Latest_downloads_over_http_from_the_latest_release()
    {
        var archive = Archive(FakeBinary);
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/releases/latest/download/" + Asset).UsingGet())
            .RespondWith(Response.Create().WithBody(archive));
        server.Given(Request.Create().WithPath("/releases/latest/download/SHA256SUMS").UsingGet())
            .RespondWith(Response.Create().WithBody($"{Sha256(archive)}  {Asset}\n"));

        var run = Install("latest", server.Url + "/releases");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(FakeBinary, File.ReadAllText(Path.Combine(Dest, "reviewbot")));
    }

    [Fact]
    public void A_redirect_to_plain_http_is_not_followed()
    {
        var archive = Archive(FakeBinary);
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/releases/download/v1.2.3/SHA256SUMS").UsingGet())
            .RespondWith(Response.Create().WithBody($"{Sha256(archive)}  {Asset}\n"));
        server.Given(Request.Create().WithPath("/releases/download/v1.2.3/" + Asset).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", server.Url + "/storage/" + Asset));
        server.Given(Request.Create().WithPath("/storage/" + Asset).UsingGet())
            .RespondWith(Response.Create().WithBody(archive));

        var run = Install(Version, server.Url + "/releases");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("could not download", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.LogEntries, e => e.RequestMessage.Path.StartsWith("/storage/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_Action_runs_the_release_it_names_checked_against_the_sums_committed_with_it()
    {
        var archive = Publish(Version, Archive(FakeBinary));
        // The release's own sums are not what the Action trusts: a wrong one changes nothing.
        File.WriteAllText(Path.Combine(Releases, "download", "v" + Version, "SHA256SUMS"), $"{new string('0', 64)}  {Asset}\n");
        var action = ActionAt(Version, $"{Sha256(archive)}  {Asset}\n{new string('f', 64)}  reviewbot-win-x64.zip\n");

        var run = InstallAction(action, new Uri(Releases).AbsoluteUri);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(FakeBinary, File.ReadAllText(Path.Combine(Dest, "reviewbot")));
        Assert.Contains($"reviewbot {Version}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_asset_replaced_after_the_Action_was_released_is_refused_though_the_release_sums_agree()
    {
        var original = Archive(FakeBinary);
        var action = ActionAt(Version, $"{Sha256(original)}  {Asset}\n");
        // Whoever can replace the archive can replace the release's SHA256SUMS with it.
        Publish(Version, Archive("#!/bin/sh\necho evil\n"));

        var run = InstallAction(action, new Uri(Releases).AbsoluteUri);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the Action's own action.sha256sums", run.Error, StringComparison.Ordinal);
        Assert.Contains("refusing", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dest, "reviewbot")));
    }

    [Fact]
    public void A_commit_of_the_Action_that_names_no_release_refuses_rather_than_running_the_latest()
    {
        Publish(Version, Archive(FakeBinary));

        var run = InstallAction(ActionAt("", ""), new Uri(Releases).AbsoluteUri);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("names no reviewbot release", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dest, "reviewbot")));
    }

    [Fact]
    public void Another_version_than_the_Actions_own_is_checked_against_its_release_and_warned_about()
    {
        Publish(Version, Archive(FakeBinary));

        var run = InstallAction(ActionAt("1.0.0", $"{new string('0', 64)}  {Asset}\n"), new Uri(Releases).AbsoluteUri, version: Version);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("::warning::", run.Error, StringComparison.Ordinal);
    }

    /// <summary>A checkout of the Action at a commit: its action.version and action.sha256sums.</summary>
    private string ActionAt(string version, string sums)
    {
        var folder = Path.Combine(_temp.Root, "action");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "action.version"), version + "\n");
        File.WriteAllText(Path.Combine(folder, "action.sha256sums"), sums);
        return folder;
    }

    private ProcessRun InstallAction(string action, string releases, string version = "") =>
        RepositoryFiles.Run("bash", _temp.Root, Environment(releases, null, "X64", version), RepositoryFiles.PathOf("tools/release/install.sh"), "--action", action, Dest);

    [Fact]
    public void The_repositorys_Action_names_its_release_in_files_the_release_workflow_writes()
    {
        Assert.True(File.Exists(RepositoryFiles.PathOf("action.version")));
        Assert.True(File.Exists(RepositoryFiles.PathOf("action.sha256sums")));
        var workflow = File.ReadAllText(RepositoryFiles.PathOf(".github/workflows/release.yml"));
        Assert.Contains("action.version", workflow, StringComparison.Ordinal);
        Assert.Contains("action.sha256sums", workflow, StringComparison.Ordinal);
        Assert.Contains("--action \"$GITHUB_ACTION_PATH\"", File.ReadAllText(RepositoryFiles.PathOf("action.yml")), StringComparison.Ordinal);
    }

    private ProcessRun Install(string version, string releases, string? pinned = null, string runnerArch = "X64") =>
        RepositoryFiles.Run("bash", _temp.Root, Environment(releases, pinned, runnerArch, ""), RepositoryFiles.PathOf("tools/release/install.sh"), version, Dest);

    private Dictionary<string, string> Environment(string releases, string? pinned, string runnerArch, string version) => new()
    {
        ["REVIEWBOT_RELEASES"] = releases,
        ["REVIEWBOT_SHA256"] = pinned ?? "",
        ["REVIEWBOT_VERSION"] = version,
        ["RUNNER_OS"] = "Linux",
        ["RUNNER_ARCH"] = runnerArch,
        ["GITHUB_OUTPUT"] = Path.Combine(_temp.Root, "github-output"),
        ["GITHUB_PATH"] = Path.Combine(_temp.Root, "github-path"),
    };

    /// <summary>Lays out a release as GitHub serves it: download/vVERSION/{archive, SHA256SUMS}.</summary>
    private byte[] Publish(string version, byte[] archive)
    {
        var folder = Path.Combine(Releases, "download", "v" + version);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, Asset), archive);
        File.WriteAllText(Path.Combine(folder, "SHA256SUMS"), $"{new string('f', 64)}  reviewbot-win-x64.zip\n{Sha256(archive)}  {Asset}\n");
        return archive;
    }

    /// <summary>A release archive as tools/release/build.sh makes it: the binary and the README.</summary>
    private static byte[] Archive(string binary)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "reviewbot")
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(binary)),
            };
            tar.WriteEntry(entry);
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "README.md") { DataStream = new MemoryStream("# ReviewBot\n"u8.ToArray()) });
        }

        return buffer.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public void Dispose() => _temp.Dispose();
}
