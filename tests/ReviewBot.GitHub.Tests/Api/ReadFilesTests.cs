using ReviewBot.GitHub.Api;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>Many files in a fixed number of GraphQL calls: sizes first, text only for what is under the cap, REST only for what GraphQL cuts short.</summary>
public sealed class ReadFilesTests : IDisposable
{
    private const long Cap = 4 * 1024 * 1024;

    private readonly GitHubFake _github = new();

    public void Dispose() => _github.Dispose();

    private GraphQLFiles Serve(Dictionary<string, string> files, ISet<string>? binary = null)
    {
        var graphQL = new GraphQLFiles(files, binary);
        graphQL.Register(_github);
        return graphQL;
    }

    [Fact]
    public async Task A_few_files_are_read_in_one_call_in_the_order_asked_and_a_missing_one_says_so()
    {
        Serve(new() { ["a/Dockerfile"] = "FROM alpine\n", ["b/Dockerfile"] = "FROM debian\nUSER app\n" });

        var reads = await _github.Client().ReadFilesAsync(Owner, Repo, ["b/Dockerfile", "gone/Dockerfile", "a/Dockerfile"], HeadSha, Cap, default);

        Assert.Equal([FileReadStatus.Read, FileReadStatus.Missing, FileReadStatus.Read], reads.Select(r => r.Status));
        Assert.Equal("FROM debian\nUSER app\n", reads[0].Text);
        Assert.Equal("FROM alpine\n", reads[2].Text);
        Assert.Single(_github.Requests("POST", GraphQLFiles.Path));
        Assert.DoesNotContain(_github.Server.LogEntries, e => e.RequestMessage.Path != GraphQLFiles.Path);
    }

    [Fact]
    public async Task Many_files_cost_two_calls_and_the_text_of_one_over_the_cap_is_never_asked_for()
    {
        var files = Enumerable.Range(0, 20).ToDictionary(i => $"s{i}/Dockerfile", _ => "FROM alpine\n");
        files["big/Dockerfile"] = "FROM alpine\n" + new string('#', 5000);
        var graphQL = Serve(files);

        var reads = await _github.Client().ReadFilesAsync(Owner, Repo, [.. files.Keys], HeadSha, maxBytes: 1000, default);

        Assert.Equal(FileReadStatus.TooLarge, reads[^1].Status);
        Assert.Equal(5012, reads[^1].Size);
        Assert.All(reads.SkipLast(1), r => Assert.Equal("FROM alpine\n", r.Text));
        Assert.Equal(2, graphQL.Queries.Count);
        var textQuery = Assert.Single(graphQL.Queries, q => q.Query.Contains("text", StringComparison.Ordinal));
        Assert.DoesNotContain("big/Dockerfile", textQuery.Paths);
        Assert.Equal(20, textQuery.Paths.Count);
    }

    [Theory]
    [InlineData(5)] // one call: texts cut short by GraphQL, the rest through REST
    [InlineData(12)] // sizes first, then texts
    public async Task Past_a_total_the_files_are_refused_from_their_sizes_in_the_order_asked_and_never_read_whole(int count)
    {
        // Files of 600 KB (GraphQL cuts each at 512,000 bytes, so each is read whole through REST) against a total of 2 MB.
        var files = Enumerable.Range(0, count).ToDictionary(i => $"s{i:00}/Dockerfile", _ => "FROM alpine\n" + new string('#', 600_000));
        Serve(files);
        foreach (var (path, text) in files)
        {
            _github.StubContent(path, HeadSha, text);
        }

        var reads = await _github.Client().ReadFilesAsync(Owner, Repo, [.. files.Keys], HeadSha, Cap, maxTotalBytes: 2_000_000, default);

        Assert.Equal([.. Enumerable.Repeat(FileReadStatus.Read, 3), .. Enumerable.Repeat(FileReadStatus.TooLarge, count - 3)], reads.Select(r => r.Status));
        Assert.Equal(3, _github.Server.LogEntries.Count(e => e.RequestMessage.Path.Contains("/contents/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_few_files_over_the_cap_are_refused_from_the_size_in_the_same_answer()
    {
        Serve(new() { ["big/Dockerfile"] = "FROM alpine\n" + new string('#', 5000) });

        var read = Assert.Single(await _github.Client().ReadFilesAsync(Owner, Repo, ["big/Dockerfile"], HeadSha, maxBytes: 1000, default));

        Assert.Equal((FileReadStatus.TooLarge, (long?)5012, (string?)null), (read.Status, read.Size, read.Text));
        Assert.DoesNotContain(_github.Server.LogEntries, e => e.RequestMessage.Path != GraphQLFiles.Path);
    }

    [Fact]
    public async Task A_binary_file_is_not_text_and_its_text_is_never_asked_for()
    {
        var graphQL = Serve(new() { ["Dockerfile"] = "\u0001\u0002" }, new HashSet<string> { "Dockerfile" });

        var reads = await _github.Client().ReadFilesAsync(Owner, Repo, ["Dockerfile"], HeadSha, Cap, default);

        Assert.Equal(FileReadStatus.NotText, Assert.Single(reads).Status);
        Assert.Single(graphQL.Queries);
    }

    [Fact]
    public async Task A_text_GraphQL_cuts_short_is_read_whole_through_REST()
    {
        var whole = "FROM alpine\n" + new string('#', 600_000) + "\nUSER root\n";
        Serve(new() { ["Dockerfile"] = whole });
        _github.Server.Given(Request.Create().WithPath(RepoPath + "/contents/Dockerfile").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.github.raw; charset=utf-8").WithBody(whole));

        var read = Assert.Single(await _github.Client().ReadFilesAsync(Owner, Repo, ["Dockerfile"], HeadSha, Cap, default));

        Assert.Equal(FileReadStatus.Read, read.Status);
        Assert.Equal(whole, read.Text);
        Assert.Single(_github.Requests("GET", RepoPath + "/contents/Dockerfile"));
    }

    [Fact]
    public async Task A_hostile_path_travels_as_a_variable_never_inside_the_query()
    {
        const string Hostile = "x\") { id } } mutation { deleteRepository(input: {}) { clientMutationId } } #/Dockerfile";
        var graphQL = Serve(new() { [Hostile] = "FROM alpine\n" });

        var read = Assert.Single(await _github.Client().ReadFilesAsync(Owner, Repo, [Hostile], HeadSha, Cap, default));

        Assert.Equal("FROM alpine\n", read.Text);
        Assert.All(graphQL.Queries, q => Assert.DoesNotContain("deleteRepository", q.Query, StringComparison.Ordinal));
        Assert.All(graphQL.Queries, q => Assert.Equal([Hostile], q.Paths));
    }

    [Fact]
    public async Task Texts_are_split_so_no_answer_can_outgrow_the_response_cap()
    {
        // 12 files of 500,000 bytes: 6 MB of text is more than one answer may carry.
        var files = Enumerable.Range(0, 12).ToDictionary(i => $"d{i}/Dockerfile", i => "FROM alpine\n" + new string('#', 500_000 - 13) + "\n");
        var graphQL = Serve(files);

        var reads = await _github.Client().ReadFilesAsync(Owner, Repo, [.. files.Keys], HeadSha, Cap, default);

        Assert.All(reads, r => Assert.Equal(FileReadStatus.Read, r.Status));
        var textQueries = graphQL.Queries.Where(q => q.Query.Contains("text", StringComparison.Ordinal)).ToList();
        Assert.True(textQueries.Count >= 2);
        Assert.All(textQueries, q => Assert.True(q.Paths.Sum(p => (long)files[p].Length) <= GitHubInstallationClient.MaxTextBytesPerQuery));
    }
}
