using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace ReviewBot.Load;

public enum QueueKind
{
    Memory,
    Azurite,
}

/// <summary>What to run: how many pull requests, how hard, on which queue, with which fault.</summary>
public sealed record LoadOptions
{
    public int PullRequests { get; init; } = 200;
    public int Concurrency { get; init; } = 200;
    public int Dockerfiles { get; init; } = 1;

    /// <summary>Each Dockerfile's size in bytes (padded with RUN lines); 0: a five-line Dockerfile.</summary>
    public int DockerfileBytes { get; init; }

    /// <summary>Pull requests reviewed before the measured ones (JIT, connection pools, token); they count in the peak RSS.</summary>
    public int WarmUps { get; init; } = 5;

    /// <summary>The App's Worker:MaxTextBytesInFlight; null: its default.</summary>
    public long? MaxTextBytesInFlight { get; init; }
    public Fault Fault { get; init; } = Fault.None;
    public QueueKind Queue { get; init; } = QueueKind.Memory;
    public int Instances { get; init; } = 1;
    public int WorkerConcurrency { get; init; } = 8;
    public int Redeliveries { get; init; } = 50;

    /// <summary>Stop Azurite for a few seconds halfway through the sends, then start it again (Azurite queue only).</summary>
    public bool RestartAzurite { get; init; }

    /// <summary>SIGKILL the first instance halfway through the sends, while it has reviews in flight.</summary>
    public bool KillInstance { get; init; }

    /// <summary>Latency of every files list call of the fake GitHub.</summary>
    public TimeSpan FilesLatency { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(4);
}

/// <summary>The figures of one run.</summary>
public sealed record LoadResult(
    LoadOptions Options,
    double AckP50Ms,
    double AckP99Ms,
    double EndToEndP50Ms,
    double EndToEndP99Ms,
    double CallsPerPullRequest,
    int MaxCallsPerPullRequest,
    int TokenCalls,
    int AppCalls,
    int RedeliveryCalls,
    int RedeliveryNon200,
    long PeakRssBytes,
    int Reviewed,
    int Missing,
    int DuplicateReviews,
    int ChecksNotCompleted,
    int FailedAcks,
    int Unexpected,
    int JsonLogLines,
    int LogLines,
    int WorkerLinesWithoutScope,
    int InterruptedRuns,
    IReadOnlyList<int> ReviewsPerInstance,
    int FaultsInjected,
    double Seconds)
{
    public bool ExactlyOnce => Missing == 0 && DuplicateReviews == 0 && ChecksNotCompleted == 0;

    public override string ToString() => string.Join('\n',
        $"ReviewBot load: {Options.PullRequests} pull_request deliveries at concurrency {Options.Concurrency}, {Options.Dockerfiles} Dockerfile(s) each{(Options.DockerfileBytes > 0 ? $" of {Options.DockerfileBytes:N0} bytes" : "")}, " +
        $"queue {Options.Queue}, {Options.Instances} instance(s), fault {Options.Fault} ({FaultsInjected} injected){(Options.RestartAzurite ? ", Azurite restarted mid-run" : "")}{(Options.KillInstance ? ", one instance SIGKILLed mid-run" : "")}",
        $"  ack latency            p50 {AckP50Ms:F1} ms   p99 {AckP99Ms:F1} ms   (non-2xx acks: {FailedAcks}, redelivered until accepted)",
        $"  webhook -> review      p50 {EndToEndP50Ms:F0} ms   p99 {EndToEndP99Ms:F0} ms",
        $"  GitHub calls per PR    {CallsPerPullRequest:F2} avg, {MaxCallsPerPullRequest} max (target <= {6 + Options.Dockerfiles}: 4 + Dockerfiles, the commit's open pull requests and the head's tree), plus {TokenCalls} token call(s) and {AppCalls} GET /app in all",
        $"  redelivery             {Options.Redeliveries} resent: {RedeliveryCalls} GitHub calls, {RedeliveryNon200} not answered 200",
        $"  reviews                {Reviewed} delivered, {Missing} missing, {DuplicateReviews} duplicated, {ChecksNotCompleted} checks not completed, {Unexpected} unexpected calls",
        $"  runs                   {InterruptedRuns} PRs had a run interrupted and redone; reviews logged per instance: {string.Join(" / ", ReviewsPerInstance)}",
        $"  peak RSS               {PeakRssBytes / (1024.0 * 1024):F0} MB (max over instances)",
        $"  logs                   {JsonLogLines}/{LogLines} lines JSON, {WorkerLinesWithoutScope} worker lines without DeliveryId+Repository scope",
        $"  wall time              {Seconds:F1} s");
}

/// <summary>Runs the App as child processes against the fake GitHub and measures.</summary>
public static class LoadRun
{
    public const string WebhookSecret = "load-webhook-secret-91c2";

    /// <summary>How long Azurite stays down in the restart run; the App's storage retries ride out about 8 s.</summary>
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(2);
    private const int WarmUpBase = 90000;

    public static async Task<LoadResult> RunAsync(LoadOptions options, TextWriter log)
    {
        var wall = Stopwatch.StartNew();
        using var github = new LoadGitHub(options.Dockerfiles, options.Fault, options.FilesLatency, options.DockerfileBytes);
        AzuriteProcess? azurite = null;
        var instances = new List<AppProcess>();
        try
        {
            if (options.Queue == QueueKind.Azurite)
            {
                azurite = await AzuriteProcess.StartAsync(persistent: options.RestartAzurite || options.KillInstance);
            }

            var settings = Settings(options, github, azurite);
            for (var i = 0; i < options.Instances; i++)
            {
                instances.Add(AppProcess.Start(settings));
            }

            await Task.WhenAll(instances.Select(a => a.WaitReadyAsync()));
            log.WriteLine($"{instances.Count} instance(s) ready: {string.Join(", ", instances.Select(a => a.Url))}");

            var deliveries = new Deliveries(WebhookSecret);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { Timeout = TimeSpan.FromSeconds(30) };

            // Warm-up (JIT, connection pools, token): not measured.
            await Task.WhenAll(Enumerable.Range(WarmUpBase + 1, options.WarmUps).Select(n =>
                SendUntilAcceptedAsync(deliveries, http, instances, n, Guid.NewGuid().ToString(), null)));
            await WaitForReviewsAsync(github, Enumerable.Range(WarmUpBase + 1, options.WarmUps), TimeSpan.FromSeconds(60));
            log.WriteLine("warm-up done");
            foreach (var call in github.UnexpectedCalls)
            {
                log.WriteLine("unexpected call: " + call);
            }

            var sentAt = new ConcurrentDictionary<int, long>();
            var ids = new ConcurrentDictionary<int, string>();
            var acks = new ConcurrentBag<double>();
            var failedAcks = 0;
            using var gate = new SemaphoreSlim(options.Concurrency);
            var half = options.PullRequests / 2;
            var sent = 0;
            var midRun = new TaskCompletionSource();
            var faultTask = midRun.Task.ContinueWith(_ => InjectMidRunAsync(options, github, azurite, instances, log)).Unwrap();

            // Bodies are built before the clock starts, so the sender's own JSON work does not count as App latency.
            var bodies = Enumerable.Range(1, options.PullRequests).ToDictionary(n => n, deliveries.Body);
            var sends = Enumerable.Range(1, options.PullRequests).Select(async n =>
            {
                await gate.WaitAsync();
                try
                {
                    var id = Guid.NewGuid().ToString();
                    ids[n] = id;
                    sentAt[n] = Stopwatch.GetTimestamp();
                    var fails = await SendUntilAcceptedAsync(deliveries, http, instances, n, id, ack => acks.Add(ack.TotalMilliseconds), bodies[n]);
                    Interlocked.Add(ref failedAcks, fails);
                    if (Interlocked.Increment(ref sent) == half)
                    {
                        midRun.TrySetResult();
                    }
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(sends);
            midRun.TrySetResult();
            await faultTask;
            log.WriteLine($"{options.PullRequests} deliveries accepted after {wall.Elapsed.TotalSeconds:F1} s");

            var numbers = Enumerable.Range(1, options.PullRequests).ToList();
            await WaitForReviewsAsync(github, numbers, options.Timeout);
            await Task.Delay(TimeSpan.FromSeconds(3)); // late duplicates would show up here

            var peakRss = instances.Max(a => a.PeakRssBytes());

            // Redelivery of the same delivery ids: acknowledged, never processed again.
            var before = TotalCalls(github);
            var redelivered = numbers.Take(options.Redeliveries).ToList();
            var live = instances.Where(a => !a.HasExited).ToList();
            var non200 = 0;
            foreach (var n in redelivered)
            {
                var (status, _) = await deliveries.SendAsync(http, live[n % live.Count].Url, ids[n], deliveries.Body(n));
                if (status != HttpStatusCode.OK)
                {
                    non200++;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(3));
            var redeliveryCalls = TotalCalls(github) - before;

            var stats = numbers.Select(github.Stats).ToList();
            foreach (var call in github.UnexpectedCalls)
            {
                log.WriteLine("unexpected call: " + call);
            }

            var endToEnd = stats.Where(s => s.ReviewedAt != 0).Select(s => Stopwatch.GetElapsedTime(sentAt[s.Number], s.ReviewedAt).TotalMilliseconds).ToList();
            var lines = instances.SelectMany(a => a.Output).ToList();
            var missingNumbers = stats.Where(s => s.Reviews == 0 || s.CompletedChecks == 0).Select(s => s.Number).ToList();
            if (missingNumbers.Count > 0)
            {
                var dump = Path.Combine(Path.GetTempPath(), $"reviewbot-load-{Guid.NewGuid():N}.log");
                await File.WriteAllLinesAsync(dump, lines);
                log.WriteLine($"not reviewed: {string.Join(", ", missingNumbers.Select(n => $"#{n} ({ids[n]})"))}; App logs in {dump}");
            }
            var (json, unscoped) = InspectLogs(lines);
            return new LoadResult(
                options,
                Percentile(acks, 0.50),
                Percentile(acks, 0.99),
                Percentile(endToEnd, 0.50),
                Percentile(endToEnd, 0.99),
                stats.Average(s => s.Calls) + (double)github.ConfigReads / (options.PullRequests + options.WarmUps),
                stats.Max(s => s.Calls) + (int)Math.Round((double)github.ConfigReads / (options.PullRequests + options.WarmUps)),
                github.TokenCalls,
                github.AppCalls,
                redeliveryCalls,
                non200,
                peakRss,
                stats.Count(s => s.Reviews >= 1),
                stats.Count(s => s.Reviews == 0),
                stats.Count(s => s.Reviews > 1),
                stats.Count(s => s.CompletedChecks == 0),
                failedAcks,
                github.Unexpected,
                json,
                lines.Count,
                unscoped,
                stats.Count(s => s.RunRedone),
                [.. instances.Select(a => a.Output.Count(l => l.Contains("\"EventId\":2003", StringComparison.Ordinal)))],
                github.FaultsInjected,
                wall.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.StopAsync(TimeSpan.FromSeconds(30));
                await instance.DisposeAsync();
            }

            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    private static Dictionary<string, string> Settings(LoadOptions options, LoadGitHub github, AzuriteProcess? azurite)
    {
        using var key = RSA.Create(2048);
        var settings = new Dictionary<string, string>
        {
            ["GitHub:AppId"] = "4242",
            ["GitHub:PrivateKey"] = key.ExportPkcs8PrivateKeyPem(),
            ["GitHub:WebhookSecret"] = WebhookSecret,
            ["GitHub:ApiBaseUrl"] = github.Url + "/",
            ["GitHub:RetryBaseDelay"] = "00:00:00.200",
            ["GitHub:MaxRetryWait"] = "00:00:10",
            ["GitHub:RequestTimeout"] = "00:00:02",
            ["Worker:Concurrency"] = options.WorkerConcurrency.ToString(CultureInfo.InvariantCulture),
            ["Worker:RetryDelay"] = "00:00:01",
            ["Worker:MaxAttempts"] = "10",
            ["Worker:QueueCapacity"] = "100000",
            // One installation sends everything here: it may use every worker, so the figures stay comparable with
            // earlier runs and "every worker busy" (the kill's cue) can happen. Fairness has its own tests.
            ["Worker:MaxInFlightPerInstallation"] = options.WorkerConcurrency.ToString(CultureInfo.InvariantCulture),
            // The redelivery job would call GET /app/hook/deliveries, which the load's GitHub does not answer.
            ["Redelivery:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        };
        if (options.MaxTextBytesInFlight is long texts)
        {
            settings["Worker:MaxTextBytesInFlight"] = texts.ToString(CultureInfo.InvariantCulture);
        }

        if (azurite is not null)
        {
            var name = "load" + Guid.NewGuid().ToString("N")[..10];
            settings["Queue:Provider"] = "AzureStorage";
            settings["Queue:ConnectionString"] = azurite.ConnectionString;
            settings["Queue:Name"] = name;
            settings["Queue:VisibilityTimeout"] = "00:00:10";
            settings["Queue:MaxDequeueCount"] = "20";
            settings["Queue:MaxPollInterval"] = "00:00:00.250";
            settings["State:Provider"] = "AzureTables";
            settings["State:ConnectionString"] = azurite.ConnectionString;
            settings["State:TablePrefix"] = name;
        }

        return settings;
    }

    /// <summary>Sends until the App accepts (2xx), like an operator pressing "Redeliver"; returns the refusals.</summary>
    private static async Task<int> SendUntilAcceptedAsync(Deliveries deliveries, HttpClient http, List<AppProcess> instances, int number, string id, Action<TimeSpan>? onAccepted, byte[]? prebuilt = null)
    {
        var body = prebuilt ?? deliveries.Body(number);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        for (var refusals = 0; ; refusals++)
        {
            var live = instances.Where(a => !a.HasExited).ToList();
            var (status, ack) = await deliveries.SendAsync(http, live[number % live.Count].Url, id, body);
            if ((int)status is >= 200 and < 300)
            {
                onAccepted?.Invoke(ack);
                return refusals;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Delivery {id} for #{number} was never accepted (last status {(int)status}).");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static async Task InjectMidRunAsync(LoadOptions options, LoadGitHub github, AzuriteProcess? azurite, List<AppProcess> instances, TextWriter log)
    {
        if (options.Fault == Fault.Unauthorized)
        {
            github.RevokeCurrentToken();
            log.WriteLine("mid-run: installation token revoked");
        }

        if (options.KillInstance && instances.Count > 1)
        {
            // Wait until every worker of every instance is busy, so the victim surely has reviews in flight.
            var busy = options.WorkerConcurrency * instances.Count;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (github.AllStats.Count(s => s.FilesListed > 0 && s.CompletedChecks == 0) < busy && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            await instances[0].KillAsync();
            log.WriteLine($"mid-run: instance {instances[0].Id} SIGKILLed");
        }

        if (options.RestartAzurite && azurite is not null)
        {
            await azurite.StopAsync();
            log.WriteLine("mid-run: Azurite stopped");
            await Task.Delay(OutageLength);
            await azurite.RestartAsync();
            log.WriteLine("mid-run: Azurite restarted");
        }
    }

    private static async Task WaitForReviewsAsync(LoadGitHub github, IEnumerable<int> numbers, TimeSpan timeout)
    {
        var list = numbers.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && list.Any(n => github.Stats(n).Reviews == 0 || github.Stats(n).CompletedChecks == 0))
        {
            await Task.Delay(100);
        }
    }

    private static int TotalCalls(LoadGitHub github) => github.AllStats.Sum(s => s.Calls) + github.ConfigReads + github.TokenCalls + github.AppCalls;

    /// <summary>Counts JSON lines, and worker lines that lack the DeliveryId and Repository scope.</summary>
    private static (int Json, int Unscoped) InspectLogs(List<string> lines)
    {
        int json = 0, unscoped = 0;
        foreach (var line in lines)
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                json++;
                var root = doc.RootElement;
                if (root.TryGetProperty("Category", out var category) && category.GetString()!.StartsWith("ReviewBot.App.Worker", StringComparison.Ordinal))
                {
                    var text = root.TryGetProperty("Scopes", out var scopes) ? scopes.GetRawText() : "";
                    if (!text.Contains("\"DeliveryId\"", StringComparison.Ordinal) || !text.Contains("\"Repository\"", StringComparison.Ordinal))
                    {
                        unscoped++;
                    }
                }
            }
            catch (JsonException)
            {
            }
        }

        return (json, unscoped);
    }

    private static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
