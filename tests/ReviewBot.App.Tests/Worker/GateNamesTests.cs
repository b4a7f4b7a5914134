using System.Net;
using System.Text.Json.Nodes;

namespace ReviewBot.App.Tests.Worker;

/// <summary>
/// No Dockerfile passes unread, through the App against the fake GitHub: a symbolic link is judged by its target (or
/// named when it leads nowhere), text without FROM fails, a lowercase <c>dockerfile</c> is found, and Dockerfiles that
/// compose files and devcontainer.json name are judged whatever their names.
/// </summary>
public sealed class GateNamesTests : IDisposable
{
    private const string NonRootDockerfile = "FROM debian:bookworm-slim\nUSER 10001\n";

    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public GateNamesTests() => _app = new AppHost(_github);

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    /// <summary>Opens the pull request with these changed files (path, text at the head) and waits for its check.</summary>
    private async Task<JsonNode> OpenAsync(params (string Path, string Text)[] changed)
    {
        _github.StubFiles([.. changed.Select(c => Scenario.File(c.Path, "added", Scenario.AddedPatch(c.Text)))]);
        var response = await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await _github.WaitForCompletedCheckAsync();
    }

    private static string Summary(JsonNode check) => check["output"]!["summary"]!.GetValue<string>();

    private static IEnumerable<(string Path, string Title)> Annotations(JsonNode check) =>
        check["output"]!["annotations"]!.AsArray().Select(a => (a!["path"]!.GetValue<string>(), a["title"]?.GetValue<string>() ?? ""));

    [Fact]
    public async Task A_symlinked_dockerfile_is_judged_by_its_target_at_the_head_and_reported_on_the_link()
    {
        _github.StubSymlink("Dockerfile", GitHubFake.HeadSha, "docker/spec");
        _github.StubContent("docker/spec", GitHubFake.HeadSha, Scenario.RootDockerfile);

        var check = await OpenAsync(("Dockerfile", "docker/spec"));

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("`Dockerfile` is a symbolic link to `docker/spec`", Summary(check), StringComparison.Ordinal);
        Assert.Contains(Annotations(check), a => a.Path == "Dockerfile" && a.Title.Contains("RB001", StringComparison.Ordinal));
        Assert.Contains($"{GitHubFake.HeadSha}:docker/spec", _github.GraphQLTextReads);
        // The link's diff is of its target path: nothing is placed on it inline.
        Assert.All(_github.Reviews, r => Assert.Empty(r["comments"]!.AsArray()));
    }

    [Theory]
    [InlineData("../../etc/passwd", "outside the repository")]
    [InlineData("/etc/passwd", "outside the repository")]
    [InlineData("docker", "is a symbolic link to the folder `docker`")]
    [InlineData("nothing/here", "which is no file at the head")]
    public async Task A_symlink_that_leads_nowhere_it_can_judge_fails_the_check_naming_it(string target, string why)
    {
        _github.StubSymlink("Dockerfile", GitHubFake.HeadSha, target);
        _github.StubContent("docker/Dockerfile", GitHubFake.HeadSha, NonRootDockerfile);

        var check = await OpenAsync(("Dockerfile", target));

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("`Dockerfile` ", Summary(check), StringComparison.Ordinal);
        Assert.Contains(why, Summary(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_of_links_is_followed_to_its_end_and_a_loop_fails()
    {
        _github.StubSymlink("Dockerfile", GitHubFake.HeadSha, "a/link");
        _github.StubSymlink("a/link", GitHubFake.HeadSha, "../b/Dockerfile");
        _github.StubContent("b/Dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);
        _github.StubSymlink("loop/Dockerfile", GitHubFake.HeadSha, "Dockerfile");

        var check = await OpenAsync(("Dockerfile", "a/link"), ("loop/Dockerfile", "Dockerfile"));

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("`Dockerfile` is a symbolic link to `b/Dockerfile`", Summary(check), StringComparison.Ordinal);
        Assert.Contains("`loop/Dockerfile` is a chain of more than", Summary(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dockerfile_without_from_fails_the_check()
    {
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, "docker/spec");

        var check = await OpenAsync(("Dockerfile", "docker/spec"));

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains(Annotations(check), a => a.Path == "Dockerfile" && a.Title.Contains("RB007", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lowercase_dockerfile_is_reviewed()
    {
        _github.StubContent("app/dockerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);

        var check = await OpenAsync(("app/dockerfile", Scenario.RootDockerfile));

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains(Annotations(check), a => a.Path == "app/dockerfile" && a.Title.Contains("RB001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_dockerfile_that_compose_names_is_reviewed_whatever_its_name()
    {
        _github.StubContent("compose.yaml", GitHubFake.HeadSha, "services:\n  app:\n    build:\n      context: ./docker\n      dockerfile: app.Containerfile\n");
        _github.StubContent("docker/app.Containerfile", GitHubFake.HeadSha, Scenario.RootDockerfile);

        var check = await OpenAsync(("docker/app.Containerfile", Scenario.RootDockerfile));

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains(Annotations(check), a => a.Path == "docker/app.Containerfile" && a.Title.Contains("RB001", StringComparison.Ordinal));
        Assert.Contains($"{GitHubFake.HeadSha}:compose.yaml", _github.GraphQLTextReads);
    }

    [Fact]
    public async Task A_changed_devcontainer_json_gets_the_dockerfile_it_names_reviewed()
    {
        const string Devcontainer = "{\n  // JSON with comments\n  \"build\": { \"dockerfile\": \"../build/web.docker\", },\n}\n";
        _github.StubContent(".devcontainer/devcontainer.json", GitHubFake.HeadSha, Devcontainer);
        _github.StubContent("build/web.docker", GitHubFake.HeadSha, Scenario.RootDockerfile);

        var check = await OpenAsync((".devcontainer/devcontainer.json", Devcontainer));

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains(Annotations(check), a => a.Path == "build/web.docker" && a.Title.Contains("RB001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_compose_file_that_cannot_be_read_keeps_the_check_from_passing()
    {
        _github.StubContent("deploy/docker-compose.yml", GitHubFake.HeadSha, "services: [unclosed\n");
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, NonRootDockerfile);

        var check = await OpenAsync(("Dockerfile", NonRootDockerfile));

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("`deploy/docker-compose.yml` is not valid YAML", Summary(check), StringComparison.Ordinal);
    }
}
