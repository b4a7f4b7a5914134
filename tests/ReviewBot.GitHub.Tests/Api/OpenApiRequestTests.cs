using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Auth;
using ReviewBot.GitHub.Branches;
using ReviewBot.GitHub.Checks;
using ReviewBot.Configuration;
using ReviewBot.GitHub.Onboarding;
using ReviewBot.GitHub.PullRequests;
using ReviewBot.GitHub.Review;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>
/// Every request the client makes is one GitHub's REST description (@octokit/openapi) knows: its operation exists
/// for the method and path, its query parameters are declared, and its JSON body fits the operation's schema
/// (property names, types, enums, required fields, lengths).
/// </summary>
public sealed class OpenApiRequestTests : IDisposable
{
    private readonly GitHubFake _github = new();

    public void Dispose() => _github.Dispose();

    [OpenApiFact]
    public async Task Every_request_of_a_whole_review_fits_GitHubs_REST_description()
    {
        StubEverything();
        var key = RSA.Create(2048);
        var app = _github.Clients.ForApp("12345", new PemRs256Signer(key.ExportRSAPrivateKeyPem()));
        var client = app.ForInstallation(1, TokenScope.Review(1, Repo));

        await app.GetBotLoginAsync(default);
        await client.GetPullRequestAsync(Owner, Repo, Number, default);
        await client.CompareFilesAsync(Owner, Repo, BaseSha, HeadSha, default);
        await client.ListOpenPullRequestsAtHeadAsync(Owner, Repo, HeadSha, Number, default);
        await client.ListOpenPullRequestsAtHeadAsync(Owner, Repo, HeadSha, Number + 1, default); // not listed: the open pull requests are
        await client.ReadFileAsync(Owner, Repo, "dir with space/Dockerfile", HeadSha, 1000, default);
        await client.ListReviewCommentsAsync(Owner, Repo, Number, default);
        await client.ListCheckRunsAsync(Owner, Repo, HeadSha, CheckRunPlan.Name, default);
        await client.ReplyAsync(Owner, Repo, Number, 1000, "Fixed in abc.", default);
        await client.PostReviewAsync(Owner, Repo, Number, HeadSha, Plan(), default);
        var id = await client.CreateCheckRunAsync(Owner, Repo, HeadSha, TestPlans.Check(annotations: 60), CheckRerun.OfPullRequest(Number), default);
        await client.AddRemainingAnnotationsAsync(Owner, Repo, id, TestPlans.Check(annotations: 60), default);

        var spec = OpenApiSpec.Load();
        var problems = _github.Server.LogEntries.SelectMany(spec.Check).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(_github.Server.LogEntries.Count() >= 15);
        Assert.Contains(_github.Server.LogEntries, e => e.RequestMessage.Path == $"{RepoPath}/pulls" && e.RequestMessage.Query!["state"].Single() == "open");
    }

    /// <summary>
    /// Onboarding opens a pull request (repository, ref, tree, pull requests, create the branch and the pull request),
    /// refreshes one (move the branch, update the body) and closes a stale one (comment, close, delete the branch); the
    /// default branch's check reads the tree and the config and writes its check run. GraphQL is not REST: left out.
    /// </summary>
    [OpenApiFact]
    public async Task Every_request_of_onboarding_and_a_default_branch_check_fits_GitHubs_REST_description()
    {
        StubEverything();
        string head = new('a', 40), old = new('b', 40), commit = new('c', 40);
        const string Root = "FROM python:3.12-slim\nCOPY . /app\n";
        new GraphQLFiles(new Dictionary<string, string> { ["Dockerfile"] = Root, ["fixed/Dockerfile"] = "FROM python:3.12-slim\nUSER 10001\n" }).Register(_github);
        _github.Server.Given(Request.Create().WithPath(GraphQLFiles.Path).UsingPost().WithBody(new WireMock.Matchers.WildcardMatcher("*createCommitOnBranch*"))).AtPriority(1)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("{\"data\":{\"createCommitOnBranch\":{\"commit\":{\"oid\":\"" + commit + "\"}}}}"));
        _github.Server.Given(Request.Create().WithPath(GraphQLFiles.Path).UsingPost().WithBody(new WireMock.Matchers.WildcardMatcher("*updateRefs*"))).AtPriority(1)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"data":{"updateRefs":{"clientMutationId":null}}}"""));
        string ours = new JsonArray(new JsonObject
        {
            ["number"] = 7,
            ["state"] = "open",
            ["body"] = $"{OnboardingPlan.Marker}\n<!-- reviewbot:onboarding-state base={old} commit={commit} findings=0123456789abcdef0123 -->\nbody",
            ["head"] = new JsonObject { ["sha"] = commit },
            ["user"] = new JsonObject { ["login"] = "reviewbot[bot]", ["type"] = "Bot" },
        }).ToJsonString();
        foreach (var (repo, dockerfile, pulls) in new[] { ("opens", "Dockerfile", "[]"), ("refreshes", "Dockerfile", ours), ("closes", "fixed/Dockerfile", ours) })
        {
            string path = $"/api/v3/repos/{Owner}/{repo}";
            _github.StubJson("GET", path, """{"default_branch":"main","archived":false,"fork":false,"node_id":"R_kgDO"}""");
            _github.StubJson("GET", path + "/git/ref/heads/main", $$$"""{"ref":"refs/heads/main","object":{"sha":"{{{head}}}"}}""");
            _github.StubJson("GET", path + $"/git/trees/{head}", $$$"""{"sha":"{{{head}}}","truncated":false,"tree":[{"path":"{{{dockerfile}}}","mode":"100644","type":"blob","size":40}]}""");
            _github.StubJson("GET", path + "/pulls", pulls);
            _github.StubJson("POST", path + "/git/refs", $$$"""{"ref":"refs/heads/reviewbot/non-root","object":{"sha":"{{{head}}}"}}""", 201);
            _github.StubJson("GET", path + "/git/ref/heads/reviewbot/non-root", """{"message":"Not Found"}""", 404);
            _github.StubJson("DELETE", path + "/git/refs/heads/reviewbot/non-root", "", 204);
            _github.StubJson("POST", path + "/pulls", """{"number":12}""", 201);
            _github.StubJson("PATCH", path + "/pulls/7", """{"number":7}""");
            _github.StubJson("POST", path + "/issues/7/comments", """{"id":70}""", 201);
            _github.StubJson("GET", path + "/issues/7/comments", "[]");
        }

        _github.StubJson("GET", RepoPath + $"/git/trees/{HeadSha}", """{"sha":"x","truncated":false,"tree":[{"path":"Dockerfile","mode":"100644","type":"blob","size":40}]}""");
        var key = RSA.Create(2048);
        var app = _github.Clients.ForApp("12345", new PemRs256Signer(key.ExportRSAPrivateKeyPem()));
        var onboarding = new GitHubOnboardingClient(app.ForInstallation(1, TokenScope.Onboarding(null, "opens")), app.GetBotLoginAsync);

        var outcomes = new List<OnboardingOutcome>();
        foreach (var repo in new[] { "opens", "refreshes", "closes" })
        {
            outcomes.Add((await RepositoryOnboarder.OnboardAsync(onboarding, Owner, repo, _ => Task.FromResult(true), _ => Task.FromResult<TimeSpan?>(null), default)).Outcome);
        }

        var check = await new BranchChecker(new PullRequestReviewer()).CheckAsync(app.ForInstallation(1, TokenScope.BranchCheck(1, Repo)), new BranchTarget(Owner, Repo, "main", HeadSha), new ReviewSettings { BotLogin = app.GetBotLoginAsync }, ReviewHooks.None, default);

        Assert.Equal([OnboardingOutcome.Opened, OnboardingOutcome.Refreshed, OnboardingOutcome.Closed], outcomes);
        Assert.Equal(CheckConclusion.Failure, check.Conclusion);
        var rest = _github.Server.LogEntries.Where(e => e.RequestMessage.Path != GraphQLFiles.Path).ToList();
        var spec = OpenApiSpec.Load();
        var problems = rest.SelectMany(spec.Check).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var operations = rest.Select(e => $"{e.RequestMessage.Method} {Regex.Replace(e.RequestMessage.Path, "/repos/[^/]+/[^/]+", "")}").ToHashSet();
        Assert.Superset(
            new HashSet<string>
            {
                "GET /api/v3", "GET /api/v3/git/ref/heads/main", $"GET /api/v3/git/trees/{head}", "GET /api/v3/pulls", "POST /api/v3/git/refs",
                "GET /api/v3/git/ref/heads/reviewbot/non-root", "DELETE /api/v3/git/refs/heads/reviewbot/non-root", "POST /api/v3/pulls",
                "PATCH /api/v3/pulls/7", "GET /api/v3/issues/7/comments", "POST /api/v3/issues/7/comments", "GET /api/v3/contents/.github/reviewbot.yml", "POST /api/v3/check-runs",
            },
            operations);
    }

    /// <summary>The redelivery job: the App's deliveries listed page by page (cursor from the Link header), and one redelivered.</summary>
    [OpenApiFact]
    public async Task Every_request_of_a_redelivery_run_fits_GitHubs_REST_description()
    {
        var now = DateTimeOffset.UtcNow;
        _github.StubHookDeliveries(
            new JsonArray(HookDelivery(3, "a", now.AddMinutes(-1), 503), HookDelivery(2, "b", now.AddMinutes(-2), 202)),
            new JsonArray(HookDelivery(1, "c", now.AddHours(-1), 0)));
        var app = _github.Clients.ForApp("12345", new PemRs256Signer(RSA.Create(2048).ExportRSAPrivateKeyPem()));

        var listed = await app.ListDeliveriesAsync(now.AddDays(-1), default);
        await app.RedeliverAsync(listed[0].Id, default);

        Assert.Equal([3L, 2L, 1L], listed.Select(d => d.Id));
        Assert.Equal(503, listed[0].StatusCode);
        var spec = OpenApiSpec.Load();
        var problems = _github.Server.LogEntries.SelectMany(spec.Check).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(
            ["GET " + HookDeliveriesPath, "GET " + HookDeliveriesPath, "POST " + HookDeliveriesPath + "/3/attempts"],
            _github.Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Path}"));
        Assert.Contains(_github.Server.LogEntries, e => e.RequestMessage.Query is { } query && query.TryGetValue("cursor", out var cursor) && cursor.Contains("v1_1"));
    }

    private static ReviewPlan Plan() => TestPlans.WithInlineComment() with
    {
        Event = ReviewEvent.RequestChanges,
        Comments =
        [
            .. TestPlans.WithInlineComment().Comments,
            new InlineComment("svc/Dockerfile", 3, 4, "```suggestion\nUSER app\n```", "ffffffffffffffffffff", "RB001", Severity.Error, "runs as root"),
        ],
        FileComments = TestPlans.WithFileCommentOnly().FileComments,
    };

    private void StubEverything()
    {
        _github.StubJson("GET", "/api/v3/app", """{"slug":"reviewbot"}""");
        _github.StubJson("POST", "/api/v3/app/installations/1/access_tokens", """{"token":"ghs_x","expires_at":"2099-01-01T00:00:00Z"}""", 201);
        _github.StubJson("GET", RepoPath + "/pulls/2", """{"number":2,"state":"open","draft":false,"head":{"sha":"a"},"base":{"ref":"main"}}""");
        _github.StubFiles();
        _github.StubJson("GET", RepoPath + "/pulls", "[]");
        _github.StubJson("GET", RepoPath + "/pulls/2/comments", "[]");
        _github.StubJson("GET", RepoPath + $"/commits/{HeadSha}/check-runs", """{"total_count":0,"check_runs":[]}""");
        _github.StubJson("POST", RepoPath + "/pulls/2/comments/1000/replies", """{"id":3}""", 201);
        _github.StubJson("POST", RepoPath + "/pulls/2/reviews", """{"id":80}""");
        _github.StubJson("POST", RepoPath + "/pulls/2/comments", """{"id":90}""", 201);
        _github.StubJson("POST", RepoPath + "/check-runs", """{"id":4}""", 201);
        _github.StubJson("PATCH", RepoPath + "/check-runs/4", """{"id":4}""");
        _github.Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("/contents/")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.github.raw").WithBody("FROM alpine\n"));
    }
}

/// <summary>
/// Runs where @octokit/openapi is installed (node_modules above the tests, or OCTOKIT_OPENAPI naming its folder). In CI
/// (<c>CI=true</c>, which test.sh's <c>npm ci</c> provides for) it always runs: a contract check that skips itself there
/// would pass silently while checking nothing.
/// </summary>
public sealed class OpenApiFactAttribute : FactAttribute
{
    public OpenApiFactAttribute()
    {
        if (OpenApiSpec.File is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "skipped: @octokit/openapi absent (npm ci)";
        }
    }
}

/// <summary>The REST description of api.github.com, and a small checker of requests against it (only what our requests use).</summary>
internal sealed class OpenApiSpec(JsonElement root)
{
    public static string? File { get; } = Find();

    private readonly List<(Regex Path, string Template, JsonElement Item)> _paths =
        [.. root.GetProperty("paths").EnumerateObject().Select(p => (PathPattern(p.Name, MultiSegment(root, p.Value)), p.Name, p.Value))];

    /// <summary>
    /// A path template as a pattern: a parameter is one segment, except one the description marks
    /// <c>x-multi-segment</c>, which may hold slashes (a file's path, a ref such as heads/feature/x).
    /// </summary>
    private static Regex PathPattern(string template, HashSet<string> multiSegment) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{([^}]+)}", m => multiSegment.Contains(m.Groups[1].Value) ? ".+" : "[^/]+") + "$");

    /// <summary>The path parameters of any of the path's operations that the description marks <c>x-multi-segment</c>.</summary>
    private static HashSet<string> MultiSegment(JsonElement root, JsonElement item) =>
        [.. item.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("parameters", out _))
            .SelectMany(o => o.Value.GetProperty("parameters").EnumerateArray()).Select(p => Resolve(root, p))
            .Where(p => p.TryGetProperty("x-multi-segment", out var multi) && multi.ValueKind == JsonValueKind.True)
            .Select(p => p.GetProperty("name").GetString()!)];

    public static OpenApiSpec Load()
    {
        using var stream = System.IO.File.OpenRead(File ?? throw new InvalidOperationException("@octokit/openapi is not installed: run npm ci (package.json pins it)."));
        return new OpenApiSpec(JsonDocument.Parse(stream).RootElement.Clone());
    }

    public IEnumerable<string> Check(ILogEntry entry)
    {
        var request = entry.RequestMessage;
        var method = request.Method.ToLowerInvariant();
        var path = request.Path.StartsWith("/api/v3", StringComparison.Ordinal) ? request.Path["/api/v3".Length..] : request.Path;
        var matches = _paths.Where(p => p.Path.IsMatch(path) && p.Item.TryGetProperty(method, out _))
            // The most literal template wins: /commits/{ref}/check-runs over a multi-segment /commits/{ref}.
            .OrderByDescending(p => Regex.Replace(p.Template, "{[^}]+}", "").Length).ThenBy(p => p.Template.Count(c => c == '{')).ToList();
        if (matches.Count == 0)
        {
            yield return $"{request.Method} {path}: no such operation";
            yield break;
        }

        var operation = matches[0].Item.GetProperty(method);
        var declared = Parameters(matches[0].Item).Concat(Parameters(operation)).Where(p => p.GetProperty("in").GetString() == "query")
            .Select(p => p.GetProperty("name").GetString()).ToHashSet();
        foreach (var name in request.Query?.Keys ?? [])
        {
            if (!declared.Contains(name))
            {
                yield return $"{request.Method} {matches[0].Template}: query parameter {name} is not declared";
            }
        }

        if (string.IsNullOrEmpty(request.Body))
        {
            yield break;
        }

        if (!operation.TryGetProperty("requestBody", out var body))
        {
            yield return $"{request.Method} {matches[0].Template}: sends a body the operation does not take";
            yield break;
        }

        var schema = Resolve(Resolve(body).GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        using var json = JsonDocument.Parse(request.Body);
        foreach (var problem in Validate(json.RootElement, schema, ""))
        {
            yield return $"{request.Method} {matches[0].Template}: {problem}";
        }
    }

    private IEnumerable<JsonElement> Parameters(JsonElement item) =>
        item.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray().Select(Resolve) : [];

    private JsonElement Resolve(JsonElement element) => Resolve(root, element);

    private static JsonElement Resolve(JsonElement root, JsonElement element)
    {
        while (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference))
        {
            element = reference.GetString()!.TrimStart('#', '/').Split('/').Aggregate(root, (e, name) => e.GetProperty(name.Replace("~1", "/", StringComparison.Ordinal)));
        }

        return element;
    }

    private List<string> Validate(JsonElement value, JsonElement schema, string at)
    {
        schema = Resolve(schema);
        foreach (var combinator in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                var results = options.EnumerateArray().Select(o => Validate(value, o, at)).ToList();
                if (results.All(r => r.Count > 0))
                {
                    return [$"{at}: fits none of its {combinator} ({string.Join(" | ", results.Select(r => r[0]))})"];
                }
            }
        }

        var problems = new List<string>();
        if (schema.TryGetProperty("allOf", out var all))
        {
            problems.AddRange(all.EnumerateArray().SelectMany(s => Validate(value, s, at)));
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.ToString() == value.ToString()))
        {
            problems.Add($"{at}: {value} is not one of {values}");
        }

        var type = schema.TryGetProperty("type", out var t) ? t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).ToArray() : [t.GetString()] : [];
        if (type.Length > 0 && !type.Any(name => Fits(value, name)))
        {
            problems.Add($"{at}: {value.ValueKind} where {string.Join("/", type)} is expected");
            return problems;
        }

        if (value.ValueKind == JsonValueKind.String && schema.TryGetProperty("maxLength", out var max) && value.GetString()!.Length > max.GetInt32())
        {
            problems.Add($"{at}: longer than {max}");
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            int i = 0;
            foreach (var item in value.EnumerateArray())
            {
                problems.AddRange(Validate(item, items, $"{at}[{i++}]"));
            }
        }

        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in value.EnumerateObject())
            {
                if (properties.TryGetProperty(property.Name, out var propertySchema))
                {
                    problems.AddRange(Validate(property.Value, propertySchema, $"{at}.{property.Name}"));
                }
                else if (!schema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind == JsonValueKind.False)
                {
                    problems.Add($"{at}.{property.Name}: not a property GitHub knows");
                }
            }

            if (schema.TryGetProperty("required", out var required))
            {
                problems.AddRange(required.EnumerateArray().Where(r => !value.TryGetProperty(r.GetString()!, out _)).Select(r => $"{at}.{r.GetString()}: required but missing"));
            }
        }

        return problems;
    }

    private static bool Fits(JsonElement value, string? type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("OCTOKIT_OPENAPI") is { Length: > 0 } configured)
        {
            var file = Path.Combine(configured, "generated", "api.github.com.json");
            return System.IO.File.Exists(file) ? file : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
            if (System.IO.File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
