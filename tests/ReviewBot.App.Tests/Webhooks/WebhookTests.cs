using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Tests.Webhooks;

/// <summary>The webhook path: only signed deliveries, fast answers, nothing processed twice.</summary>
public sealed class WebhookTests : IDisposable
{
    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public WebhookTests() => _app = new AppHost(_github);

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    [Fact]
    public async Task Bad_or_missing_signature_is_rejected_with_4xx_and_causes_no_api_call()
    {
        var payload = AppHost.Payload("pull_request.opened");

        var wrongSecret = await _app.PostWebhookAsync("pull_request", payload, signature: AppHost.Sign("{}"u8.ToArray(), "wrong"));
        var unsigned = await _app.PostWebhookAsync("pull_request", payload, sign: false);
        var garbage = await _app.PostWebhookAsync("pull_request", payload, signature: "sha256=nothex");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        await Task.Delay(300);
        Assert.Empty(_github.Server.LogEntries);
    }

    [Fact]
    public async Task Ping_answers_2xx()
    {
        var response = await _app.PostWebhookAsync("ping", AppHost.Payload("ping"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("issues", null)]
    [InlineData("pull_request", "labeled")]
    [InlineData("pull_request", "some_future_action")]
    [InlineData("check_suite", "completed")]
    public async Task Unknown_events_and_actions_answer_2xx_and_are_ignored(string eventName, string? action)
    {
        var payload = AppHost.Payload("pull_request.opened");
        if (action is null)
        {
            payload.AsObject().Remove("pull_request");
        }
        else
        {
            payload["action"] = action;
        }

        var response = await _app.PostWebhookAsync(eventName, payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("\"ignored", await response.Content.ReadAsStringAsync());
        await Task.Delay(300);
        Assert.Empty(_github.Server.LogEntries);
    }

    [Fact]
    public async Task A_closed_pull_request_is_not_reviewed()
    {
        var payload = AppHost.Payload("pull_request.synchronize");
        payload["pull_request"]!["state"] = "closed";

        var response = await _app.PostWebhookAsync("pull_request", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Task.Delay(300);
        Assert.Empty(_github.Server.LogEntries);
    }

    [Fact]
    public async Task A_redelivery_is_acknowledged_and_not_processed_twice()
    {
        _github.StubFiles();
        var payload = AppHost.Payload("pull_request.opened");

        var first = await _app.PostWebhookAsync("pull_request", payload, deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        await _github.WaitForCompletedCheckAsync();
        var again = await _app.PostWebhookAsync("pull_request", payload, deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(_github.Requests("POST", GitHubFake.RepoPath + "/check-runs"));
    }

    [Fact]
    public async Task A_delivery_that_could_not_be_queued_answers_503_and_its_redelivery_is_reviewed()
    {
        _github.StubFiles();
        using var flaky = new AppHost(_github, services: s => s.AddSingleton<IWorkQueue>(p => new FailingOnceQueue(ActivatorUtilities.CreateInstance<InMemoryWorkQueue>(p))));
        var payload = AppHost.Payload("pull_request.opened");

        var first = await flaky.PostWebhookAsync("pull_request", payload, deliveryId: "d-1");
        var redelivery = await flaky.PostWebhookAsync("pull_request", payload, deliveryId: "d-1");
        await _github.WaitForCompletedCheckAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, redelivery.StatusCode);
        Assert.Single(_github.Requests("POST", GitHubFake.RepoPath + "/check-runs"));
    }

    /// <summary>A queue whose storage is down for the first enqueue.</summary>
    private sealed class FailingOnceQueue(IWorkQueue inner) : IWorkQueue
    {
        private int _calls;

        public Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1 ? throw new IOException("storage unavailable") : inner.EnqueueAsync(item, cancellationToken);

        public Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken) => inner.DequeueAsync(cancellationToken);

        public Task<int> GetDepthAsync(CancellationToken cancellationToken) => inner.GetDepthAsync(cancellationToken);
    }

    [Fact]
    public async Task Check_run_rerequested_without_pull_requests_is_ignored_and_check_suite_rerequested_reviews_its_pr()
    {
        _github.StubFiles();

        var run = await _app.PostWebhookAsync("check_run", AppHost.Payload("check_run.rerequested"));
        var suite = await _app.PostWebhookAsync("check_suite", AppHost.Payload("check_suite.rerequested"));
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal(HttpStatusCode.OK, run.StatusCode); // the real payload's check is not ours and names no PR
        Assert.Equal(HttpStatusCode.Accepted, suite.StatusCode);
        Assert.Single(_github.Requests("GET", GitHubFake.RepoPath + $"/pulls/{GitHubFake.Number}"));
        // The check says what its re-run button runs again, for the events that will not name the pull request.
        Assert.Equal(GitHubFake.Number, ReviewBot.GitHub.Checks.CheckRerun.Parse(check["external_id"]!.GetValue<string>())?.PullRequest);
    }

    [Fact]
    public async Task A_newer_push_supersedes_an_older_item_that_has_not_started()
    {
        _github.StubFiles();
        var older = AppHost.Payload("pull_request.synchronize");
        older["pull_request"]!["head"]!["sha"] = "0000000000000000000000000000000000000001";
        var newer = AppHost.Payload("pull_request.synchronize");
        var workerMayStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gated = GatedApp(workerMayStart.Task);

        // Both arrive before the worker gets to the first (it waits for them): only the newest head is reviewed.
        var r1 = await gated.PostWebhookAsync("pull_request", older);
        var r2 = await gated.PostWebhookAsync("pull_request", newer);
        workerMayStart.SetResult();
        await _github.WaitForCompletedCheckAsync();
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.Accepted, r1.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, r2.StatusCode);
        var created = _github.Requests("POST", GitHubFake.RepoPath + "/check-runs").Select(_github.Json).ToList();
        Assert.All(created, c => Assert.Equal(GitHubFake.HeadSha, c["head_sha"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_late_delivery_of_an_older_push_does_not_supersede_the_newer_head()
    {
        // GitHub delivers again, minutes later, an event it failed to deliver: it arrives after a newer one and keeps
        // its original updated_at. Taken as the newest, it would supersede the newer head's review, and the pull
        // request's newest commit would get no check at all.
        _github.StubFiles();
        var newer = AppHost.Payload("pull_request.synchronize");
        var older = AppHost.Payload("pull_request.synchronize");
        older["pull_request"]!["head"]!["sha"] = "0000000000000000000000000000000000000001";
        older["pull_request"]!["updated_at"] = "2019-05-15T15:10:02Z";
        var workerMayStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gated = GatedApp(workerMayStart.Task);

        var r1 = await gated.PostWebhookAsync("pull_request", newer, deliveryId: "newer");
        var r2 = await gated.PostWebhookAsync("pull_request", older, deliveryId: "older-delivered-again");
        workerMayStart.SetResult();
        await _github.WaitForCompletedCheckAsync();
        await Task.Delay(500);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (r1.StatusCode, r2.StatusCode));
        var created = _github.Requests("POST", GitHubFake.RepoPath + "/check-runs").Select(_github.Json).ToList();
        Assert.NotEmpty(created);
        Assert.All(created, c => Assert.Equal(GitHubFake.HeadSha, c["head_sha"]!.GetValue<string>()));
    }

    /// <summary>The App with a <see cref="GatedQueue"/>: its worker takes nothing until <paramref name="open"/> completes.</summary>
    private AppHost GatedApp(Task open) => new(_github, services: s => s.AddKeyedSingleton<IWorkQueue>(
        ReviewBot.App.Queue.QueueServiceExtensions.StorageKey, (p, _) => new GatedQueue(ActivatorUtilities.CreateInstance<InMemoryWorkQueue>(p), open)));

    /// <summary>A queue whose worker side waits for the test, so "before the worker gets to it" is a fact, not a race.</summary>
    private sealed class GatedQueue(IWorkQueue inner, Task open) : IWorkQueue
    {
        public Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken) => inner.EnqueueAsync(item, cancellationToken);

        public async Task<IQueuedWork?> DequeueAsync(CancellationToken cancellationToken)
        {
            await open.WaitAsync(cancellationToken);
            return await inner.DequeueAsync(cancellationToken);
        }

        public Task<int> GetDepthAsync(CancellationToken cancellationToken) => inner.GetDepthAsync(cancellationToken);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        var client = _app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
