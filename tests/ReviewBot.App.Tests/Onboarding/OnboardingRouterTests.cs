using System.Text.Json;
using System.Text.Json.Nodes;
using ReviewBot.App.Queue;
using ReviewBot.App.Webhooks;

namespace ReviewBot.App.Tests.Onboarding;

/// <summary>Installation events, from GitHub's own examples (@octokit/webhooks-examples), become one onboarding item per repository.</summary>
public sealed class OnboardingRouterTests
{
    /// <summary>The examples of one event and action, as GitHub documents them.</summary>
    internal static JsonNode Example(string eventName, string action) => WebhookExamples.Example(eventName, action);

    private static WebhookDecision Route(string eventName, JsonNode payload, bool onboarding = true) =>
        WebhookRouter.Route(eventName, "d-1", JsonSerializer.SerializeToElement(payload), onboarding);

    [Fact]
    public void Installation_created_queues_each_selected_repository_once()
    {
        var payload = Example("installation", "created");
        payload["repositories"]!.AsArray().Add(new JsonObject { ["full_name"] = "Codertocat/api", ["name"] = "api" });

        var work = Route("installation", payload).Work;

        Assert.Equal(["Codertocat/Hello-World", "Codertocat/api"], work.Select(w => $"{w.Owner}/{w.Repo}"));
        Assert.All(work, w => Assert.Equal((WorkKind.Onboard, payload["installation"]!["id"]!.GetValue<long>(), 0, ""), (w.Kind, w.InstallationId, w.PullNumber, w.HeadSha)));
        Assert.Equal(2, work.Select(w => w.PullRequestKey).Distinct().Count());
    }

    [Fact]
    public void Repositories_added_to_an_installation_are_queued()
    {
        var work = Route("installation_repositories", Example("installation_repositories", "added")).Work;

        var item = Assert.Single(work);
        Assert.Equal(("Codertocat", "Space", "installation_repositories.added"), (item.Owner, item.Repo, item.Reason));
    }

    [Fact]
    public void Nothing_is_queued_when_onboarding_is_off()
    {
        var decision = Route("installation", Example("installation", "created"), onboarding: false);

        Assert.Empty(decision.Work);
        Assert.Contains("off", decision.IgnoredBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void An_installation_without_contents_write_is_skipped_not_retried()
    {
        var payload = Example("installation", "created");
        payload["installation"]!["permissions"]!["contents"] = "read";

        var decision = Route("installation", payload);

        Assert.Empty(decision.Work);
        Assert.Contains("contents: write", decision.IgnoredBecause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("installation", "deleted")]
    [InlineData("installation_repositories", "removed")]
    public void Other_installation_actions_queue_nothing(string eventName, string action)
    {
        Assert.Empty(Route(eventName, Example(eventName, action)).Work);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("Codertocat/a/b")]
    [InlineData("Codertocat/<img>")]
    public void A_repository_name_that_is_not_GitHubs_makes_the_payload_malformed(string fullName)
    {
        var payload = Example("installation", "created");
        payload["repositories"]![0]!["full_name"] = fullName;

        Assert.Throws<FormatException>(() => Route("installation", payload));
    }
}
