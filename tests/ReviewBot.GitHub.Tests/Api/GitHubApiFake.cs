using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.GitHub.Api;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>
/// WireMock.Net playing GitHub on loopback, and the real <see cref="GitHubApiServiceCollectionExtensions.AddGitHubApi"/>
/// registration pointed at it (so every stub lives under /api/v3/), on a clock that records every wait asked of it.
/// </summary>
internal sealed class GitHubApiFake : IDisposable
{
    public const string Owner = "Codertocat";
    public const string Repo = "Hello-World";
    public const int Number = 2;
    public const string HeadSha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    public const string RepoPath = "/api/v3/repos/" + Owner + "/" + Repo;

    /// <summary>
    /// Real seconds would make GitHub's waits slow tests: <see cref="RecordingTimeProvider"/> shrinks every timer a
    /// thousandfold, timeouts included, so an attempt's is set long (7 h: 25 s real, and the whole call's stays under
    /// Polly's 24 h ceiling) for a loaded machine never to time out a test that does not mean to.
    /// </summary>
    public static readonly RetryPolicy Policy = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(1), MaxWait = TimeSpan.FromSeconds(120), AttemptTimeout = TimeSpan.FromHours(7) };

    /// <summary>For tests of timeouts: 0.2 s real.</summary>
    public static readonly RetryPolicy ShortTimeoutPolicy = Policy with { AttemptTimeout = TimeSpan.FromSeconds(200) };

    private int primaryHandlers;

    public GitHubApiFake(RetryPolicy? policy = null, Func<HttpMessageHandler>? primaryHandler = null)
    {
        Server = WireMockServer.Start();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddGitHubApi(_ => new GitHubApiOptions { BaseUrl = new Uri(Server.Url!), Retry = policy ?? Policy });
        services.AddHttpClient(GitHubApiServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() =>
        {
            Interlocked.Increment(ref primaryHandlers);
            return primaryHandler?.Invoke() ?? new SocketsHttpHandler();
        });
        Services = services.BuildServiceProvider();
    }

    public WireMockServer Server { get; }

    public RecordingTimeProvider Time { get; } = new();

    public ServiceProvider Services { get; }

    /// <summary>How many primary handlers (connection pools) IHttpClientFactory built.</summary>
    public int PrimaryHandlers => Volatile.Read(ref primaryHandlers);

    public GitHubClients Clients => Services.GetRequiredService<GitHubClients>();

    public PullRequestClient Client(ITokenSource? tokens = null) => Clients.ForToken(tokens ?? new StaticTokenSource("ghs_test"));

    public void StubJson(string method, string path, string json, int status = 200, int priority = 50) =>
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json));

    /// <summary>The first <paramref name="method"/> of <paramref name="path"/> answers <paramref name="first"/>; later ones fall through to the other stubs.</summary>
    public void Once(string method, string path, IResponseBuilder first) =>
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).AtPriority(1)
            .InScenario(method + path).WillSetStateTo("done")
            .RespondWith(first);

    public IReadOnlyList<ILogEntry> Requests(string method, string path) =>
        [.. Server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime)];

    public static JsonNode Json(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!;

    public void Dispose()
    {
        Services.Dispose();
        Server.Stop();
    }
}

/// <summary>
/// The system clock, except that every timer (waits, timeouts) runs a thousand times faster, and every
/// timer's due time is recorded: tests read the waits asked for instead of timing them.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    private const double Speedup = 1000;

    public ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ScaledTimer(this, System.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(dueTime, period);
        return timer;
    }

    private static TimeSpan Scale(TimeSpan time) => time <= TimeSpan.Zero || time == Timeout.InfiniteTimeSpan ? time : time / Speedup;

    private sealed class ScaledTimer(RecordingTimeProvider owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                owner.DueTimes.Enqueue(dueTime);
            }

            return inner.Change(Scale(dueTime), Scale(period));
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
