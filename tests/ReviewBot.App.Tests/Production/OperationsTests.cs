using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ReviewBot.App.Operations;
using ReviewBot.App.Tests.Azure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReviewBot.App.Tests.Production;

/// <summary>Logs carry the delivery and repository, metrics count what happened, and shutdown drains work in flight.</summary>
public sealed class OperationsTests : IDisposable
{
    private readonly GitHubFake _github = new();
    private readonly CapturedLogs _logs = new();
    private readonly AppHost _host;

    public OperationsTests()
    {
        _host = new AppHost(_github);
        _github.StubFiles(Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);
    }

    public void Dispose()
    {
        _host.Dispose();
        _github.Dispose();
    }

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> App() =>
        _host.WithWebHostBuilder(b => b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs)));

    private static async Task<HttpResponseMessage> PostAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string delivery)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(AppHost.Payload("pull_request.opened").ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhooks") { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-Hub-Signature-256", AppHost.Sign(body));
        return await app.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task Every_webhook_and_worker_log_line_carries_the_delivery_and_the_worker_lines_the_repository()
    {
        using var app = App();
        var delivery = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(app, delivery)).StatusCode);
        await _github.WaitForCompletedCheckAsync();

        var webhook = _logs.Lines.Where(l => l.Contains("ReviewBot.App.Webhooks", StringComparison.Ordinal)).ToList();
        var worker = _logs.Lines.Where(l => l.Contains("ReviewBot.App.Worker", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(webhook);
        Assert.NotEmpty(worker);
        Assert.All(webhook, line => Assert.Contains($"DeliveryId={delivery}", line, StringComparison.Ordinal));
        Assert.All(worker, line =>
        {
            Assert.Contains($"DeliveryId={delivery}", line, StringComparison.Ordinal);
            Assert.Contains($"Repository={GitHubFake.Owner}/{GitHubFake.Repo}", line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Deliveries_reviews_findings_and_github_calls_are_measured()
    {
        var seen = new ConcurrentQueue<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReviewBotTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Enqueue((i.Name, v, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Enqueue((i.Name, 1, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();

        using var app = App();
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(app, Guid.NewGuid().ToString())).StatusCode);
        await _github.WaitForCompletedCheckAsync();
        await Task.Delay(300);

        // Other tests run in parallel on the same static meter, so count at least ours.
        Assert.Contains(seen, m => m.Instrument == "reviewbot.deliveries" && m.Tags.Contains("event=pull_request", StringComparison.Ordinal) && m.Tags.Contains("status_code=202", StringComparison.Ordinal));
        Assert.Contains(seen, m => m.Instrument == "reviewbot.reviews" && m.Tags == "outcome=Reviewed");
        Assert.Contains(seen, m => m.Instrument == "reviewbot.review.duration");
        Assert.Contains(seen, m => m.Instrument == "reviewbot.findings" && m.Value >= 1);
        Assert.True(seen.Count(m => m.Instrument == "reviewbot.github.calls") >= 5, string.Join("\n", seen));
        Assert.Contains(seen, m => m.Instrument == "reviewbot.github.duration" && m.Tags.Contains("status_code=201", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_lets_the_review_in_flight_finish()
    {
        // The files list takes 2 s: the app is stopped while the review is in the middle of its run.
        _github.Server.Given(Request.Create().WithPath(GitHubFake.ComparePath).UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(2)).WithHeader("Content-Type", "application/json")
                .WithBody(System.Text.Json.JsonSerializer.Serialize(new { files = new[] { Scenario.File("Dockerfile", "added", Scenario.AddedPatch(Scenario.RootDockerfile)) } })));
        var app = App();
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(app, Guid.NewGuid().ToString())).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_github.Requests("POST", GitHubFake.RepoPath + "/check-runs").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Single(_github.Requests("POST", GitHubFake.RepoPath + "/check-runs"));

        await app.DisposeAsync(); // graceful stop: returns once the run in flight is done

        Assert.Single(_github.Reviews);
        Assert.Contains(_github.CheckUpdates, u => u["status"]?.GetValue<string>() == "completed");
    }
}
