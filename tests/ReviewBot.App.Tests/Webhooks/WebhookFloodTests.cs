using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.App.State;
using ReviewBot.App.Tests.Production;

namespace ReviewBot.App.Tests.Webhooks;

/// <summary>
/// A flood on loopback Kestrel: the endpoint works on at most Webhook:MaxConcurrentRequests deliveries, lets
/// Webhook:MaxQueuedRequests wait, and answers every other one 503 at once, so nobody can make it hold more
/// bodies in memory than that.
/// </summary>
public sealed class WebhookFloodTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int Permits = 4;
    private const int Queued = 4;
    private const int Flood = 200;

    private readonly GitHubFake _github = new();

    public void Dispose() => _github.Dispose();

    [Fact]
    public async Task A_flood_is_held_to_the_limit_and_the_rest_is_answered_503_at_once()
    {
        _github.StubFiles();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = new BlockingState(gate.Task);
        await using var app = new TestApp(
            new()
            {
                ["Webhook:MaxConcurrentRequests"] = Permits.ToString(),
                ["Webhook:MaxQueuedRequests"] = Queued.ToString(),
                ["Webhook:MaxConnectionsPerAddress"] = "0", // one address floods here: the slots are what is tested
                ["GitHub:ApiBaseUrl"] = _github.Url + "/",
            },
            services => services.AddSingleton<IStateStore>(sp => blocked.With(ActivatorUtilities.CreateInstance<InMemoryStateStore>(sp))));
        var url = app.Start();
        using var http = new HttpClient();

        var body = Encoding.UTF8.GetBytes(AppHost.Payload("pull_request.opened").ToJsonString());
        var started = System.Diagnostics.Stopwatch.StartNew();
        var requests = Enumerable.Range(0, Flood).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url + "/api/github/webhooks") { Content = new ByteArrayContent(body) };
            request.Headers.Add("X-GitHub-Event", "pull_request");
            request.Headers.Add("X-GitHub-Delivery", $"flood-{i}");
            request.Headers.Add("X-Hub-Signature-256", AppHost.Sign(body, TestApp.WebhookSecret));
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }).ToList();

        // While the admitted ones are stuck (their state store does not answer), everyone else is already answered.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (requests.Count(r => r.IsCompleted) < Flood - Permits - Queued && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var early = requests.Where(r => r.IsCompleted).Select(r => r.Result).ToList();
        output.WriteLine($"{early.Count} of {Flood} answered in {started.ElapsedMilliseconds} ms while {Permits} were held inside and {Queued} waited"); // a figure, not an assertion
        Assert.Equal(Flood - Permits - Queued, early.Count);
        Assert.All(early, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        Assert.Equal(Permits, blocked.Inside);

        gate.SetResult();
        var all = await Task.WhenAll(requests);

        Assert.Equal(Permits + Queued, all.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(Permits, blocked.MostInside);
    }

    /// <summary>State whose delivery lookup waits for the gate, counting how many requests are inside at once.</summary>
    private sealed class BlockingState(Task gate)
    {
        private int _inside;
        private int _mostInside;

        public int Inside => Volatile.Read(ref _inside);

        public int MostInside => Volatile.Read(ref _mostInside);

        public IStateStore With(IStateStore inner) => new Store(this, inner);

        private async Task<bool> EnterAsync(Func<Task<bool>> call)
        {
            var now = Interlocked.Increment(ref _inside);
            int seen;
            while ((seen = Volatile.Read(ref _mostInside)) < now && Interlocked.CompareExchange(ref _mostInside, now, seen) != seen)
            {
            }

            try
            {
                await gate;
                return await call();
            }
            finally
            {
                Interlocked.Decrement(ref _inside);
            }
        }

        private sealed class Store(BlockingState owner, IStateStore inner) : IStateStore
        {
            public Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
                owner.EnterAsync(() => inner.HasDeliveryAsync(deliveryId, cancellationToken));

            public Task<bool> TryRecordDeliveryAsync(string deliveryId, CancellationToken cancellationToken) => inner.TryRecordDeliveryAsync(deliveryId, cancellationToken);

            public Task<bool> TryClaimWorkAsync(string workKey, string messageId, CancellationToken cancellationToken) => inner.TryClaimWorkAsync(workKey, messageId, cancellationToken);

            public Task<PullRequestState?> GetPullRequestAsync(string pullRequestKey, CancellationToken cancellationToken) => inner.GetPullRequestAsync(pullRequestKey, cancellationToken);

            public Task<bool> TrySavePullRequestAsync(string pullRequestKey, PullRequestState state, CancellationToken cancellationToken) => inner.TrySavePullRequestAsync(pullRequestKey, state, cancellationToken);
        }
    }
}
