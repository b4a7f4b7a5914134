using System.Net;
using System.Text.Json.Nodes;

namespace ReviewBot.App.Tests.Worker;

/// <summary>
/// The image of a Docker container action of the same repository (issue 22 item 2), through the App against a fake
/// GitHub: a notice and no USER suggestion when the base commit's action.yml names it, and no way for a pull request
/// to excuse its own Dockerfile by adding that action.yml itself.
/// </summary>
public sealed class DockerActionReviewTests : IDisposable
{
    /// <summary>A Docker action's Dockerfile (actions/hello-world-docker-action's shape).</summary>
    private const string ActionDockerfile = "FROM alpine:3.20\nRUN apk add --no-cache curl jq\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n";

    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public DockerActionReviewTests() => _app = new AppHost(_github);

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    private async Task<JsonNode> OpenAsync(string path, string status)
    {
        _github.StubFiles(Scenario.File(path, status, Scenario.AddedPatch(ActionDockerfile)));
        _github.StubContent(path, GitHubFake.HeadSha, ActionDockerfile);
        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
        return await _github.WaitForCompletedCheckAsync();
    }

    private IEnumerable<string> Bodies() =>
        _github.Reviews.SelectMany(r => (r["comments"]?.AsArray() ?? []).Select(c => c!["body"]!.GetValue<string>()).Append(r["body"]?.GetValue<string>() ?? ""))
            .Concat(_github.FileComments.Select(c => c["body"]!.GetValue<string>()));

    [Fact]
    public async Task An_actions_dockerfile_gets_a_notice_and_no_user_suggestion_and_the_check_passes()
    {
        const string Action = "name: Hello\nruns:\n  using: docker\n  image: Dockerfile\n";
        _github.StubContent("action/action.yml", GitHubFake.HeadSha, Action);
        _github.StubContent("action/action.yml", GitHubFake.BaseSha, Action);

        var check = await OpenAsync("action/Dockerfile", "added");

        Assert.Equal("success", check["conclusion"]!.GetValue<string>());
        Assert.Contains(Bodies(), b => b.Contains("Docker container action `action/action.yml`", StringComparison.Ordinal));
        Assert.DoesNotContain(Bodies(), b => b.Contains("```suggestion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_action_yml_the_pull_request_adds_cannot_excuse_its_web_apps_dockerfile()
    {
        // The bypass: the pull request adds an action.yml naming its web application's root Dockerfile, to turn
        // RB001's error into a notice. It is at the head only: no USER fix that would break a real action, but the gate fails.
        _github.StubContent("action.yml", GitHubFake.HeadSha, "runs:\n  using: docker\n  image: web/Dockerfile\n");

        var check = await OpenAsync("web/Dockerfile", "added");

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains(Bodies(), b => b.Contains("counts only once it is on the base branch", StringComparison.Ordinal));
        Assert.DoesNotContain(Bodies(), b => b.Contains("USER", StringComparison.Ordinal) && b.Contains("```suggestion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_action_yml_the_pull_request_points_at_another_dockerfile_cannot_excuse_it()
    {
        _github.StubContent("action.yml", GitHubFake.BaseSha, "runs:\n  using: docker\n  image: Dockerfile\n");
        _github.StubContent("action.yml", GitHubFake.HeadSha, "runs:\n  using: docker\n  image: web/Dockerfile\n");

        var check = await OpenAsync("web/Dockerfile", "modified");

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
    }
}
