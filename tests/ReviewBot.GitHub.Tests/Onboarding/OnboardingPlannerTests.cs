using ReviewBot.Analysis;
using ReviewBot.GitHub.Configuration;
using ReviewBot.GitHub.Onboarding;
using ReviewBot.GitHub.Tests.Review;

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
        Assert.Contains("**Not checked**", plan.Body, StringComparison.Ordinal);
        Assert.Contains("`big/Dockerfile`", plan.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_paths_stay_in_code_spans_and_the_body_fits_GitHubs_limit()
    {
        var files = Enumerable.Range(0, 400)
            .Select(i => new OnboardingFile($"@octocat <img src=x> [x](http://e) {new string('`', i % 7)} {new string('a', 900)}/{i}/Dockerfile", Root))
            .ToList();

        var plan = OnboardingPlanner.Plan(files, RepositoryConfig.Default);

        Assert.Equal(400, plan.Changes.Length);
        Assert.True(plan.Body.Length <= OnboardingPlanner.MaxBodyLength);
        MarkdownChecker.AssertSafe(plan.Body[OnboardingPlan.Marker.Length..]);
        Assert.Contains("more files", plan.Body, StringComparison.Ordinal);
    }
}
