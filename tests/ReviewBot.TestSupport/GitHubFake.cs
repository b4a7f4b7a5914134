using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.GitHub.Api;
using WireMock;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace ReviewBot.TestSupport;

/// <summary>
/// WireMock.Net playing GitHub on loopback for one repository and pull request (the @octokit/webhooks-examples
/// one), and the real <see cref="GitHubApiServiceCollectionExtensions.AddGitHubApi"/> registration pointed at it on a
/// clock that records every wait asked of it. Any base URL but github.com is GitHub Enterprise Server's shape, whose
/// REST API is under /api/v3/ (<see cref="GitHubApiServiceCollectionExtensions.ApiRoot"/>), so every stub lives under it. Out of the box it answers what a review of that pull request needs (the App's token and
/// slug, the pull request, no config, no earlier comments, the writes, GraphQL Blob reads of <see cref="StubContent"/>)
/// at <see cref="DefaultsPriority"/>, which any stub a test adds overrides.
/// </summary>
public sealed class GitHubFake : IDisposable
{
    public const string Owner = "Codertocat";
    public const string Repo = "Hello-World";
    public const int Number = 2;
    public const long InstallationId = 1;
    public const string HeadSha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    public const string BaseRef = "master";

    /// <summary>The base commit of the example pull request (its <c>base.sha</c>): where the config is read, and the base of its comparison.</summary>
    public const string BaseSha = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

    /// <summary>The comparison of the pull request's base and head commits (three dots), where its changed files are listed.</summary>
    public const string ComparePath = RepoPath + "/compare/" + BaseSha + "..." + HeadSha;
    public const long CheckRunId = 4;
    public const string Api = "/api/v3";
    public const string RepoPath = Api + "/repos/" + Owner + "/" + Repo;

    /// <summary>The App's id, as GET /app answers it and the App is configured with.</summary>
    public const string AppId = "12345";

    /// <summary>The App's slug, as GET /app answers it; its comments are written by <see cref="BotLogin"/>.</summary>
    public const string AppSlug = "reviewbot";

    /// <summary>The login our comments carry: only comments by it count as ours (PreviousComments).</summary>
    public const string BotLogin = AppSlug + "[bot]";

    /// <summary>GitHub's GraphQL endpoint on a non-github.com host (GHES's rule): {host}/api/graphql.</summary>
    public const string GraphQLPath = "/api/graphql";

    /// <summary>The out-of-the-box answers' priority: below every stub a test adds (WireMock: a lower number wins).</summary>
    public const int DefaultsPriority = 100;

    /// <summary>GitHub cuts a Blob's GraphQL text at 512,000 bytes and says isTruncated.</summary>
    private const int GraphQLTextLimit = 512_000;

    /// <summary>
    /// Real seconds would make GitHub's waits slow tests: <see cref="RecordingTimeProvider"/> shrinks every timer a
    /// thousandfold, timeouts included, so an attempt's is set long (7 h: 25 s real, and the whole call's stays under
    /// Polly's 24 h ceiling) for a loaded machine never to time out a test that does not mean to.
    /// </summary>
    public static readonly RetryPolicy Policy = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(1), MaxWait = TimeSpan.FromSeconds(120), AttemptTimeout = TimeSpan.FromHours(7) };

    /// <summary>For tests of timeouts: 0.2 s real.</summary>
    public static readonly RetryPolicy ShortTimeoutPolicy = Policy with { AttemptTimeout = TimeSpan.FromSeconds(200) };

    /// <summary>What <see cref="StubContent"/> put at "ref:path", served by REST and by GraphQL Blob reads alike.</summary>
    private readonly ConcurrentDictionary<string, string> _contents = new(StringComparer.Ordinal);

    /// <summary>Later stubs win over earlier ones for the same request (WireMock: a lower number is a higher priority).</summary>
    private int _nextPriority = 40;

    private int _primaryHandlers;

    public GitHubFake(RetryPolicy? policy = null, Func<HttpMessageHandler>? primaryHandler = null)
    {
        Server = WireMockServer.Start();

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddGitHubApi(_ => new GitHubApiOptions { BaseUrl = new Uri(Server.Url!), Retry = policy ?? Policy });
        services.AddHttpClient(GitHubApiServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() =>
        {
            Interlocked.Increment(ref _primaryHandlers);
            return primaryHandler?.Invoke() ?? new SocketsHttpHandler();
        });
        Services = services.BuildServiceProvider();

        StubToken(priority: DefaultsPriority);
        // GET /app with the App JWT: the worker learns its bot login from it before it lists our earlier comments.
        StubJson("GET", Api + "/app", $$$"""{"id":{{{AppId}}},"slug":"{{{AppSlug}}}","name":"ReviewBot","owner":{"login":"{{{Owner}}}","type":"User"}}""", priority: DefaultsPriority);
        PullRequestStub(HeadSha, draft: false, "open", Owner + "/" + Repo, DefaultsPriority);
        // The pull requests of a commit: this one, at whatever head was asked for (a test adds others with StubCommitPulls).
        Server.Given(Request.Create().WithPath(new RegexMatcher($"^{RepoPath}/commits/[0-9a-f]+/pulls$")).UsingGet()).AtPriority(DefaultsPriority)
            .RespondWith(Response.Create().WithCallback(request => JsonResponse(200, new JsonArray(PullRequestJson(Number, request.Path.Split('/')[^2], BaseRef, BaseSha)))));
        StubJson("GET", RepoPath + "/contents/.github/reviewbot.yml", """{"message":"Not Found"}""", 404, priority: DefaultsPriority);
        StubJson("GET", RepoPath + $"/pulls/{Number}/comments", "[]", priority: DefaultsPriority);
        StubJson("POST", RepoPath + $"/pulls/{Number}/reviews", """{"id":80,"state":"COMMENTED"}""", priority: DefaultsPriority);
        StubJson("POST", RepoPath + $"/pulls/{Number}/comments", """{"id":90}""", priority: DefaultsPriority);
        Server.Given(Request.Create().WithPath(new RegexMatcher($"^{RepoPath}/pulls/{Number}/comments/\\d+/replies$")).UsingPost()).AtPriority(DefaultsPriority)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"id":91}"""));
        StubJson("POST", RepoPath + "/check-runs", $$"""{"id":{{CheckRunId}},"name":"ReviewBot / non-root","status":"in_progress"}""", 201, priority: DefaultsPriority);
        StubJson("PATCH", RepoPath + $"/check-runs/{CheckRunId}", $$"""{"id":{{CheckRunId}},"name":"ReviewBot / non-root"}""", priority: DefaultsPriority);
        Server.Given(Request.Create().WithPath(GraphQLPath).UsingPost()).AtPriority(DefaultsPriority)
            .RespondWith(Response.Create().WithCallback(request => GraphQLBlobs(request.Body!, _contents.GetValueOrDefault)));
        // The recursive tree of a commit: every file StubContent put at that ref, its folders, and StubSymlink's links.
        Server.Given(Request.Create().WithPath(new RegexMatcher($"^{RepoPath}/git/trees/[^/]+$")).UsingGet()).AtPriority(DefaultsPriority)
            .RespondWith(Response.Create().WithCallback(request => JsonResponse(200, Tree(request.Path[(RepoPath + "/git/trees/").Length..]))));
    }

    /// <summary>The links StubSymlink made, as "ref:path".</summary>
    private readonly ConcurrentDictionary<string, bool> _links = new(StringComparer.Ordinal);

    /// <summary>
    /// A symbolic link at a ref, as git stores one: a blob whose text is the target path, mode 120000 in the tree.
    /// GraphQL's Blob read answers the link's text (GitHub does not follow links there).
    /// </summary>
    public void StubSymlink(string path, string reference, string target)
    {
        _contents[reference + ":" + path] = target;
        _links[reference + ":" + path] = true;
    }

    /// <summary>GitHub's answer to GET git/trees/{sha}?recursive=1 from what was stubbed at <paramref name="reference"/>.</summary>
    private JsonObject Tree(string reference)
    {
        var prefix = reference + ":";
        var entries = new JsonArray();
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, text) in _contents.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var path = key[prefix.Length..];
            for (int slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                folders.Add(path[..slash]);
            }

            entries.Add(new JsonObject { ["path"] = path, ["mode"] = _links.ContainsKey(key) ? "120000" : "100644", ["type"] = "blob", ["sha"] = new string('a', 40), ["size"] = Encoding.UTF8.GetByteCount(text) });
        }

        foreach (var folder in folders)
        {
            entries.Add(new JsonObject { ["path"] = folder, ["mode"] = "040000", ["type"] = "tree", ["sha"] = new string('b', 40) });
        }

        return new JsonObject { ["sha"] = reference, ["truncated"] = false, ["tree"] = entries };
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    public RecordingTimeProvider Time { get; } = new();

    /// <summary>The real GitHub API registration, pointed at <see cref="Server"/>.</summary>
    public ServiceProvider Services { get; }

    /// <summary>How many primary handlers (connection pools) IHttpClientFactory built.</summary>
    public int PrimaryHandlers => Volatile.Read(ref _primaryHandlers);

    public GitHubClients Clients => Services.GetRequiredService<GitHubClients>();

    public GitHubInstallationClient Client(ITokenSource? tokens = null) => Clients.ForToken(tokens ?? new StaticTokenSource("ghs_test"));

    /// <summary>POST /app/installations/{id}/access_tokens answers <paramref name="token"/>, valid one hour, with app-manifest.yml's permissions and <paramref name="extraPermissions"/>.</summary>
    public void StubToken(string token = "ghs_token1", int priority = 50, params (string Name, string Level)[] extraPermissions) =>
        Server.Given(Request.Create().WithPath(new RegexMatcher($"^{Api}/app/installations/\\d+/access_tokens$")).UsingPost()).AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(Token(token, extraPermissions).ToJsonString()));

    /// <summary>GitHub's answer to a new installation token: <paramref name="token"/>, valid one hour, and what it may do.</summary>
    public static JsonObject Token(string token, params (string Name, string Level)[] extraPermissions)
    {
        var permissions = new JsonObject { ["checks"] = "write", ["contents"] = "read", ["metadata"] = "read", ["pull_requests"] = "write" };
        foreach (var (name, level) in extraPermissions)
        {
            permissions[name] = level;
        }

        return new() { ["token"] = token, ["expires_at"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), ["permissions"] = permissions, ["repository_selection"] = "all" };
    }

    public void StubPullRequest(string headSha, bool draft, string state = "open", string headRepo = Owner + "/" + Repo) =>
        PullRequestStub(headSha, draft, state, headRepo, NextPriority());

    private void PullRequestStub(string headSha, bool draft, string state, string headRepo, int priority) =>
        StubJson("GET", RepoPath + $"/pulls/{Number}", PullRequestJson(Number, headSha, BaseRef, BaseSha, draft, state, headRepo).ToJsonString(), priority: priority);

    /// <summary>A pull request as GitHub's REST API shows one (the fields a review reads), into this repository.</summary>
    public static JsonObject PullRequestJson(int number, string headSha, string baseRef, string baseSha, bool draft = false, string state = "open", string headRepo = Owner + "/" + Repo) => new()
    {
        ["number"] = number,
        ["state"] = state,
        ["draft"] = draft,
        ["head"] = new JsonObject { ["sha"] = headSha, ["ref"] = $"changes-{number}", ["repo"] = new JsonObject { ["full_name"] = headRepo } },
        ["base"] = new JsonObject { ["sha"] = baseSha, ["ref"] = baseRef, ["repo"] = new JsonObject { ["full_name"] = Owner + "/" + Repo } },
    };

    /// <summary>GET /repos/{o}/{r}/commits/{sha}/pulls answers <paramref name="pullRequests"/> (see <see cref="PullRequestJson"/>).</summary>
    public void StubCommitPulls(string sha, params JsonObject[] pullRequests) =>
        StubJson("GET", RepoPath + $"/commits/{sha}/pulls", new JsonArray([.. pullRequests.Select(p => p.DeepClone())]).ToJsonString(), priority: NextPriority());

    /// <summary>
    /// The pull request's changed files, as any comparison of two commits answers them (GitHub's shape): tests that push
    /// new heads need not stub each; <see cref="StubCompare"/> answers one exact pair.
    /// </summary>
    public void StubFiles(params object[] files) =>
        Server.Given(Request.Create().WithPath(new RegexMatcher($"^{RepoPath}/compare/[0-9a-f]+\\.\\.\\.[0-9a-f]+$")).UsingGet()).AtPriority(NextPriority())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(CompareJson(files)));

    /// <summary>The comparison <paramref name="baseSha"/>...<paramref name="headSha"/> lists <paramref name="files"/> (see <see cref="ComparePath"/>).</summary>
    public void StubCompare(string baseSha, string headSha, params object[] files) =>
        StubJson("GET", RepoPath + $"/compare/{baseSha}...{headSha}", CompareJson(files), priority: NextPriority());

    private static string CompareJson(object[] files) => JsonSerializer.Serialize(new { status = "ahead", files });

    /// <summary>A file's raw content at a ref.</summary>
    public void StubContent(string path, string reference, string text)
    {
        _contents[reference + ":" + path] = text;
        Server.Given(Request.Create().WithPath(RepoPath + "/contents/" + path).WithParam("ref", reference).UsingGet()).AtPriority(NextPriority())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.github.raw").WithBody(text));
    }

    /// <summary>The "ref:path" expressions of GraphQL Blob reads that asked for the text, in order.</summary>
    public IReadOnlyList<string> GraphQLTextReads =>
        [.. Requests("POST", GraphQLPath).Select(Json)
            .Where(q => q["query"]!.GetValue<string>().Contains("text", StringComparison.Ordinal))
            .SelectMany(q => q["variables"]!.AsObject().Where(v => v.Key.StartsWith('e')).Select(v => v.Value!.GetValue<string>()))];

    /// <summary>
    /// GitHub's GraphQL answer to aliased <c>object(expression: "ref:path")</c> Blob reads (variables e0, e1 …):
    /// <paramref name="read"/> gives each expression's text, or null for no such file.
    /// </summary>
    public static ResponseMessage GraphQLBlobs(string body, Func<string, string?> read)
    {
        var request = JsonNode.Parse(body)!;
        bool withText = request["query"]?.GetValue<string>().Contains("text", StringComparison.Ordinal) == true;
        var variables = request["variables"]?.AsObject() ?? [];
        var repository = new JsonObject();
        for (int j = 0; variables[$"e{j}"]?.GetValue<string>() is { } expression; j++)
        {
            if (read(expression) is not { } text)
            {
                repository[$"f{j}"] = null;
                continue;
            }

            int bytes = Encoding.UTF8.GetByteCount(text);
            var blob = new JsonObject { ["__typename"] = "Blob", ["byteSize"] = bytes, ["isBinary"] = false };
            if (withText)
            {
                blob["isTruncated"] = bytes > GraphQLTextLimit;
                blob["text"] = bytes > GraphQLTextLimit ? text[..GraphQLTextLimit] : text;
            }

            repository[$"f{j}"] = blob;
        }

        return JsonResponse(200, new JsonObject { ["data"] = new JsonObject { ["repository"] = repository } });
    }

    /// <summary>A JSON answer for a WireMock callback, with any extra headers.</summary>
    public static ResponseMessage JsonResponse(int status, JsonNode body, params (string Name, string Value)[] headers)
    {
        var all = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") };
        foreach (var (name, value) in headers)
        {
            all[name] = new WireMockList<string>(value);
        }

        return new ResponseMessage
        {
            StatusCode = status,
            Headers = all,
            BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
    }

    /// <summary>The path of the App's webhook deliveries (GET lists them, POST {id}/attempts redelivers one).</summary>
    public const string HookDeliveriesPath = Api + "/app/hook/deliveries";

    /// <summary>
    /// GET /app/hook/deliveries answers <paramref name="pages"/>, newest first, paged by cursor as GitHub does (the
    /// Link header's rel="next" carries <c>cursor</c>); POST /app/hook/deliveries/{id}/attempts answers 202.
    /// </summary>
    public void StubHookDeliveries(params JsonArray[] pages)
    {
        Server.Given(Request.Create().WithPath(HookDeliveriesPath).UsingGet()).AtPriority(NextPriority())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                string? cursor = request.Query is { } query && query.TryGetValue("cursor", out var values) ? values.FirstOrDefault() : null;
                int page = cursor is null ? 0 : int.Parse(cursor["v1_".Length..], System.Globalization.CultureInfo.InvariantCulture);
                var headers = page + 1 < pages.Length
                    ? new[] { ("Link", $"<{Url}{HookDeliveriesPath}?per_page=100&cursor=v1_{page + 1}>; rel=\"next\"") }
                    : [];
                return JsonResponse(200, pages[page].DeepClone(), headers);
            }));
        Server.Given(Request.Create().WithPath(new RegexMatcher($"^{HookDeliveriesPath}/\\d+/attempts$")).UsingPost()).AtPriority(NextPriority())
            .RespondWith(Response.Create().WithStatusCode(202).WithHeader("Content-Type", "application/json").WithBody("{}"));
    }

    /// <summary>One attempt as GitHub's REST description shapes a "simple webhook delivery".</summary>
    public static JsonObject HookDelivery(long id, string guid, DateTimeOffset deliveredAt, int statusCode, bool redelivery = false) => new()
    {
        ["id"] = id,
        ["guid"] = guid,
        ["delivered_at"] = deliveredAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["redelivery"] = redelivery,
        ["duration"] = 0.03,
        ["status"] = statusCode is >= 200 and < 300 ? "OK" : statusCode == 0 ? "failed to connect" : "Invalid HTTP Response: " + statusCode,
        ["status_code"] = statusCode,
        ["event"] = "pull_request",
        ["action"] = "opened",
        ["installation_id"] = InstallationId,
        ["repository_id"] = 1296269,
        ["throttled_at"] = null,
    };

    /// <summary>The delivery ids GitHub was asked to redeliver, in order.</summary>
    public IReadOnlyList<long> Redeliveries =>
        [.. Server.LogEntries.Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path.StartsWith(HookDeliveriesPath + "/", StringComparison.Ordinal))
            .OrderBy(e => e.RequestMessage.DateTime).Select(e => long.Parse(e.RequestMessage.Path.Split('/')[^2], System.Globalization.CultureInfo.InvariantCulture))];

    public int NextPriority() => Math.Max(1, Interlocked.Decrement(ref _nextPriority));

    public void StubJson(string method, string path, string json, int status = 200, int priority = 40) =>
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json));

    /// <summary>The first <paramref name="method"/> of <paramref name="path"/> answers <paramref name="first"/>; later ones fall through to the other stubs.</summary>
    public void Once(string method, string path, IResponseBuilder first) =>
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).AtPriority(1)
            .InScenario(method + path).WillSetStateTo("done")
            .RespondWith(first);

    /// <summary>The requests of one method and path, in the order they arrived.</summary>
    public IReadOnlyList<ILogEntry> Requests(string method, string path) =>
        [.. Server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime)];

    /// <summary>A request's JSON body (also callable on an instance: <see cref="GitHubFakeExtensions"/>).</summary>
    public static JsonNode Json(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!;

    public IReadOnlyList<JsonNode> Reviews => [.. Requests("POST", RepoPath + $"/pulls/{Number}/reviews").Select(Json)];

    public IReadOnlyList<JsonNode> FileComments => [.. Requests("POST", RepoPath + $"/pulls/{Number}/comments").Select(Json)];

    /// <summary>Every write of the check run in order: its creation (POST) and any updates (PATCH).</summary>
    public IReadOnlyList<JsonNode> CheckUpdates =>
        [.. Server.LogEntries
            .Where(e => (e.RequestMessage.Method == "POST" && e.RequestMessage.Path == RepoPath + "/check-runs")
                || (e.RequestMessage.Method == "PATCH" && e.RequestMessage.Path == RepoPath + $"/check-runs/{CheckRunId}"))
            .OrderBy(e => e.RequestMessage.DateTime)
            .Select(Json)];

    /// <summary>Calls to GitHub other than the installation token's.</summary>
    public IReadOnlyList<string> ApiCalls =>
        [.. Server.LogEntries.Where(e => !e.RequestMessage.Path.EndsWith("/access_tokens", StringComparison.Ordinal))
            .Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Path}")];

    /// <summary>Waits until a check run is completed (created completed, or updated to it; also when a run gave up), as the worker runs in the background.</summary>
    public async Task<JsonNode> WaitForCompletedCheckAsync(int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var completed = CheckUpdates.Where(u => u["status"]?.GetValue<string>() == "completed").ToList();
            if (completed.Count >= count)
            {
                await Task.Delay(200); // let the rest of the run (state save) finish
                return completed[count - 1];
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The check run was not completed. Requests seen:\n" + string.Join("\n", Server.LogEntries.Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Url} -> {e.ResponseMessage.StatusCode}")));
    }

    public void Dispose()
    {
        Services.Dispose();
        Server.Stop();
    }
}

/// <summary><c>fake.Json(entry)</c> on an instance too, as <c>GitHubFake.Json(entry)</c> reads statically.</summary>
public static class GitHubFakeExtensions
{
    public static JsonNode Json(this GitHubFake fake, ILogEntry entry) => GitHubFake.Json(entry);
}

/// <summary>
/// The system clock, except that every timer (waits, timeouts) runs a thousand times faster, and every
/// timer's due time is recorded: tests read the waits asked for instead of timing them.
/// </summary>
public sealed class RecordingTimeProvider : TimeProvider
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
