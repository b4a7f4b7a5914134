using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Fixes;

/// <summary>
/// <c>fix.openshift: true</c> (issue 22 item 5): the fix runs under OpenShift's arbitrary uid in group 0, as its image
/// guidelines say: files owned by group 0, folders group-writable (<c>chgrp -R 0</c>, <c>chmod -R g=u</c>), the user in
/// group 0 and a HOME that group can write.
/// </summary>
public class OpenShiftFixTests
{
    private static readonly AnalyzerOptions OpenShift = new() { OpenShift = true };

    [Fact]
    public void Debian_creates_the_user_in_group_0_and_hands_the_folders_to_the_group()
    {
        const string Dockerfile = "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY worker.sh ./\nCOPY data/ ./data/\nVOLUME /var/lib/app\nCMD [\"sh\", \"/app/worker.sh\"]\n";

        string fixedText = FixAll(Dockerfile, OpenShift);

        Assert.Contains("useradd -r -g 0 --no-create-home appuser", fixedText);
        Assert.DoesNotContain("groupadd", fixedText);
        Assert.Contains("COPY --chown=appuser:0 worker.sh ./", fixedText);
        Assert.Contains("COPY --chown=appuser:0 data/ ./data/", fixedText);
        Assert.Contains("chgrp -R 0 /app /var/lib/app /home/appuser", fixedText);
        Assert.Contains("chmod -R g=u /app /var/lib/app /home/appuser", fixedText);
        Assert.Contains("mkdir -p /home/appuser", fixedText);
        Assert.Contains("ENV HOME=/home/appuser\nUSER appuser\n", fixedText);
        // The group's rights come after the last COPY, so the copied files get them too.
        Assert.True(fixedText.IndexOf("chmod -R g=u", StringComparison.Ordinal) > fixedText.IndexOf("COPY --chown=appuser:0 data/", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_option_the_fix_is_unchanged()
    {
        string fixedText = FixAll("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nCMD [\"/app/run\"]\n");

        Assert.Contains("groupadd -r appgroup", fixedText);
        Assert.DoesNotContain("chgrp", fixedText);
        Assert.DoesNotContain("HOME", fixedText);
    }

    [Fact]
    public void Alpine_adds_the_user_to_the_root_group_and_numeric_keeps_gid_0()
    {
        string fixedText = FixAll("FROM alpine:3.20\nWORKDIR /srv\nCOPY . .\nCMD [\"/srv/run\"]\n", OpenShift with { Numeric = true });

        Assert.Contains("adduser -S -u 10001 -G root -H -D appuser", fixedText);
        Assert.Contains("USER 10001:0", fixedText);
        Assert.Contains("COPY --chown=appuser:0 . .", fixedText);
        Assert.Contains("chmod -R g=u /srv /home/appuser", fixedText);
    }

    [Fact]
    public void A_user_the_image_ships_gets_group_0_files_too()
    {
        string fixedText = FixAll("FROM node:20-slim\nWORKDIR /usr/src/app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n", OpenShift);

        Assert.Contains("COPY --chown=node:0 . .", fixedText);
        Assert.Contains("chgrp -R 0 /usr/src/app /home/node", fixedText);
        Assert.Contains("ENV HOME=/home/node\nUSER node", fixedText);
    }

    [Fact]
    public void Rb003_names_group_0_too()
    {
        var finding = Reports("RB003", "FROM debian:bookworm-slim\nRUN useradd -r app\nWORKDIR /app\nUSER app\nCOPY . .\n", line: 5, OpenShift);

        Assert.Contains("--chown=app:0", Apply("FROM debian:bookworm-slim\nRUN useradd -r app\nWORKDIR /app\nUSER app\nCOPY . .\n", finding));
    }
}
