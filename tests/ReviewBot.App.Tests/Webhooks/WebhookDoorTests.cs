using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewBot.App.State;
using ReviewBot.App.Tests.Azure;

namespace ReviewBot.App.Tests.Webhooks;

/// <summary>
/// The webhook's door against hostile bytes: unsigned headers, bodies too big, too slow or too deep, payload
/// fields that are not GitHub's, and a delivery whose work was queued but not recorded.
/// </summary>
public sealed class WebhookDoorTests : IDisposable
{
    private readonly GitHubFake _github = new();
    private readonly CapturedLogs _logs = new();
    private readonly AppHost _app;

    public WebhookDoorTests() => _app = new AppHost(_github, new Dictionary<string, string?> { ["Webhook:BodyReadTimeout"] = "00:00:00.500" },
        services => services.AddLogging(l => l.AddProvider(_logs)));

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    private async Task<HttpResponseMessage> PostAsync(HttpContent content, string eventName = "pull_request", string? delivery = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhooks") { Content = content };
        request.Headers.TryAddWithoutValidation("X-GitHub-Event", eventName);
        request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        return await _app.CreateClient().SendAsync(request);
    }

    private static ByteArrayContent Signed(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.TryAddWithoutValidation("X-Hub-Signature-256", AppHost.Sign(body));
        return content;
    }

    [Fact]
    public async Task A_delivery_queued_but_not_recorded_is_taken_again_and_its_copy_is_not_reviewed_twice()
    {
        _github.StubFiles();
        using var flaky = new AppHost(_github, services: s => s.AddSingleton<IStateStore>(p => new NotRecordingOnceStore(ActivatorUtilities.CreateInstance<InMemoryStateStore>(p))));
        var payload = AppHost.Payload("check_suite.rerequested"); // a re-request always runs: a copy would be a second review

        var first = await flaky.PostWebhookAsync("check_suite", payload, deliveryId: "d-1");
        var redelivery = await flaky.PostWebhookAsync("check_suite", payload, deliveryId: "d-1");
        var third = await flaky.PostWebhookAsync("check_suite", payload, deliveryId: "d-1");
        await _github.WaitForCompletedCheckAsync();
        await Task.Delay(1000);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode); // the work is queued: that is what counts
        Assert.Equal(HttpStatusCode.Accepted, redelivery.StatusCode); // not recorded, so taken
        Assert.Equal(HttpStatusCode.OK, third.StatusCode); // recorded by the redelivery
        Assert.Single(_github.CheckUpdates, u => u["status"]?.GetValue<string>() == "completed");
    }

    /// <summary>State whose first write of a delivery fails, as if the process died right after queueing.</summary>
    private sealed class NotRecordingOnceStore(IStateStore inner) : IStateStore
    {
        private int _records;

        public Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken) => inner.HasDeliveryAsync(deliveryId, cancellationToken);

        public Task<bool> TryRecordDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _records) == 1 ? throw new IOException("storage unavailable") : inner.TryRecordDeliveryAsync(deliveryId, cancellationToken);

        public Task<bool> TryClaimWorkAsync(string workKey, string messageId, CancellationToken cancellationToken) => inner.TryClaimWorkAsync(workKey, messageId, cancellationToken);

        public Task<PullRequestState?> GetPullRequestAsync(string pullRequestKey, CancellationToken cancellationToken) => inner.GetPullRequestAsync(pullRequestKey, cancellationToken);

        public Task<bool> TrySavePullRequestAsync(string pullRequestKey, PullRequestState state, CancellationToken cancellationToken) => inner.TrySavePullRequestAsync(pullRequestKey, state, cancellationToken);
    }

    [Theory]
    [InlineData("pull_request", "../../etc/passwd")]
    [InlineData("pull_request", "d-1 FAKE LINE injected")]
    [InlineData("pull_request", "0123456789012345678901234567890123456789012345678901234567890123456789")]
    [InlineData("Pull_Request", "d-1")]
    [InlineData("pull_request%0aFAKE", "d-1")]
    public async Task Headers_not_shaped_like_githubs_are_refused_and_never_logged(string eventName, string delivery)
    {
        var body = Encoding.UTF8.GetBytes(AppHost.Payload("pull_request.opened").ToJsonString());

        var response = await PostAsync(Signed(body), eventName, delivery);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(_logs.Lines, line => line.Contains("FAKE", StringComparison.Ordinal) || line.Contains("passwd", StringComparison.Ordinal) || line.Contains("01234567890123456789", StringComparison.Ordinal));
        await Task.Delay(300);
        Assert.Empty(_github.Server.LogEntries);
    }

    [Fact]
    public async Task A_deeply_nested_signed_body_is_a_400_not_a_crash()
    {
        var body = Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000));

        var response = await PostAsync(Signed(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("repository.owner.login", "\"../evil\"")]
    [InlineData("repository.name", "\"a/b#c?d\"")]
    [InlineData("repository.name", "\"..\"")]
    [InlineData("pull_request.number", "-2")]
    [InlineData("pull_request.number", "0")]
    [InlineData("pull_request.head.sha", "\"HEAD\\nFAKE\"")]
    [InlineData("installation.id", "-1")]
    [InlineData("action", "\"Opened\\nFAKE\"")]
    [InlineData("action", "\"opened\\n\"")] // .NET's $ matches before a final newline; \z does not
    [InlineData("repository.name", "\"Hello-World\\n\"")]
    public async Task Payload_fields_not_shaped_like_githubs_make_the_delivery_malformed(string path, string json)
    {
        var payload = AppHost.Payload("pull_request.opened");
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(payload, (node, part) => node[part]!);
        parent[parts[^1]] = JsonNode.Parse(json);

        var response = await _app.PostWebhookAsync("pull_request", payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(_logs.Lines, line => line.Contains("FAKE", StringComparison.Ordinal));
        await Task.Delay(300);
        Assert.Empty(_github.Server.LogEntries);
    }

    [Fact]
    public async Task A_body_over_the_cap_is_refused_without_a_length_and_with_one()
    {
        var big = new byte[ReviewBot.App.Webhooks.WebhookEndpoint.MaxPayloadBytes + 1];
        var chunked = new StreamContent(new MemoryStream(big)); // no Content-Length: read only up to the cap
        chunked.Headers.TryAddWithoutValidation("X-Hub-Signature-256", AppHost.Sign(big));

        var streamed = await PostAsync(chunked);
        var declared = await PostAsync(Signed(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
    }

    [Fact]
    public async Task A_sender_slower_than_the_body_deadline_gets_408_and_frees_its_slot()
    {
        await using var kestrel = new Production.TestApp(new() { ["Webhook:BodyReadTimeout"] = "00:00:00.500", ["Webhook:MaxConcurrentRequests"] = "1", ["Webhook:MaxQueuedRequests"] = "0", ["GitHub:ApiBaseUrl"] = _github.Url + "/" });
        var url = new Uri(kestrel.Start());
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();

        // Headers and one byte of a 100-byte body, then nothing: a slow-loris sender.
        var head = $"POST /api/github/webhooks HTTP/1.1\r\nHost: {url.Authority}\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: slow-1\r\nContent-Length: 100\r\n\r\n{{";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("HTTP/1.1 408 Request Timeout", status);

        // The only slot is free again for GitHub.
        var ping = Encoding.UTF8.GetBytes(AppHost.Payload("ping").ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "api/github/webhooks") { Content = new ByteArrayContent(ping) };
        request.Headers.Add("X-GitHub-Event", "ping");
        request.Headers.Add("X-GitHub-Delivery", "ping-1");
        request.Headers.Add("X-Hub-Signature-256", AppHost.Sign(ping, Production.TestApp.WebhookSecret));
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }
}
