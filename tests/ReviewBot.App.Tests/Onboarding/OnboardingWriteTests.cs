using System.Net;
using System.Text.Json.Nodes;
using ReviewBot.GitHub.Onboarding;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ReviewBot.App.Tests.Onboarding;

/// <summary>
/// Onboarding writes only what it owns, through the App against a GitHub that keeps state (our branch, the commits, the
/// pull requests): each write answered 502 once AFTER GitHub carried it out (the uncertain case) still ends in exactly
/// one commit and one pull request; a branch by our name that someone else made is left as it was.
/// </summary>
public sealed class OnboardingWriteTests : IDisposable
{
    private const string Account = "Codertocat";
    private const string Name = "root-repo";
    private const string Root = "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/app.py\"]\n";
    private static readonly string Head = new('2', 40);
    private static readonly string Path = $"{GitHubFake.Api}/repos/{Account}/{Name}";

    private readonly GitHubFake _github = new();
    private readonly AppHost _app;
    private readonly Lock _sync = new();

    /// <summary>Where reviewbot/non-root points; null when absent.</summary>
    private string? _branch;

    /// <summary>Commits GitHub made for createCommitOnBranch: sha and parent.</summary>
    private readonly Dictionary<string, string> _commits = new(StringComparer.Ordinal);

    private readonly List<JsonObject> _pulls = [];

    /// <summary>The write that answers 502 once, after it was carried out: "ref", "commit" or "pull".</summary>
    private string? _failOnce;

    public OnboardingWriteTests()
    {
        _app = new AppHost(_github, new Dictionary<string, string?> { ["Onboarding:Enabled"] = "true" });
        _github.StubJson("GET", Path, """{"default_branch":"main","archived":false,"fork":false,"node_id":"R_kgDOroot"}""");
        _github.StubJson("GET", Path + "/git/ref/heads/main", $$$"""{"ref":"refs/heads/main","object":{"sha":"{{{Head}}}"}}""");
        _github.StubJson("GET", Path + $"/git/trees/{Head}", $$"""{"sha":"{{Head}}","truncated":false,"tree":[{"path":"Dockerfile","mode":"100644","type":"blob","sha":"0000000000000000000000000000000000000001","size":{{Root.Length}}}]}""");
        _github.StubContent("Dockerfile", Head, Root);
        Stateful("GET", Path + "/git/ref/heads/reviewbot/non-root", _ => _branch is null
            ? GitHubFake.JsonResponse(404, new JsonObject { ["message"] = "Not Found" })
            : GitHubFake.JsonResponse(200, Ref(_branch)));
        Stateful("POST", Path + "/git/refs", _ =>
        {
            if (_branch is not null)
            {
                return GitHubFake.JsonResponse(422, new JsonObject { ["message"] = "Reference already exists" });
            }

            _branch = Head;
            return Answer("ref", 201, Ref(Head));
        });
        Stateful("GET", Path + "/pulls", _ => GitHubFake.JsonResponse(200, new JsonArray([.. _pulls.Select(p => p.DeepClone())])));
        Stateful("POST", Path + "/pulls", body =>
        {
            _pulls.Add(new JsonObject
            {
                ["number"] = 12 + _pulls.Count,
                ["state"] = "open",
                ["body"] = body["body"]!.GetValue<string>(),
                ["merged_at"] = null,
                ["head"] = new JsonObject { ["sha"] = _branch, ["ref"] = OnboardingPlan.Branch },
                ["user"] = new JsonObject { ["login"] = GitHubFake.BotLogin, ["type"] = "Bot" },
            });
            return Answer("pull", 201, new JsonObject { ["number"] = 12 + _pulls.Count - 1 });
        });
        _github.Server.Given(Request.Create().WithPath(new RegexMatcher($"^{Path}/commits/[0-9a-f]{{40}}$")).UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithCallback(request =>
            {
                lock (_sync)
                {
                    string sha = request.Path[(request.Path.LastIndexOf('/') + 1)..];
                    return !_commits.TryGetValue(sha, out var parent) ? GitHubFake.JsonResponse(404, new JsonObject { ["message"] = "Not Found" })
                        : GitHubFake.JsonResponse(200, new JsonObject
                        {
                            ["sha"] = sha,
                            ["parents"] = new JsonArray(new JsonObject { ["sha"] = parent }),
                            ["author"] = new JsonObject { ["login"] = GitHubFake.BotLogin, ["type"] = "Bot" },
                            ["commit"] = new JsonObject { ["message"] = OnboardingPlan.CommitMessage, ["verification"] = new JsonObject { ["verified"] = true } },
                        });
                }
            }));
        _github.Server.Given(Request.Create().WithPath(GitHubFake.GraphQLPath).UsingPost().WithBody(new WildcardMatcher("*createCommitOnBranch*"))).AtPriority(1)
            .RespondWith(Response.Create().WithCallback(request =>
            {
                lock (_sync)
                {
                    var input = JsonNode.Parse(request.Body!)!["variables"]!["input"]!;
                    if (input["expectedHeadOid"]!.GetValue<string>() != _branch)
                    {
                        return GitHubFake.JsonResponse(200, JsonNode.Parse("""{"data":null,"errors":[{"type":"STALE_DATA","message":"Expected branch to point to another commit"}]}""")!);
                    }

                    string made = $"{_commits.Count + 1:x}".PadLeft(40, 'c');
                    _commits[made] = _branch!;
                    _branch = made;
                    return Answer("commit", 200, JsonNode.Parse("{\"data\":{\"createCommitOnBranch\":{\"commit\":{\"oid\":\"" + made + "\"}}}}")!);
                }
            }));
    }

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    [Theory]
    [InlineData("ref")] // POST git/refs
    [InlineData("commit")] // createCommitOnBranch
    [InlineData("pull")] // POST /pulls
    public async Task A_write_answered_502_after_it_happened_ends_in_one_commit_and_one_pull_request(string failing)
    {
        _failOnce = failing;

        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("installation_repositories", Added())).StatusCode);
        await WaitForAsync(() => _pulls.Count == 1 && _failOnce is null);

        Assert.Single(_commits);
        var pull = Assert.Single(_pulls);
        Assert.Equal(_branch, pull["head"]!["sha"]!.GetValue<string>());
        Assert.Contains($"base={Head} commit={_branch}", pull["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(_commits.Keys.Single(), _branch);
        Assert.Equal(Head, _commits[_branch!]);
        Assert.DoesNotContain(_github.Server.LogEntries, e => e.RequestMessage.Method == "PATCH");
    }

    [Fact]
    public async Task A_branch_by_our_name_that_someone_else_made_is_left_untouched()
    {
        string theirs = new('e', 40);
        _branch = theirs;

        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("installation_repositories", Added())).StatusCode);
        await WaitForAsync(() => _github.Requests("GET", Path + "/git/ref/heads/reviewbot/non-root").Count == 1);

        Assert.Equal(theirs, _branch);
        Assert.Empty(_commits);
        Assert.Empty(_pulls);
        Assert.DoesNotContain(_github.Server.LogEntries, e => e.RequestMessage.Method is "POST" or "PATCH" or "DELETE" && e.RequestMessage.Path.StartsWith(Path, StringComparison.Ordinal));
        Assert.DoesNotContain(_github.Server.LogEntries, e => e.RequestMessage.Path == GitHubFake.GraphQLPath && e.RequestMessage.Body!.Contains("mutation", StringComparison.Ordinal));
    }

    private static JsonNode Added()
    {
        var added = OnboardingRouterTests.Example("installation_repositories", "added");
        var repository = added["repositories_added"]![0]!.DeepClone();
        repository["name"] = Name;
        repository["full_name"] = $"{Account}/{Name}";
        added["repositories_added"] = new JsonArray(repository);
        return added;
    }

    private static JsonObject Ref(string sha) => new() { ["ref"] = "refs/heads/" + OnboardingPlan.Branch, ["object"] = new JsonObject { ["sha"] = sha } };

    /// <summary>The answer to a write that GitHub carried out: 502 the first time for the failing one.</summary>
    private WireMock.ResponseMessage Answer(string write, int status, JsonNode body)
    {
        if (_failOnce == write)
        {
            _failOnce = null;
            return GitHubFake.JsonResponse(502, new JsonObject { ["message"] = "Server Error" });
        }

        return GitHubFake.JsonResponse(status, body);
    }

    private void Stateful(string method, string path, Func<JsonNode, WireMock.ResponseMessage> answer) =>
        _github.Server.Given(Request.Create().WithPath(path).UsingMethod(method)).AtPriority(1)
            .RespondWith(Response.Create().WithCallback(request =>
            {
                lock (_sync)
                {
                    return answer(request.Body is { Length: > 0 } body ? JsonNode.Parse(body)! : new JsonObject());
                }
            }));

    private async Task WaitForAsync(Func<bool> reached)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Reached(reached))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Not reached. Requests seen:\n" + string.Join("\n", _github.Server.LogEntries.Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Url} -> {e.ResponseMessage.StatusCode}")));
            }

            await Task.Delay(50);
        }

        await Task.Delay(1000); // a write it should NOT make would show
    }

    private bool Reached(Func<bool> reached)
    {
        lock (_sync)
        {
            return reached();
        }
    }
}
