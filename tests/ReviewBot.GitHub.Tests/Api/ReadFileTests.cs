using System.Net;
using System.Net.Http.Headers;
using ReviewBot.GitHub.Api;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static ReviewBot.TestSupport.GitHubFake;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>Files are read raw, within a byte budget, and never mistaken for empty.</summary>
public sealed class ReadFileTests
{
    private const string DockerfilePath = RepoPath + "/contents/svc/Dockerfile";

    [Fact]
    public async Task A_file_is_read_raw_at_the_ref()
    {
        using var github = new GitHubFake();
        github.Server.Given(Request.Create().WithPath(DockerfilePath).WithParam("ref", HeadSha).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.github.raw; charset=utf-8").WithBody("FROM alpine\nUSER 1000\n"));

        var read = await github.Client().ReadFileAsync(Owner, Repo, "svc/Dockerfile", HeadSha, 1000, default);

        Assert.Equal(new FileRead(FileReadStatus.Read, "FROM alpine\nUSER 1000\n", 22), read);
        Assert.Contains("application/vnd.github.raw", Assert.Single(github.Requests("GET", DockerfilePath)).RequestMessage.Headers!["Accept"]);
    }

    [Fact]
    public async Task A_file_not_in_UTF_8_is_read_as_Latin_1()
    {
        using var github = new GitHubFake();
        github.Server.Given(Request.Create().WithPath(DockerfilePath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.github.raw").WithBody([0x23, 0x20, 0xE9, 0x0A]));

        var read = await github.Client().ReadFileAsync(Owner, Repo, "svc/Dockerfile", HeadSha, 1000, default);

        Assert.Equal("# é\n", read.Text);
    }

    [Fact]
    public async Task A_missing_file_is_missing()
    {
        using var github = new GitHubFake();
        github.StubJson("GET", DockerfilePath, """{"message":"Not Found"}""", 404);

        var read = await github.Client().ReadFileAsync(Owner, Repo, "svc/Dockerfile", HeadSha, 1000, default);

        Assert.Equal(FileReadStatus.Missing, read.Status);
    }

    [Theory]
    [InlineData("application/json", """[{"name":"Dockerfile","type":"file"}]""")] // a directory's listing
    [InlineData("text/html", "<html>proxy error</html>")]
    [InlineData(null, "")]
    public async Task An_answer_that_is_not_raw_content_is_an_error_never_an_empty_file(string? contentType, string body)
    {
        using var github = new GitHubFake();
        var response = Response.Create().WithStatusCode(200).WithBody(body);
        github.Server.Given(Request.Create().WithPath(DockerfilePath).UsingGet())
            .RespondWith(contentType is null ? response : response.WithHeader("Content-Type", contentType));

        await Assert.ThrowsAsync<GitHubApiException>(() => github.Client().ReadFileAsync(Owner, Repo, "svc/Dockerfile", HeadSha, 1000, default));
    }

    [Fact]
    public async Task A_file_over_the_budget_is_refused_from_its_Content_Length_without_reading_its_body()
    {
        var content = new UnreadableContent(5L * 1024 * 1024 * 1024);
        using var github = new GitHubFake(primaryHandler: () => new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = content }));

        var read = await github.Client().ReadFileAsync(Owner, Repo, "svc/Dockerfile", HeadSha, 1024 * 1024, default);

        Assert.Equal(new FileRead(FileReadStatus.TooLarge, null, 5L * 1024 * 1024 * 1024), read);
        Assert.Equal(0, content.Reads);
    }

    [Fact]
    public async Task A_body_without_a_length_stops_being_read_past_the_budget()
    {
        var endless = new EndlessStream();
        using var github = new GitHubFake(primaryHandler: () => new StubHandler(_ =>
        {
            var content = new StreamContent(endless); // no Content-Length: chunked
            content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.github.raw");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }));

        var read = await github.Client().ReadFileAsync(Owner, Repo, "svc/Dockerfile", HeadSha, 1024 * 1024, default);

        Assert.Equal(FileReadStatus.TooLarge, read.Status);
        Assert.InRange(endless.Served, 1024 * 1024, 2 * 1024 * 1024);
    }

    [Fact]
    public async Task A_file_exactly_at_the_budget_is_read()
    {
        using var github = new GitHubFake();
        github.Server.Given(Request.Create().WithPath(DockerfilePath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.github.raw").WithBody(new string('x', 1000)));

        var read = await github.Client().ReadFileAsync(Owner, Repo, "svc/Dockerfile", HeadSha, 1000, default);

        Assert.Equal((FileReadStatus.Read, 1000L), (read.Status, read.Size));
        Assert.Equal(FileReadStatus.TooLarge, (await github.Client().ReadFileAsync(Owner, Repo, "svc/Dockerfile", HeadSha, 999, default)).Status);
    }

    /// <summary>A raw file of the given length whose body must not be read.</summary>
    private sealed class UnreadableContent : HttpContent
    {
        private readonly long _length;

        public UnreadableContent(long length)
        {
            _length = length;
            Headers.ContentType = new MediaTypeHeaderValue("application/vnd.github.raw");
        }

        public int Reads { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            Reads++;
            throw new InvalidOperationException("the body was read");
        }

        protected override Task<Stream> CreateContentReadStreamAsync()
        {
            Reads++;
            throw new InvalidOperationException("the body was read");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}

/// <summary>A primary handler that answers every request itself (in place of sockets).</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    public StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer)
        : this((request, _) => Task.FromResult(answer(request)))
    {
    }

    public List<string> Calls { get; } = [];

    /// <summary>Answers <paramref name="json"/>, except that the first request to <paramref name="hangingPath"/> never gets an answer.</summary>
    public static StubHandler HangingOnce(string hangingPath, Func<HttpRequestMessage, string> json)
    {
        int hung = 0;
        return new StubHandler(async (request, cancellationToken) =>
        {
            if (request.RequestUri!.AbsolutePath == hangingPath && Interlocked.Exchange(ref hung, 1) == 0)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json(request), System.Text.Encoding.UTF8, "application/json") };
        });
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
        }

        var response = await answer(request, cancellationToken);
        response.RequestMessage = request;
        return response;
    }
}
