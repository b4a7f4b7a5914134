using Xunit.Abstractions;

namespace ReviewBot.Analysis.Tests;

/// <summary>
/// The shared corpus of real Dockerfiles: scanning all of them never crashes, and notable verdicts stay put.
/// </summary>
public class CorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void Scanning_every_corpus_file_never_throws()
    {
        if (SharedCorpus.Directory is null)
        {
            output.WriteLine(SharedCorpus.AbsentMessage);
            return;
        }

        int files = 0, findings = 0;
        foreach (var path in SharedCorpus.Files())
        {
            var result = DockerfileAnalyzer.Analyze(File.ReadAllText(path));
            files++;
            findings += result.Findings.Length;
        }

        output.WriteLine($"{files} files, {findings} findings");
        Assert.True(files >= 1000, $"only {files} corpus files found");
    }

    [Theory]
    // Official images that start as root and step down with gosu: a notice, never a fix that breaks them.
    [InlineData("docker-library-redis/7.2/alpine/Dockerfile", "RB001", "notice", "gosu")]
    [InlineData("docker-library-postgres/16/trixie/Dockerfile", "RB001", "notice", "step-down")]
    // Runs as root and nothing drops it: an error with the Debian fix.
    [InlineData("docker-library-python/3.12/slim-bookworm/Dockerfile", "RB001", "error", "groupadd")]
    // Creates node (uid 1000) but never switches to it: the fix reuses it.
    [InlineData("nodejs-docker-node/22/bookworm-slim/Dockerfile", "RB001", "error", "USER node")]
    public void Notable_corpus_verdicts(string file, string rule, string severity, string expected)
    {
        var result = Analyze(file);
        if (result is null)
        {
            return;
        }

        var finding = Assert.Single(result.Findings, f => f.RuleId == rule);
        Assert.Equal(severity, finding.Severity.ToString().ToLowerInvariant());
        string text = finding.Message + "\n" + string.Concat(finding.Fix?.Edits.Select(e => e.NewText) ?? []);
        Assert.Contains(expected, text);
    }

    [Theory]
    // USER $UID with ARG UID=101, FROM $IMAGE with a default: both resolve, no root, nothing unknown.
    [InlineData("nginxinc-docker-nginx-unprivileged/mainline/debian/Dockerfile")]
    // Windows: ContainerAdministrator for the build, ContainerUser at the end.
    [InlineData("docker-library-golang/1.27/windows/nanoserver-ltsc2022/Dockerfile")]
    // .NET: USER $APP_UID from the image's own ENV; chiseled images default to it.
    [InlineData("dotnet-dotnet-docker/samples/aspnetapp/Dockerfile.alpine")]
    [InlineData("dotnet-dotnet-docker/samples/aspnetapp/Dockerfile.chiseled")]
    public void Corpus_images_that_run_as_non_root_are_clean(string file)
    {
        var result = Analyze(file);
        if (result is null)
        {
            return;
        }

        Assert.DoesNotContain(result.Findings, f => f.RuleId is "RB001" or "RB002" or "RB006");
    }

    private AnalysisResult? Analyze(string file)
    {
        if (SharedCorpus.Directory is null)
        {
            output.WriteLine(SharedCorpus.AbsentMessage);
            return null;
        }

        return DockerfileAnalyzer.Analyze(File.ReadAllText(Path.Combine(SharedCorpus.Directory, file)));
    }
}
