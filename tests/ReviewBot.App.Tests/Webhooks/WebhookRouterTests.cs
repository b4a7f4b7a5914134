using System.Text.Json;
using ReviewBot.App.Queue;
using ReviewBot.App.Webhooks;
using ReviewBot.GitHub.Checks;

namespace ReviewBot.App.Tests.Webhooks;

/// <summary>What the router takes from real payloads into the work item.</summary>
public sealed class WebhookRouterTests
{
    [Fact]
    public void A_pull_request_event_carries_its_base_ref_and_draft_so_the_run_need_not_get_the_pull_request()
    {
        var payload = AppHost.Payload("pull_request.opened");
        payload["pull_request"]!["draft"] = true;

        var item = Assert.IsType<ReviewWork>(Assert.Single(WebhookRouter.Route("pull_request", "d-1", JsonSerializer.SerializeToElement(payload)).Work));

        Assert.Equal((GitHubFake.BaseRef, true, GitHubFake.HeadSha), (item.BaseRef, item.Draft, item.HeadSha));
        Assert.Equal(GitHubFake.BaseSha, item.BaseSha); // the base commit: the config and the changes are read there, not at the branch
    }

    [Fact]
    public void A_base_sha_not_shaped_like_a_commit_makes_the_payload_malformed()
    {
        var payload = AppHost.Payload("pull_request.opened");
        payload["pull_request"]!["base"]!["sha"] = "master";

        Assert.Throws<FormatException>(() => WebhookRouter.Route("pull_request", "d-9", JsonSerializer.SerializeToElement(payload)));
    }

    [Fact]
    public void Pull_request_and_push_events_say_when_the_head_was_asked_for()
    {
        // GitHub's own payloads: updated_at is ISO 8601, a push's repository.pushed_at is Unix seconds.
        var review = Assert.IsType<ReviewWork>(Assert.Single(WebhookRouter.Route("pull_request", "d-3", JsonSerializer.SerializeToElement(AppHost.Payload("pull_request.synchronize"))).Work));
        var push = Assert.IsType<BranchCheckWork>(Assert.Single(WebhookRouter.Route("push", "d-4", JsonSerializer.SerializeToElement(AppHost.Payload("push"))).Work));
        var rerun = Assert.IsType<ReviewWork>(Assert.Single(WebhookRouter.Route("check_suite", "d-5", JsonSerializer.SerializeToElement(AppHost.Payload("check_suite.rerequested"))).Work));

        Assert.Equal(DateTimeOffset.Parse("2019-05-15T15:20:33Z", System.Globalization.CultureInfo.InvariantCulture), review.RequestedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1557933657), push.RequestedAt);
        Assert.Null(rerun.RequestedAt);
    }

    [Fact]
    public void A_check_suite_event_leaves_them_unknown()
    {
        var item = Assert.IsType<ReviewWork>(Assert.Single(WebhookRouter.Route("check_suite", "d-2", JsonSerializer.SerializeToElement(AppHost.Payload("check_suite.rerequested"))).Work));

        Assert.Null(item.BaseRef);
        Assert.Null(item.BaseSha);
        Assert.Null(item.Draft);
    }

    /// <summary>GitHub's real check_run.rerequested names no pull request (a fork's, or a branch check): our external_id says what to run.</summary>
    [Theory]
    [InlineData("pr", 42)]
    [InlineData("branch", 0)]
    public void A_rerun_of_our_check_that_names_no_pull_request_runs_what_its_external_id_says(string of, int number)
    {
        var payload = AppHost.Payload("check_run.rerequested");
        payload["check_run"]!["name"] = CheckRunPlan.Name;
        var rerun = of == "pr" ? CheckRerun.OfPullRequest(number) : CheckRerun.OfBranch;
        payload["check_run"]!["external_id"] = rerun.ExternalId(Guid.NewGuid());

        var item = Assert.Single(WebhookRouter.Route("check_run", "d-3", JsonSerializer.SerializeToElement(payload)).Work);

        string head = payload["check_run"]!["head_sha"]!.GetValue<string>();
        if (of == "pr")
        {
            var review = Assert.IsType<ReviewWork>(item);
            Assert.Equal((number, head, null), (review.PullNumber, review.HeadSha, review.BaseRef));
        }
        else
        {
            var check = Assert.IsType<BranchCheckWork>(item);
            Assert.Equal((payload["repository"]!["default_branch"]!.GetValue<string>(), head), (check.Branch, check.HeadSha));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("earlier-run")]
    [InlineData("0123456789abcdef0123456789abcdef/pr/0")]
    [InlineData("0123456789abcdef0123456789abcdef/pr/-1")]
    [InlineData("0123456789abcdef0123456789abcdef/pr/1/x")]
    [InlineData("0123456789abcdef0123456789abcdef/pr/99999999999")]
    [InlineData("short/branch")]
    public void A_rerun_whose_external_id_is_not_ours_runs_nothing(string externalId)
    {
        var payload = AppHost.Payload("check_run.rerequested");
        payload["check_run"]!["name"] = CheckRunPlan.Name;
        payload["check_run"]!["external_id"] = externalId;

        Assert.Empty(WebhookRouter.Route("check_run", "d-4", JsonSerializer.SerializeToElement(payload)).Work);
    }
}
