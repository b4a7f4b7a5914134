
namespace ReviewBot.Configuration.Tests;

public class PathGlobTests
{
    [Theory]
    [InlineData("deploy/*.docker", "deploy/a.docker", true)]
    [InlineData("deploy/*.docker", "deploy/.docker", true)]
    [InlineData("deploy/*.docker", "deploy/x/a.docker", false)]
    [InlineData("deploy/*.docker", "a/deploy/a.docker", false)]
    [InlineData("*.docker", "a.docker", true)]
    [InlineData("*.docker", "sub/a.docker", false)]
    [InlineData("**/*.docker", "a.docker", true)]
    [InlineData("**/*.docker", "x/y/z/a.docker", true)]
    [InlineData("vendor/**", "vendor/a", true)]
    [InlineData("vendor/**", "vendor/a/b/c", true)]
    [InlineData("vendor/**", "vendors/a", false)]
    [InlineData("vendor/**", "src/vendor/a", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/xb", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("img?/Dockerfile", "img1/Dockerfile", true)]
    [InlineData("img?/Dockerfile", "img12/Dockerfile", false)]
    [InlineData("img?/Dockerfile", "img/Dockerfile", false)]
    [InlineData("a**b/c", "axyzb/c", true)]
    [InlineData("a**b/c", "ax/yb/c", false)]
    [InlineData("docs/(v1)+[x].docker", "docs/(v1)+[x].docker", true)]
    [InlineData("docs/(v1)+[x].docker", "docs/v1x.docker", false)]
    [InlineData("/deploy/*.docker", "deploy/a.docker", true)]
    [InlineData("deploy/*.docker", "Deploy/a.docker", false)]
    [InlineData("deploy\\*.docker", "deploy/a.docker", true)]
    public void Matches_like_a_repository_glob(string pattern, string path, bool expected)
    {
        var glob = PathGlob.TryCreate(pattern, out var error);

        Assert.Null(error);
        Assert.NotNull(glob);
        Assert.Equal(expected, glob.IsMatch(path));
    }

    [Fact]
    public void Matching_stays_fast_on_pathological_patterns()
    {
        var glob = PathGlob.TryCreate(string.Concat(Enumerable.Repeat("*a", 30)) + "/**/**/**/b", out _)!;

        Assert.False(glob.IsMatch(new string('a', 5000) + "/c"));
    }
}
