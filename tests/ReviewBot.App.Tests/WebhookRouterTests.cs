using System.Text.Json;
using ReviewBot.App.Webhooks;

namespace ReviewBot.App.Tests;

/// <summary>What the router takes from real payloads into the work item.</summary>
public sealed class WebhookRouterTests
{
    [Fact]
    public void A_pull_request_event_carries_its_base_ref_and_draft_so_the_run_need_not_get_the_pull_request()
    {
        var payload = AppHost.Payload("pull_request.opened");
        payload["pull_request"]!["draft"] = true;

        var item = Assert.Single(WebhookRouter.Route("pull_request", "d-1", JsonSerializer.SerializeToElement(payload)).Work);

        Assert.Equal((GitHubFake.BaseRef, true, GitHubFake.HeadSha), (item.BaseRef, item.Draft, item.HeadSha));
    }

    [Fact]
    public void A_check_suite_event_leaves_them_unknown()
    {
        var item = Assert.Single(WebhookRouter.Route("check_suite", "d-2", JsonSerializer.SerializeToElement(AppHost.Payload("check_suite.rerequested"))).Work);

        Assert.Null(item.BaseRef);
        Assert.Null(item.Draft);
    }
}
