using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Fixes;

/// <summary>Issue 22 item 3: the paths the repository's manifests mount into the image are handed to the new user, as VOLUME's are.</summary>
public class MountPathFixTests
{
    private const string Dockerfile = "FROM debian:bookworm-slim\nCOPY app /app\nCMD [\"/app/run\"]\n";

    [Fact]
    public void Mounted_paths_are_made_and_owned_by_the_new_user_and_the_fix_says_old_volumes_keep_root()
    {
        var options = AnalyzerOptions.Default with { MountPaths = ["/var/lib/app", "/srv/data dir/", "/tmp/cache", "/etc", "${DATA}", "/app"] };
        var finding = Reports("RB001", Dockerfile, line: 1, options);

        Assert.Equal(
            "FROM debian:bookworm-slim\nRUN groupadd -r appgroup && useradd -r -g appgroup --no-create-home appuser && mkdir -p /var/lib/app '/srv/data dir' /app && chown appuser:appgroup /var/lib/app '/srv/data dir' /app\nCOPY --chown=appuser:appgroup app /app\nUSER appuser\nCMD [\"/app/run\"]\n",
            Apply(Dockerfile, finding));
        Assert.Contains("keep root's ownership", finding.Fix!.Description);
        Assert.Contains("`docker run --rm -u 0 -v VOLUME:/var/lib/app IMAGE chown -R appuser:appgroup /var/lib/app`", finding.Fix.Description);
    }

    [Fact]
    public void Without_mounts_or_volumes_the_fix_says_nothing_of_volumes()
    {
        var finding = Reports("RB001", Dockerfile, line: 1);
        Assert.DoesNotContain("volume", finding.Fix!.Description, StringComparison.OrdinalIgnoreCase);
    }
}
