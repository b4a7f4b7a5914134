using ReviewBot.Analysis;
using ReviewBot.Configuration;
using ReviewBot.GitHub.Onboarding;
using ReviewBot.GitHub.Tests.Review;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests.Onboarding;

public class OnboardingPlannerTests
{
    private const string Root = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";

    private const string Clean = "FROM python:3.12-slim\nRUN useradd -r app\nUSER app\nCMD [\"python\", \"app.py\"]\n";

    [Fact]
    public void A_repository_with_nothing_to_fix_gets_nothing()
    {
        var plan = OnboardingPlanner.Plan([new("Dockerfile", Clean)], RepositoryConfig.Default);

        Assert.False(plan.HasChanges);
        Assert.Equal("", plan.Body);
    }

    [Fact]
    public void Each_root_Dockerfile_is_rewritten_to_end_as_a_non_root_user()
    {
        var plan = OnboardingPlanner.Plan([new("svc/Dockerfile", Root), new("Dockerfile", Clean)], RepositoryConfig.Default);

        var change = Assert.Single(plan.Changes);
        Assert.Equal("svc/Dockerfile", change.Path);
        var after = DockerfileAnalyzer.Analyze(change.NewText).Findings;
        Assert.DoesNotContain(after, f => f.RuleId == "RB001");
        Assert.Contains("RB001", change.RuleIds);
        Assert.StartsWith(OnboardingPlan.Marker, plan.Body, StringComparison.Ordinal);
        Assert.Contains("`svc/Dockerfile`", plan.Body, StringComparison.Ordinal);
        Assert.Contains("docker run", plan.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_body_says_plainly_that_volumes_the_root_image_wrote_keep_root_ownership()
    {
        // Issue 22 item 3: an image with a VOLUME gets it handed to the new user, but data already in a volume is not.
        var plan = OnboardingPlanner.Plan([new("Dockerfile", Root.Replace("COPY . .\n", "COPY . .\nVOLUME /app/data\n", StringComparison.Ordinal))], RepositoryConfig.Default);

        Assert.Contains("keep root's ownership", Assert.Single(Assert.Single(plan.Changes).Descriptions), StringComparison.Ordinal);
        Assert.Contains("chown -R", plan.Body, StringComparison.Ordinal);
        Assert.Contains("init container", plan.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fix_uses_the_repositorys_configured_user()
    {
        var config = RepositoryConfig.Parse("fix: { user: web, group: web }").Config;

        var plan = OnboardingPlanner.Plan([new("Dockerfile", Root)], config);

        Assert.Contains("USER web", Assert.Single(plan.Changes).NewText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_was_not_read_is_named_in_the_body_not_passed_silently()
    {
        var plan = OnboardingPlanner.Plan([new("Dockerfile", Root), new("big/Dockerfile", null, "over 4 MiB")], RepositoryConfig.Default);

        Assert.Equal("big/Dockerfile", Assert.Single(plan.Skipped).Path);
        Assert.Contains("### Not fixed here", plan.Body, StringComparison.Ordinal);
        Assert.Contains("- `big/Dockerfile`: not checked, over 4 MiB", plan.Body, StringComparison.Ordinal);
    }

    /// <summary>A Debian app whose fix also moves its port and drops an installed sudo, a web app, a sudo the fix cannot drop, an unread file.</summary>
    private static OnboardingPlan SamplePlan()
    {
        var debian = File.ReadAllText(Path.Combine(RepoRoot.Find(), "samples", "debian-app", "Dockerfile")).ReplaceLineEndings("\n");
        const string Tools = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y sudo\nRUN sudo -u nobody true\nCOPY app /app\nCMD [\"/app/run\"]\n";
        return OnboardingPlanner.Plan(
            [new("debian-app/Dockerfile", debian), new("web/Dockerfile", Root), new("tools/Dockerfile", Tools), new("vendor/Dockerfile", null, "over 4 MiB")],
            RepositoryConfig.Default);
    }

    [Fact]
    public void The_onboarding_body_reads_as_approved() =>
        Approval.Verify("ReviewBot.GitHub.Tests", "onboarding.body.md", SamplePlan().Body);

    [Fact]
    public void The_body_has_a_summary_a_table_of_users_real_headings_and_a_checklist()
    {
        var body = SamplePlan().Body;

        Assert.StartsWith(OnboardingPlan.Marker + "\n3 Dockerfiles run their containers as root on the default branch;", body, StringComparison.Ordinal);
        Assert.Contains("| File | Runs as | Now runs as | Also changed |", body, StringComparison.Ordinal);
        Assert.Contains("| `web/Dockerfile` | `root` | `appuser` | — |", body, StringComparison.Ordinal);
        Assert.Matches(@"\| `debian-app/Dockerfile` \| `root` \| `appuser` \| port 80 → 8080; \[RB004 · Privileged port in a non-root image\]\(https://[^)]+/RB004\.md\); \[RB005 · sudo in the image\]", body);
        Assert.DoesNotMatch(@"(?m)^\*\*[^*]+\*\*$", body); // no bold line standing in for a heading
        Assert.Contains("### Before merging\n\n- [ ] ", body, StringComparison.Ordinal);
        Assert.Contains("### If you close this pull request", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Rules: RB", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_moved_port_is_a_warning_with_what_to_update()
    {
        var body = SamplePlan().Body;

        Assert.Contains("> [!WARNING]\n> **Ports move.** `debian-app/Dockerfile` now listens on 8080 instead of 80.", body, StringComparison.Ordinal);
        Assert.Contains("`docker run -p 80:8080`, compose `ports: [\"80:8080\"]`, a Kubernetes Service `targetPort: 8080`", body, StringComparison.Ordinal);
        Assert.Contains("- [ ] Port mappings", body, StringComparison.Ordinal);

        var quiet = OnboardingPlanner.Plan([new("Dockerfile", Root)], RepositoryConfig.Default).Body;
        Assert.DoesNotContain("[!WARNING]", quiet, StringComparison.Ordinal);
        Assert.DoesNotContain("Port mappings", quiet, StringComparison.Ordinal);
    }

    [Fact]
    public void What_the_commit_leaves_alone_is_said_with_its_rule()
    {
        var plan = SamplePlan();

        // tools/Dockerfile calls sudo, so the install is not dropped either: the user is fixed, sudo is said to remain.
        Assert.Equal([("tools/Dockerfile", "RB005", 2), ("tools/Dockerfile", "RB005", 3)], plan.LeftAlone.Select(l => (l.Path, l.Finding.RuleId, l.Finding.Range.Start)));
        Assert.Contains("- `tools/Dockerfile` line 2: [RB005 · sudo in the image](", plan.Body, StringComparison.Ordinal);
        Assert.Contains("- `tools/Dockerfile` line 3: [RB005 · sudo in the image](", plan.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_docker_actions_fixed_dockerfile_is_judged_as_the_action_it_builds_after_the_fix_too()
    {
        // The action's image starts as root on purpose. Onboarding drops its sudo (RB005's fix) and then read the fixed
        // text as if no action built it: "runs as root" (RB001) was left alone as an error, asking for the USER that
        // would break the action, where the same file without sudo gets the notice that it is the action's image.
        const string Action = "FROM ubuntu:22.04\nRUN sudo apt-get update\nENTRYPOINT [\"/entrypoint.sh\"]\n";

        var plan = OnboardingPlanner.Plan([new("Dockerfile", Action)], RepositoryConfig.Default, actionImages: new Dictionary<string, string> { ["Dockerfile"] = "action.yml" });

        Assert.DoesNotContain("sudo", Assert.Single(plan.Changes).NewText, StringComparison.Ordinal);
        var left = Assert.Single(plan.LeftAlone).Finding;
        Assert.Equal(("RB001", Severity.Notice), (left.RuleId, left.Severity));
        Assert.Contains("`action.yml`", left.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_paths_stay_in_code_spans_and_the_body_fits_GitHubs_limit()
    {
        var files = Enumerable.Range(0, 400)
            .Select(i => new OnboardingFile($"@octocat <img src=x> [x](http://e) {new string('`', i % 7)} {new string('a', 900)}/{i}/Dockerfile", Root))
            .ToList();

        var plan = OnboardingPlanner.Plan(files, RepositoryConfig.Default);

        Assert.Equal(400, plan.Changes.Length);
        Assert.True(plan.Body.Length <= GitHubLimits.BodyLength);
        MarkdownChecker.AssertSafe(plan.Body[OnboardingPlan.Marker.Length..]);
        Assert.Contains("more files", plan.Body, StringComparison.Ordinal);
    }
}
