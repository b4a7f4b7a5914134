using ReviewBot.App.Azure;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Tests.Azure;

/// <summary>
/// Queue messages outlive the version that wrote them: every message an older version queued (one flat record whose
/// <c>kind</c> said what it was, a continuation counted inside its delivery id) must read as the right type after an
/// upgrade, keep its key (state, ordering and claims are keyed by it), and a newer version writes the same format, so
/// replicas of both versions read each other's messages during a rolling upgrade.
/// </summary>
public sealed class WorkItemMessageTests
{
    private const string Head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821", Base = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

    /// <summary>Messages as the version before work types wrote them (its <c>WorkItem</c> record serialized whole).</summary>
    private const string OldReview = """{"deliveryId":"d-1","installationId":1,"owner":"Codertocat","repo":"Hello-World","pullNumber":2,"headSha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","reason":"pull_request.opened","baseRef":"master","draft":false,"kind":"Review","repositories":null,"baseSha":"f95f852bd8fca8fcc58a9a2d6c842781e32a215e","requestedAt":"2019-05-15T15:20:33+00:00","repositoryId":186853002,"pullRequestKey":"repo-186853002#2"}""";

    private const string OldBranchCheck = """{"deliveryId":"d-2","installationId":1,"owner":"Codertocat","repo":"Hello-World","pullNumber":0,"headSha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821","reason":"push","baseRef":"master","draft":null,"kind":"BranchCheck","repositories":null,"baseSha":null,"requestedAt":"2019-05-15T15:20:57+00:00","repositoryId":186853002,"pullRequestKey":"repo-186853002@master"}""";

    private const string OldOnboardContinuation = """{"deliveryId":"d-3~2","installationId":1,"owner":"Codertocat","repo":"Space","pullNumber":0,"headSha":"","reason":"installation_repositories.added","baseRef":null,"draft":null,"kind":"Onboard","repositories":null,"baseSha":null,"requestedAt":null,"repositoryId":186853261,"pullRequestKey":"repo-186853261!onboard"}""";

    private const string OldInstallationPage = """{"deliveryId":"d-4","installationId":1,"owner":"Codertocat","repo":"","pullNumber":3,"headSha":"","reason":"installation.created","baseRef":null,"draft":null,"kind":"OnboardInstallation","repositories":["Codertocat/Space","Codertocat/Hello-World"],"baseSha":null,"requestedAt":null,"repositoryIds":[186853261,186853002],"pullRequestKey":"codertocat!installation-1/3"}""";

    private const string OldRedelivery = """{"deliveryId":"redelivery-7","installationId":0,"owner":"app","repo":"","pullNumber":0,"headSha":"","reason":"redelivery","baseRef":null,"draft":null,"kind":"Redeliver","repositories":null,"baseSha":null,"requestedAt":null,"pullRequestKey":"!redelivery"}""";

    /// <summary>The oldest format: no kind, no base, no ids (every message was a review).</summary>
    private const string OldestReview = """{"deliveryId":"d-1","installationId":1,"owner":"Codertocat","repo":"Hello-World","pullNumber":2,"headSha":"abc","reason":"pull_request.opened"}""";

    /// <summary>One old message of each kind.</summary>
    public static TheoryData<string> OldMessages => [OldReview, OldBranchCheck, OldOnboardContinuation, OldInstallationPage, OldRedelivery];

    private static T Read<T>(string text)
        where T : WorkItem
    {
        var item = WorkItemMessage.TryDeserialize(text, out var error);
        Assert.Null(error);
        return Assert.IsType<T>(item);
    }

    [Fact]
    public void An_old_review_message_reads_as_a_review()
    {
        var review = Read<ReviewWork>(OldReview);

        Assert.Equal(
            new ReviewWork("d-1", 1, "Codertocat", "Hello-World", 2, Head, "pull_request.opened", "master", false, Base)
            {
                RequestedAt = DateTimeOffset.Parse("2019-05-15T15:20:33Z", System.Globalization.CultureInfo.InvariantCulture),
                RepositoryId = 186853002,
            },
            review);
    }

    [Fact]
    public void An_old_branch_check_message_reads_as_a_branch_check_of_its_branch()
    {
        var check = Read<BranchCheckWork>(OldBranchCheck);

        Assert.Equal((Head, "master", "push", 186853002L, 0), (check.HeadSha, check.Branch, check.Reason, check.RepositoryId!.Value, check.Continuation));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1557933657), check.RequestedAt);
    }

    [Fact]
    public void An_old_continuation_of_onboarding_reads_with_its_webhooks_delivery_and_its_own_count()
    {
        var onboard = Read<OnboardWork>(OldOnboardContinuation);

        Assert.Equal(new OnboardWork("d-3", 1, "Codertocat", "Space", "installation_repositories.added") { RepositoryId = 186853261, Continuation = 2 }, onboard);
        Assert.Equal("d-3~2", onboard.Occurrence);
    }

    [Fact]
    public void An_old_installation_fan_out_reads_as_its_page()
    {
        var page = Read<InstallationPageWork>(OldInstallationPage);

        Assert.Equal(("Codertocat", 3, "installation.created"), (page.Account, page.Page, page.Reason));
        Assert.Equal(["Codertocat/Space", "Codertocat/Hello-World"], page.Repositories!);
        Assert.Equal([186853261L, 186853002L], page.RepositoryIds!);
    }

    [Fact]
    public void An_old_redelivery_message_reads_as_redelivery()
    {
        var redelivery = Read<RedeliveryWork>(OldRedelivery);

        Assert.Equal(new RedeliveryWork("redelivery-7", "redelivery"), redelivery);
    }

    [Fact]
    public void A_message_written_before_kinds_and_bases_existed_is_a_review()
    {
        var review = Read<ReviewWork>(OldestReview);

        Assert.Equal(new ReviewWork("d-1", 1, "Codertocat", "Hello-World", 2, "abc", "pull_request.opened"), review);
        Assert.Equal("codertocat/hello-world#2", review.Key);
    }

    /// <summary>The key an old message was ordered, claimed and stored under is the key its item has now.</summary>
    [Theory]
    [MemberData(nameof(OldMessages))]
    public void Every_old_message_keeps_its_key(string old)
    {
        string key = System.Text.Json.JsonDocument.Parse(old).RootElement.GetProperty("pullRequestKey").GetString()!;

        Assert.Equal(key, WorkItemMessage.TryDeserialize(old, out _)!.Key);
    }

    /// <summary>What this version writes is the old format field for field (less the key, which nobody read back): an older replica reads it.</summary>
    [Theory]
    [MemberData(nameof(OldMessages))]
    public void Every_kind_is_written_in_the_old_format(string old)
    {
        string withoutKey = old[..old.IndexOf(",\"pullRequestKey\"", StringComparison.Ordinal)] + "}";

        Assert.Equal(withoutKey, WorkItemMessage.Serialize(WorkItemMessage.TryDeserialize(old, out _)!));
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
        var check = new BranchCheckWork("d", 1, "O", "R", "Main", "abc", "push");
        var review = new ReviewWork("d", 1, "O", "R", 0, "abc", "push", "Main");

        Assert.Equal("o/r@main", check.Key);
        Assert.NotEqual(review.Key, check.Key);
    }
}
