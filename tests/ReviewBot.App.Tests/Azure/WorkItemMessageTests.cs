using ReviewBot.App.Azure;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Tests.Azure;

/// <summary>Queue messages written by an older version (without BaseRef/Draft) must still read after an upgrade.</summary>
public sealed class WorkItemMessageTests
{
    [Fact]
    public void A_message_written_before_BaseRef_and_Draft_existed_still_reads()
    {
        const string Old = """{"deliveryId":"d-1","installationId":1,"owner":"Codertocat","repo":"Hello-World","pullNumber":2,"headSha":"abc","reason":"pull_request.opened"}""";

        var item = WorkItemMessage.TryDeserialize(Old, out var error);

        Assert.Null(error);
        Assert.Equal(new WorkItem("d-1", 1, "Codertocat", "Hello-World", 2, "abc", "pull_request.opened"), item);
        Assert.Null(item!.BaseRef);
        Assert.Null(item.Draft);
    }

    [Fact]
    public void BaseRef_BaseSha_and_Draft_survive_the_queue()
    {
        var item = new WorkItem("d-2", 1, "Codertocat", "Hello-World", 2, "abc", "pull_request.synchronize", "main", true, BaseSha: GitHubFake.BaseSha);

        Assert.Equal(item, WorkItemMessage.TryDeserialize(WorkItemMessage.Serialize(item), out _));
    }

    [Fact]
    public void A_message_written_before_kinds_existed_is_a_review()
    {
        const string Old = """{"deliveryId":"d-1","installationId":1,"owner":"Codertocat","repo":"Hello-World","pullNumber":2,"headSha":"abc","reason":"pull_request.opened","baseRef":"main","draft":false}""";

        var item = WorkItemMessage.TryDeserialize(Old, out var error);

        Assert.Null(error);
        Assert.Equal(WorkKind.Review, item!.Kind);
    }

    [Fact]
    public void A_branch_check_survives_the_queue_with_its_kind_named()
    {
        var item = new WorkItem("d-3", 1, "Codertocat", "Hello-World", 0, "abc", "push", "main", Kind: WorkKind.BranchCheck);

        var text = WorkItemMessage.Serialize(item);

        Assert.Contains("\"kind\":\"BranchCheck\"", text, StringComparison.Ordinal);
        Assert.Equal(item, WorkItemMessage.TryDeserialize(text, out _));
    }

    [Fact]
    public void A_kind_this_version_does_not_know_is_not_a_work_item()
    {
        const string Newer = """{"deliveryId":"d-1","installationId":1,"owner":"o","repo":"r","pullNumber":0,"headSha":"abc","reason":"x","kind":"Teleport"}""";

        Assert.Null(WorkItemMessage.TryDeserialize(Newer, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Branch_checks_are_ordered_per_branch_and_never_share_a_pull_requests_key()
    {
        var check = new WorkItem("d", 1, "O", "R", 0, "abc", "push", "Main", Kind: WorkKind.BranchCheck);
        var review = new WorkItem("d", 1, "O", "R", 0, "abc", "push", "Main");

        Assert.Equal("o/r@main", check.PullRequestKey);
        Assert.NotEqual(review.PullRequestKey, check.PullRequestKey);
    }
}
