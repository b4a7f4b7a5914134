using ReviewBot.App.Azure;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Tests.Azure;

/// <summary>Queue messages written by an older version (without BaseRef/Draft) must still read after an upgrade.</summary>
public sealed class WorkItemMessageTests
{
    [Fact]
    public void A_message_written_before_BaseRef_and_Draft_existed_still_reads()
    {
        const string old = """{"deliveryId":"d-1","installationId":1,"owner":"Codertocat","repo":"Hello-World","pullNumber":2,"headSha":"abc","reason":"pull_request.opened"}""";

        var item = WorkItemMessage.TryDeserialize(old, out var error);

        Assert.Null(error);
        Assert.Equal(new WorkItem("d-1", 1, "Codertocat", "Hello-World", 2, "abc", "pull_request.opened"), item);
        Assert.Null(item!.BaseRef);
        Assert.Null(item.Draft);
    }

    [Fact]
    public void BaseRef_and_Draft_survive_the_queue()
    {
        var item = new WorkItem("d-2", 1, "Codertocat", "Hello-World", 2, "abc", "pull_request.synchronize", "main", true);

        Assert.Equal(item, WorkItemMessage.TryDeserialize(WorkItemMessage.Serialize(item), out _));
    }
}
