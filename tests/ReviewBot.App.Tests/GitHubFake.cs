using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ReviewBot.App.Tests;

/// <summary>
/// WireMock.Net playing GitHub on loopback for one repository and pull request. Octokit prefixes
/// /api/v3/ to any base URL that is not github.com, so every stub lives under it.
/// </summary>
public sealed class GitHubFake : IDisposable
{
    public const string Owner = "Codertocat";
    public const string Repo = "Hello-World";
    public const int Number = 2;
    public const long InstallationId = 1;
    public const string HeadSha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    public const string BaseRef = "master";
    public const long CheckRunId = 4;
    public const string Api = "/api/v3";
    public const string RepoPath = Api + "/repos/" + Owner + "/" + Repo;

    /// <summary>The App's slug, as GET /app answers it; its comments are written by <see cref="BotLogin"/>.</summary>
    public const string AppSlug = "reviewbot";

    /// <summary>The login our comments carry: only comments by it count as ours (PreviousComments).</summary>
    public const string BotLogin = AppSlug + "[bot]";

    /// <summary>GitHub's GraphQL endpoint on a non-github.com host (GHES's rule): {host}/api/graphql.</summary>
    public const string GraphQLPath = "/api/graphql";

    /// <summary>GitHub cuts a Blob's GraphQL text at 512,000 bytes and says isTruncated.</summary>
    private const int GraphQLTextLimit = 512_000;

    /// <summary>Later stubs win over earlier ones for the same request (WireMock: a lower number is a higher priority).</summary>
    private int nextPriority = 40;

    /// <summary>What <see cref="StubContent"/> put at "ref:path", served by REST and by GraphQL Blob reads alike.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> contents = new(StringComparer.Ordinal);

    public GitHubFake()
    {
        Server = WireMockServer.Start();
        StubToken();

        // GET /app with the App JWT: the worker learns its bot login from it before it lists our earlier comments.
        StubJson("GET", Api + "/app", $$$"""{"id":{{{AppHost.AppId}}},"slug":"{{{AppSlug}}}","name":"ReviewBot","owner":{"login":"{{{Owner}}}","type":"User"}}""", priority: 50);
        StubPullRequest(HeadSha, draft: false);
        Server.Given(Request.Create().WithPath(RepoPath + "/contents/.github/reviewbot.yml").UsingGet()).AtPriority(50)
            .RespondWith(Response.Create().WithStatusCode(404).WithBodyAsJson(new { message = "Not Found" }));
        StubJson("GET", RepoPath + $"/pulls/{Number}/comments", "[]", priority: 50);
        StubJson("POST", RepoPath + $"/pulls/{Number}/reviews", """{"id":80,"state":"COMMENTED"}""", priority: 50);
        StubJson("POST", RepoPath + $"/pulls/{Number}/comments", """{"id":90}""", priority: 50);
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher($"^{RepoPath}/pulls/{Number}/comments/\\d+/replies$")).UsingPost()).AtPriority(50)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"id":91}"""));
        StubJson("POST", RepoPath + "/check-runs", $$"""{"id":{{CheckRunId}},"name":"ReviewBot / non-root","status":"in_progress"}""", 201, priority: 50);
        StubJson("PATCH", RepoPath + $"/check-runs/{CheckRunId}", $$"""{"id":{{CheckRunId}},"name":"ReviewBot / non-root"}""", priority: 50);
        Server.Given(Request.Create().WithPath(GraphQLPath).UsingPost()).AtPriority(50)
            .RespondWith(Response.Create().WithCallback(request => GraphQLBlobs(request.Body!)));
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    /// <summary>POST /app/installations/{id}/access_tokens answers <paramref name="token"/>, valid one hour.</summary>
    public void StubToken(string token = "ghs_token1", int priority = 50) =>
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher($"^{Api}/app/installations/\\d+/access_tokens$")).UsingPost()).AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody(JsonSerializer.Serialize(new { token, expires_at = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ") })));

    public void StubPullRequest(string headSha, bool draft, string state = "open", string headRepo = Owner + "/" + Repo) =>
        StubJson("GET", RepoPath + $"/pulls/{Number}", JsonSerializer.Serialize(new
        {
            number = Number,
            state,
            draft,
            head = new { sha = headSha, @ref = "changes", repo = new { full_name = headRepo } },
            @base = new { sha = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", @ref = BaseRef },
        }), priority: NextPriority());

    /// <summary>The pull request's files, one page (GitHub's list shape).</summary>
    public void StubFiles(params object[] files) => StubJson("GET", RepoPath + $"/pulls/{Number}/files", JsonSerializer.Serialize(files), priority: NextPriority());

    /// <summary>A file's raw content at a ref.</summary>
    public void StubContent(string path, string reference, string text)
    {
        contents[reference + ":" + path] = text;
        Server.Given(Request.Create().WithPath(RepoPath + "/contents/" + path).WithParam("ref", reference).UsingGet()).AtPriority(NextPriority())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.github.raw").WithBody(text));
    }

    /// <summary>The "ref:path" expressions of GraphQL Blob reads that asked for the text, in order.</summary>
    public IReadOnlyList<string> GraphQLTextReads =>
        [.. Requests("POST", GraphQLPath).OrderBy(e => e.RequestMessage.DateTime).Select(Json)
            .Where(q => q["query"]!.GetValue<string>().Contains("text", StringComparison.Ordinal))
            .SelectMany(q => q["variables"]!.AsObject().Where(v => v.Key.StartsWith('e')).Select(v => v.Value!.GetValue<string>()))];

    /// <summary>GitHub's GraphQL answer to aliased <c>object(expression: "ref:path")</c> Blob reads, from <see cref="StubContent"/>.</summary>
    private WireMock.ResponseMessage GraphQLBlobs(string body)
    {
        var request = JsonNode.Parse(body)!;
        bool withText = request["query"]!.GetValue<string>().Contains("text", StringComparison.Ordinal);
        var variables = request["variables"]!.AsObject();
        var repository = new JsonObject();
        for (int j = 0; variables.ContainsKey($"e{j}"); j++)
        {
            if (!contents.TryGetValue(variables[$"e{j}"]!.GetValue<string>(), out var text))
            {
                repository[$"f{j}"] = null;
                continue;
            }

            int bytes = System.Text.Encoding.UTF8.GetByteCount(text);
            var blob = new JsonObject { ["__typename"] = "Blob", ["byteSize"] = bytes, ["isBinary"] = false };
            if (withText)
            {
                blob["isTruncated"] = bytes > GraphQLTextLimit;
                blob["text"] = bytes > GraphQLTextLimit ? text[..GraphQLTextLimit] : text;
            }

            repository[$"f{j}"] = blob;
        }

        return new WireMock.ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new WireMock.Util.BodyData
            {
                BodyAsString = new JsonObject { ["data"] = new JsonObject { ["repository"] = repository } }.ToJsonString(),
                DetectedBodyType = WireMock.Types.BodyType.String,
                Encoding = System.Text.Encoding.UTF8,
            },
        };
    }

    public int NextPriority() => Math.Max(1, Interlocked.Decrement(ref nextPriority));

    public void StubJson(string method, string path, string json, int status = 200, int priority = 40) =>
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json));

    public IReadOnlyList<ILogEntry> Requests(string method, string path) =>
        [.. Server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path)];

    public JsonNode Json(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!;

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

    public void Dispose() => Server.Stop();
}
