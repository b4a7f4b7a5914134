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
    public void Installation_created_queues_one_item_that_lists_the_installations_repositories_whatever_their_number()
    {
        var payload = Example("installation", "created");
        for (int i = 0; i < 500; i++)
        {
            payload["repositories"]!.AsArray().Add(new JsonObject { ["full_name"] = $"Codertocat/repo-{i}", ["name"] = $"repo-{i}" });
        }

        var item = Assert.IsType<InstallationPageWork>(Assert.Single(Route("installation", payload).Work));

        Assert.Equal((payload["installation"]!["id"]!.GetValue<long>(), "Codertocat", 1), (item.InstallationId, item.Account, item.Page));
        Assert.Null(item.Repositories); // read from GET /installation/repositories, page by page
    }

    [Fact]
    public void An_all_repositories_installation_is_listed_even_when_the_payload_names_none()
    {
        var payload = Example("installation", "created");
        payload["installation"]!["repository_selection"] = "all";
        payload["repositories"] = new JsonArray();

        var item = Assert.IsType<InstallationPageWork>(Assert.Single(Route("installation", payload).Work));

        Assert.Null(item.Repositories);
    }

    [Fact]
    public void Repositories_added_to_an_installation_are_carried_in_one_item()
    {
        var item = Assert.IsType<InstallationPageWork>(Assert.Single(Route("installation_repositories", Example("installation_repositories", "added")).Work));

        Assert.Equal(("Codertocat", "installation_repositories.added"), (item.Account, item.Reason));
        Assert.Equal(["Codertocat/Space"], item.Repositories!);
    }

    [Fact]
    public void More_repositories_added_than_a_message_carries_are_listed_instead()
    {
        var payload = Example("installation_repositories", "added");
        var added = payload["repositories_added"]!.AsArray();
        for (int i = 0; i < WebhookRouter.MaxCarriedRepositories; i++)
        {
            added.Add(new JsonObject { ["full_name"] = $"Codertocat/repo-{i}", ["name"] = $"repo-{i}" });
        }

        var item = Assert.IsType<InstallationPageWork>(Assert.Single(Route("installation_repositories", payload).Work));

        Assert.Null(item.Repositories);
    }

    [Fact]
    public void The_largest_carried_list_fits_an_azure_queue_message()
    {
        var names = Enumerable.Range(0, WebhookRouter.MaxCarriedRepositories).Select(i => new string('o', 39) + "/" + new string('r', 96) + i.ToString("D4")).ToList();
        var item = new InstallationPageWork(Guid.NewGuid().ToString(), long.MaxValue, new string('o', 39), 1, "installation_repositories.added", names);

        var text = ReviewBot.App.Azure.WorkItemMessage.Serialize(item);

        Assert.Equal(names, Assert.IsType<InstallationPageWork>(ReviewBot.App.Azure.WorkItemMessage.TryDeserialize(text, out _)).Repositories!);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(text) < 64 * 1024 / 2, $"{text.Length} bytes");
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
