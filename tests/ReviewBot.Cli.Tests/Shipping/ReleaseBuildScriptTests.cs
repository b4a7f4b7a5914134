using System.Security.Cryptography;

namespace ReviewBot.Cli.Tests.Shipping;

/// <summary>
/// tools/release/build.sh, the parts that need no Native AOT toolchain: the sums the Action checks downloads against,
/// and the version a release may carry. (The linux-x64 Native AOT build itself is proven by hand; see docs/releasing.md.)
/// </summary>
public sealed class ReleaseBuildScriptTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Checksums_lists_every_archive_and_package_in_sha256sum_format()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["reviewbot-linux-x64.tar.gz"] = [1, 2, 3],
            ["reviewbot-win-x64.zip"] = [4, 5],
            ["reviewbot.1.2.3.nupkg"] = [6],
        };
        foreach (var (name, bytes) in files)
        {
            _temp.WriteBytes(name, bytes);
        }

        _temp.Write("notes.txt", "not a release asset");

        var run = Build("checksums");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = File.ReadAllLines(Path.Combine(_temp.Root, "SHA256SUMS"));
        Assert.Equal(
            files.Select(f => $"{Convert.ToHexStringLower(SHA256.HashData(f.Value))}  {f.Key}").Order(StringComparer.Ordinal),
            lines.Order(StringComparer.Ordinal));
        var check = RepositoryFiles.Run("sha256sum", _temp.Root, null, "-c", "SHA256SUMS");
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public void Checksums_of_an_empty_folder_is_an_error_not_an_empty_file()
    {
        var run = Build("checksums");

        Assert.Equal(2, run.ExitCode);
        Assert.False(File.Exists(Path.Combine(_temp.Root, "SHA256SUMS")) && new FileInfo(Path.Combine(_temp.Root, "SHA256SUMS")).Length == 0);
    }

    [Theory]
    [InlineData("v1.2.3")]
    [InlineData("1.2")]
    [InlineData("1.2.3; rm -rf /")]
    [InlineData("")]
    public void A_version_that_is_not_semver_is_refused_before_anything_builds(string version)
    {
        var run = Build("pack", version);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not like 1.2.3", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp.Root, "*.nupkg"));
    }

    private ProcessRun Build(params string[] args) =>
        RepositoryFiles.Run("bash", _temp.Root, new Dictionary<string, string> { ["OUT"] = _temp.Root }, [RepositoryFiles.PathOf("tools/release/build.sh"), .. args]);

    public void Dispose() => _temp.Dispose();
}
