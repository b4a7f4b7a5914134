using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace ReviewBot.Load;

/// <summary>
/// The load run's GitHub: the shared <see cref="GitHubFake"/> answering, through one callback above all its other
/// stubs, for any number of pull requests of one repository, each changing <see cref="Dockerfiles"/> Dockerfiles that
/// run as root. It counts every call per pull request, notes when each review and completed check arrive, and
/// injects one <see cref="Fault"/>.
/// </summary>
public sealed partial class LoadGitHub : IDisposable
{
    public const string Owner = GitHubFake.Owner;
    public const string Repo = GitHubFake.Repo;

    /// <summary>Longer than the App's request timeout in the load runs (GitHub:RequestTimeout=2s).</summary>
    public static readonly TimeSpan HangFor = TimeSpan.FromSeconds(3);

    public const string Dockerfile = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates\nCOPY app /app\nEXPOSE 8080\nCMD [\"/app/run\"]\n";

    private readonly ConcurrentDictionary<int, PullRequestStats> _stats = new();
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);
    private int _tokenCalls;
    private int _appCalls;
    private int _tokenGeneration = 1;
    private int _unexpected;
    private int _faults;

    /// <summary>How many answers were the injected fault.</summary>
    public int FaultsInjected => Volatile.Read(ref _faults);

    /// <param name="dockerfileBytes">Each Dockerfile padded with RUN lines to this size (GitHub then sends no patch, as for a large diff); 0: <see cref="Dockerfile"/> as it is.</param>
    public LoadGitHub(int dockerfiles, Fault fault, TimeSpan? filesLatency = null, int dockerfileBytes = 0)
    {
        Dockerfiles = dockerfiles;
        Text = Padded(dockerfileBytes);
        _textBytes = Encoding.UTF8.GetBytes(Text);
        _textLines = Text.TrimEnd('\n').Split('\n');
        Fault = fault;
        FilesLatency = filesLatency ?? TimeSpan.Zero;
        _github = new GitHubFake();
        Server.Given(Request.Create().WithPath(new RegexMatcher("^/api/(v3/.*|graphql)$"))).AtPriority(1)
            .RespondWith(Response.Create().WithCallback(Handle));
    }

    private readonly GitHubFake _github;

    public WireMockServer Server => _github.Server;

    public string Url => _github.Url;

    public int Dockerfiles { get; }

    /// <summary>Every changed Dockerfile's text.</summary>
    public string Text { get; }

    // Made once: split or encoded per answer, 50 files of 4 MB kept the fake busy past the App's request timeout.
    private readonly byte[] _textBytes;
    private readonly string[] _textLines;

    private static string Padded(int bytes)
    {
        const string Line = "RUN apt-get install -y --no-install-recommends curl\n";
        if (bytes <= Dockerfile.Length)
        {
            return Dockerfile;
        }

        var text = new StringBuilder(bytes).Append(Dockerfile);
        while (text.Length + Line.Length <= bytes)
        {
            text.Append(Line);
        }

        return text.Append('#', bytes - text.Length - 1).Append('\n').ToString();
    }

    public Fault Fault { get; }

    /// <summary>How long every files list takes, so reviews are surely in flight when something breaks.</summary>
    public TimeSpan FilesLatency { get; }

    public int TokenCalls => Volatile.Read(ref _tokenCalls);

    /// <summary>GET /app calls: the App asks its bot login once per process, before it first lists our comments.</summary>
    public int AppCalls => Volatile.Read(ref _appCalls);

    /// <summary>The slug GET /app answers; our comments are written by "{slug}[bot]".</summary>
    public const string AppSlug = GitHubFake.AppSlug;

    /// <summary>Calls the fake could not attribute or did not expect; should stay 0.</summary>
    public int Unexpected => Volatile.Read(ref _unexpected);

    public static string HeadSha(int number) => "ad" + number.ToString("x", CultureInfo.InvariantCulture).PadLeft(38, '0');

    public PullRequestStats Stats(int number) => _stats.GetOrAdd(number, n => new PullRequestStats(n));

    public IReadOnlyCollection<PullRequestStats> AllStats => [.. _stats.Values];

    /// <summary>Revokes the token in use (the 401 fault): the App must fetch a new one and carry on.</summary>
    public void RevokeCurrentToken()
    {
        _revoked[$"ghs_load_{Volatile.Read(ref _tokenGeneration)}"] = true;
        Interlocked.Increment(ref _tokenGeneration);
    }

    public void Dispose()
    {
        _github.Dispose();
        Server.Dispose();
    }

    private ResponseMessage Handle(IRequestMessage request)
    {
        var path = request.Path;
        var method = request.Method;

        if (TokenPath().IsMatch(path) && method == "POST")
        {
            Interlocked.Increment(ref _tokenCalls);
            var token = $"ghs_load_{Volatile.Read(ref _tokenGeneration)}";
            return Json(201, GitHubFake.Token(token));
        }

        if (path == "/api/v3/app" && method == "GET")
        {
            Interlocked.Increment(ref _appCalls);
            return Json(200, new JsonObject { ["id"] = 1, ["slug"] = AppSlug, ["name"] = "ReviewBot" });
        }

        var authorization = request.Headers?.TryGetValue("Authorization", out var values) == true ? values.FirstOrDefault() ?? "" : "";
        var presented = authorization.Split(' ', 2) is [_, var t] ? t : "";
        if (_revoked.ContainsKey(presented))
        {
            Interlocked.Increment(ref _faults);
            AttributeCall(path, request);
            return Json(401, new JsonObject { ["message"] = "Bad credentials" });
        }

        if (path == "/api/graphql" && method == "POST")
        {
            return GraphQLBlobs(request);
        }

        if (RepoPath().Match(path) is not { Success: true } repoMatch)
        {
            return NotExpected(request);
        }

        var rest = repoMatch.Groups["rest"].Value;

        if (PullPath().Match(rest) is { Success: true } pull)
        {
            var number = int.Parse(pull.Groups["n"].Value, CultureInfo.InvariantCulture);
            var stats = Stats(number);
            stats.Call();
            return (pull.Groups["tail"].Value, method) switch
            {
                ("", "GET") => Json(200, PullRequest(number)),
                ("/comments", "GET") => Json(200, stats.PostedComments()),
                ("/comments", "POST") => Json(201, stats.Remember(JsonNode.Parse(request.Body ?? "{}")!)),
                ("/reviews", "POST") => Review(stats, request),
                _ => NotExpected(request),
            };
        }

        // The changes of a pull request are its base and head commits' comparison; the head says which pull request it is.
        if (ComparePath().Match(rest) is { Success: true } compare && method == "GET" && NumberFromSha(compare.Groups["head"].Value) is int compared)
        {
            var stats = Stats(compared);
            stats.Call();
            return FilesList(stats);
        }

        // Every pull request has a head of its own: the only open one at that commit is itself.
        if (CommitPullsPath().Match(rest) is { Success: true } commit && method == "GET" && NumberFromSha(commit.Groups["sha"].Value) is int atHead)
        {
            Stats(atHead).Call();
            return Json(200, new JsonArray(PullRequest(atHead)));
        }

        // The head's tree, which a review reads for symbolic links and the Dockerfiles compose files name.
        if (TreePath().Match(rest) is { Success: true } tree && method == "GET" && NumberFromSha(tree.Groups["sha"].Value) is int treeOf)
        {
            Stats(treeOf).Call();
            var entries = new JsonArray();
            foreach (var file in Enumerable.Range(0, Dockerfiles).Select(i => i == 0 ? "Dockerfile" : $"services/s{i}/Dockerfile").Append("README.md"))
            {
                entries.Add(new JsonObject { ["path"] = file, ["mode"] = "100644", ["type"] = "blob", ["sha"] = "bbcd538c8e72b8c175046e27cc8f907076331401", ["size"] = file == "README.md" ? 6 : _textBytes.Length });
            }

            return Json(200, new JsonObject { ["sha"] = tree.Groups["sha"].Value, ["tree"] = entries, ["truncated"] = false });
        }

        if (rest.StartsWith("/contents/", StringComparison.Ordinal) && method == "GET")
        {
            var file = Uri.UnescapeDataString(rest["/contents/".Length..]);
            var reference = request.Query?.TryGetValue("ref", out var refs) == true ? refs.FirstOrDefault() ?? "" : "";
            if (file == ".github/reviewbot.yml")
            {
                // Read at the base commit: attribute it through the PR the worker is on, if we can tell.
                CountUnattributed();
                return Json(404, new JsonObject { ["message"] = "Not Found" });
            }

            if (NumberFromSha(reference) is not int number)
            {
                return NotExpected(request);
            }

            Stats(number).Call();
            return new ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/vnd.github.raw") },
                BodyData = new BodyData { BodyAsBytes = _textBytes, DetectedBodyType = BodyType.Bytes },
            };
        }

        if (rest == "/check-runs" && method == "POST")
        {
            var body = JsonNode.Parse(request.Body ?? "{}")!;
            if (NumberFromSha(body["head_sha"]?.GetValue<string>() ?? "") is not int number)
            {
                return NotExpected(request);
            }

            var stats = Stats(number);
            stats.Call();
            // The app creates its check run once, already completed (in progress only while more than 50 annotations follow).
            var status = body["status"]?.GetValue<string>() ?? "queued";
            if (status == "completed")
            {
                stats.CheckCompleted(body["conclusion"]?.GetValue<string>() ?? "");
            }

            return Json(201, new JsonObject { ["id"] = number, ["name"] = body["name"]?.GetValue<string>(), ["status"] = status });
        }

        if (CheckRunPath().Match(rest) is { Success: true } check && method == "PATCH")
        {
            var stats = Stats(int.Parse(check.Groups["id"].Value, CultureInfo.InvariantCulture));
            stats.Call();
            var body = JsonNode.Parse(request.Body ?? "{}")!;
            if (body["status"]?.GetValue<string>() == "completed" || body["conclusion"] is not null)
            {
                stats.CheckCompleted(body["conclusion"]?.GetValue<string>() ?? "");
            }

            return Json(200, new JsonObject { ["id"] = stats.Number });
        }

        return NotExpected(request);
    }

    /// <summary>
    /// GitHub's GraphQL answer to the review's aliased <c>object(expression: "sha:path")</c> Blob reads (variables
    /// e0, e1 …): every changed file is <see cref="Dockerfile"/>, counted as one call of the pull request its sha names.
    /// </summary>
    private ResponseMessage GraphQLBlobs(IRequestMessage request)
    {
        int? number = null;
        var answer = GitHubFake.GraphQLBlobs(request.Body ?? "{}", expression =>
        {
            number ??= NumberFromSha(expression.Split(':', 2)[0]);
            return Text;
        });
        if (number is not int pr)
        {
            return NotExpected(request);
        }

        Stats(pr).Call();
        return answer;
    }

    /// <summary>The config read carries no PR number; the load report adds it per PR (one per run).</summary>
    private void CountUnattributed() => Interlocked.Increment(ref _configReads);

    private int _configReads;

    public int ConfigReads => Volatile.Read(ref _configReads);

    private void AttributeCall(string path, IRequestMessage request)
    {
        if (RepoPath().Match(path) is { Success: true } m && PullPath().Match(m.Groups["rest"].Value) is { Success: true } pull)
        {
            Stats(int.Parse(pull.Groups["n"].Value, CultureInfo.InvariantCulture)).Call();
        }
    }

    private ResponseMessage FilesList(PullRequestStats stats)
    {
        var attempt = stats.FilesAttempt();
        if (FilesLatency > TimeSpan.Zero)
        {
            Thread.Sleep(FilesLatency);
        }

        if (attempt == 1 && Fault is Fault.Status500 or Fault.Status502 or Fault.Timeout or Fault.TooManyRequests)
        {
            Interlocked.Increment(ref _faults);
            stats.FilesFaulted();
            switch (Fault)
            {
                case Fault.Status500:
                    return Json(500, new JsonObject { ["message"] = "Server Error" });
                case Fault.Status502:
                    return Json(502, new JsonObject { ["message"] = "Bad Gateway" });
                case Fault.Timeout:
                    Thread.Sleep(HangFor);
                    break;
                case Fault.TooManyRequests:
                    return Json(429, new JsonObject { ["message"] = "Too Many Requests" }, ("Retry-After", "1"));
            }
        }

        var files = new JsonArray();
        for (var i = 0; i < Dockerfiles; i++)
        {
            var path = i == 0 ? "Dockerfile" : $"services/s{i}/Dockerfile";
            var lines = _textLines;
            var listed = new JsonObject
            {
                ["sha"] = "bbcd538c8e72b8c175046e27cc8f907076331401",
                ["filename"] = path,
                ["status"] = "added",
                ["additions"] = lines.Length,
                ["deletions"] = 0,
                ["changes"] = lines.Length,
            };
            if (ReferenceEquals(Text, Dockerfile))
            {
                listed["patch"] = $"@@ -0,0 +1,{lines.Length} @@\n" + string.Join('\n', lines.Select(l => "+" + l));
            }

            files.Add(listed);
        }

        files.Add(new JsonObject { ["sha"] = "0d1e", ["filename"] = "README.md", ["status"] = "modified", ["additions"] = 1, ["deletions"] = 0, ["changes"] = 1, ["patch"] = "@@ -1 +1 @@\n-old\n+new" });
        return Json(200, new JsonObject { ["status"] = "ahead", ["files"] = files });
    }

    private ResponseMessage Review(PullRequestStats stats, IRequestMessage request)
    {
        var attempt = stats.ReviewAttempt();
        if (attempt == 1 && Fault is Fault.SecondaryRateLimit or Fault.Unprocessable)
        {
            Interlocked.Increment(ref _faults);
        }

        if (attempt == 1 && Fault == Fault.SecondaryRateLimit)
        {
            return Json(403, new JsonObject { ["message"] = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", ["documentation_url"] = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" }, ("Retry-After", "1"));
        }

        if (attempt == 1 && Fault == Fault.Unprocessable)
        {
            return Json(422, new JsonObject { ["message"] = "Unprocessable Entity", ["errors"] = new JsonArray("Pull request review thread line must be part of the diff") });
        }

        stats.ReviewDelivered();
        foreach (var comment in (JsonNode.Parse(request.Body ?? "{}")?["comments"]?.AsArray() ?? []).OfType<JsonNode>())
        {
            stats.Remember(comment);
        }

        return Json(200, new JsonObject { ["id"] = stats.Number * 100, ["state"] = "COMMENTED" });
    }

    private static JsonObject PullRequest(int number) => new()
    {
        ["number"] = number,
        ["state"] = "open",
        ["draft"] = false,
        ["head"] = new JsonObject { ["sha"] = HeadSha(number), ["ref"] = $"change-{number}", ["repo"] = new JsonObject { ["full_name"] = $"{Owner}/{Repo}" } },
        ["base"] = new JsonObject { ["sha"] = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", ["ref"] = "main" },
    };

    private static int? NumberFromSha(string sha) =>
        sha.Length == 40 && sha.StartsWith("ad", StringComparison.Ordinal) && int.TryParse(sha.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var n) ? n : null;

    private readonly ConcurrentQueue<string> _unexpectedCalls = new();

    /// <summary>The first unexpected calls, "METHOD path", for the report.</summary>
    public IReadOnlyList<string> UnexpectedCalls => [.. _unexpectedCalls.Take(10)];

    private ResponseMessage NotExpected(IRequestMessage? request = null)
    {
        if (request is not null && _unexpectedCalls.Count < 10)
        {
            _unexpectedCalls.Enqueue($"{request.Method} {request.Url}");
        }

        Interlocked.Increment(ref _unexpected);
        return Json(404, new JsonObject { ["message"] = "Not Found" });
    }

    private static ResponseMessage Json(int status, JsonNode body, params (string Name, string Value)[] headers) =>
        GitHubFake.JsonResponse(status, body, headers);

    [GeneratedRegex(@"^/api/v3/app/installations/\d+/access_tokens$")]
    private static partial Regex TokenPath();

    [GeneratedRegex(@"^/api/v3/repos/[^/]+/[^/]+(?<rest>/.*)$")]
    private static partial Regex RepoPath();

    [GeneratedRegex(@"^/pulls/(?<n>\d+)(?<tail>/comments|/reviews)?$")]
    private static partial Regex PullPath();

    [GeneratedRegex(@"^/compare/[0-9a-f]+\.\.\.(?<head>[0-9a-f]+)$")]
    private static partial Regex ComparePath();

    [GeneratedRegex(@"^/commits/(?<sha>[0-9a-f]+)/pulls$")]
    private static partial Regex CommitPullsPath();

    [GeneratedRegex(@"^/git/trees/(?<sha>[0-9a-f]+)$")]
    private static partial Regex TreePath();

    [GeneratedRegex(@"^/check-runs/(?<id>\d+)$")]
    private static partial Regex CheckRunPath();
}

/// <summary>What one pull request saw: every call, the delivered reviews and the completed check.</summary>
public sealed class PullRequestStats(int number)
{
    private int _calls;
    private int _files;
    private int _reviewAttempts;
    private int _reviews;
    private int _checks;

    public int Number => number;

    public int Calls => Volatile.Read(ref _calls);

    public int Reviews => Volatile.Read(ref _reviews);

    public int CompletedChecks => Volatile.Read(ref _checks);

    public string? Conclusion { get; private set; }

    /// <summary>Stopwatch timestamp of the delivered review.</summary>
    public long ReviewedAt { get; private set; }

    public void Call() => Interlocked.Increment(ref _calls);

    public int FilesAttempt() => Interlocked.Increment(ref _files);

    /// <summary>Times the files were listed: a run is in flight once this is above 0 and the check is not completed.</summary>
    public int FilesListed => Volatile.Read(ref _files);

    private int _filesFaulted;

    public void FilesFaulted() => Interlocked.Increment(ref _filesFaulted);

    /// <summary>
    /// A run was interrupted and redone: the files were listed again beyond the one injected fault's retry.
    /// (The check run is created only at the end of a run now, so it cannot tell.)
    /// </summary>
    public bool RunRedone => FilesListed - Volatile.Read(ref _filesFaulted) > 1;

    public int ReviewAttempt() => Interlocked.Increment(ref _reviewAttempts);

    private readonly List<JsonObject> _comments = [];

    /// <summary>Keeps a posted review or file comment, as GitHub does, so a rerun sees what is already there.</summary>
    public JsonObject Remember(JsonNode comment)
    {
        lock (_comments)
        {
            var stored = new JsonObject
            {
                ["id"] = (long)number * 1000 + _comments.Count + 1,
                ["body"] = comment["body"]?.GetValue<string>() ?? "",
                ["path"] = comment["path"]?.GetValue<string>() ?? "",
                ["line"] = comment["line"]?.DeepClone(),
                ["commit_id"] = LoadGitHub.HeadSha(number),
                ["user"] = new JsonObject { ["login"] = LoadGitHub.AppSlug + "[bot]", ["id"] = 1, ["type"] = "Bot" },
                ["created_at"] = "2026-01-01T00:00:00Z",
                ["updated_at"] = "2026-01-01T00:00:00Z",
            };
            _comments.Add(stored);
            return stored;
        }
    }

    public JsonArray PostedComments()
    {
        lock (_comments)
        {
            return new JsonArray([.. _comments.Select(c => c.DeepClone())]);
        }
    }

    public void ReviewDelivered()
    {
        ReviewedAt = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _reviews);
    }

    public void CheckCompleted(string conclusion)
    {
        Conclusion = conclusion;
        Interlocked.Increment(ref _checks);
    }
}
