using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ReviewBot.GitHub.Api;
using WireMock.ResponseBuilders;
using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>The GraphQL primitive: where it posts, what it sends, when it retries, and how GraphQL errors surface.</summary>
public sealed class GraphQLTests : IDisposable
{
    /// <summary>The fake is a non-github.com host, so GHES's rule applies: {host}/api/graphql beside {host}/api/v3/.</summary>
    private const string GraphQLPath = "/api/graphql";

    private const string Query = "query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { defaultBranchRef { name } } }";

    private const string Mutation = "mutation($id: ID!) { addStar(input: { starrableId: $id }) { clientMutationId } }";

    private const string Answer = """{"data":{"repository":{"defaultBranchRef":{"name":"main"}}}}""";

    private readonly GitHubFake _github = new();

    public void Dispose() => _github.Dispose();

    private static IResponseBuilder Status(int status) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody("""{"message":"Server Error"}""");

    private Task<TestRepositoryData> RunAsync(string document = Query) =>
        _github.Client().GraphQLAsync(document, new JsonObject { ["owner"] = Owner, ["name"] = Repo }, TestGraphQLJson.Default.GraphQLResponseTestRepositoryData, default);

    [Fact]
    public async Task A_query_posts_the_document_and_its_variables_to_the_GraphQL_endpoint_and_returns_the_data()
    {
        _github.StubJson("POST", GraphQLPath, Answer);

        var data = await RunAsync();

        Assert.Equal("main", data.Repository?.DefaultBranchRef?.Name);
        var sent = GitHubFake.Json(Assert.Single(_github.Requests("POST", GraphQLPath)));
        Assert.Equal(Query, sent["query"]!.GetValue<string>());
        Assert.Equal(Owner, sent["variables"]!["owner"]!.GetValue<string>());
        Assert.Equal(Repo, sent["variables"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void GitHub_com_has_its_GraphQL_endpoint_at_the_API_root()
    {
        var root = GitHubApiServiceCollectionExtensions.ApiRoot(new Uri("https://github.com/"));
        Assert.Equal("https://api.github.com/graphql", new Uri(root, GitHubInstallationClient.GraphQLPath).ToString());
        var ghes = GitHubApiServiceCollectionExtensions.ApiRoot(new Uri("https://ghe.example.com/"));
        Assert.Equal("https://ghe.example.com/api/graphql", new Uri(ghes, GitHubInstallationClient.GraphQLPath).ToString());
    }

    [Fact]
    public async Task An_errors_array_throws_with_GitHubs_message_even_beside_data()
    {
        _github.StubJson("POST", GraphQLPath, """{"data":{"repository":null},"errors":[{"type":"NOT_FOUND","path":["repository"],"message":"Could not resolve to a Repository with the name 'x'."}]}""");

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => RunAsync());

        Assert.Contains("NOT_FOUND", e.Message, StringComparison.Ordinal);
        Assert.Contains("Could not resolve", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RATE_LIMITED_throws_GitHubRateLimitedException()
    {
        _github.StubJson("POST", GraphQLPath, """{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded"}]}""");

        await Assert.ThrowsAsync<GitHubRateLimitedException>(() => RunAsync());
    }

    [Fact]
    public async Task An_answer_without_data_or_errors_is_an_error_not_an_empty_result()
    {
        _github.StubJson("POST", GraphQLPath, """{}""");

        await Assert.ThrowsAsync<GitHubApiException>(() => RunAsync());
    }

    [Fact]
    public async Task A_query_is_retried_after_a_5xx_like_a_GET()
    {
        _github.StubJson("POST", GraphQLPath, Answer);
        _github.Once("POST", GraphQLPath, Status(502));

        var data = await RunAsync();

        Assert.Equal("main", data.Repository?.DefaultBranchRef?.Name);
        Assert.Equal(2, _github.Requests("POST", GraphQLPath).Count);
    }

    [Fact]
    public async Task A_mutation_is_never_sent_again_blindly_after_a_5xx()
    {
        _github.StubJson("POST", GraphQLPath, Answer);
        _github.Once("POST", GraphQLPath, Status(502));

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => RunAsync(Mutation));

        Assert.True(e.Uncertain);
        Assert.Single(_github.Requests("POST", GraphQLPath));
    }

    [Theory]
    [InlineData("{ viewer { login } }", true)]
    [InlineData("  query Q { viewer { login } }", true)]
    [InlineData("query{ viewer { login } }", true)]
    [InlineData("mutation { x }", false)]
    [InlineData("queryish { x }", false)]
    [InlineData("# comment\nquery { x }", false)]
    public void Only_what_is_plainly_a_query_counts_as_a_read(string document, bool query) =>
        Assert.Equal(query, GraphQLOperation.IsQuery(document));
}

public sealed record TestRepositoryData(TestRepository? Repository);

public sealed record TestRepository(TestRef? DefaultBranchRef);

public sealed record TestRef(string Name);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GraphQLResponse<TestRepositoryData>))]
internal sealed partial class TestGraphQLJson : JsonSerializerContext;
