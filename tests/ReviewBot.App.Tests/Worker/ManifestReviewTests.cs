using System.Net;
using System.Text.Json.Nodes;

namespace ReviewBot.App.Tests.Worker;

/// <summary>Issue 22 item 4: RB008 runs when a pull request changes either side, a manifest or the Dockerfile it runs.</summary>
public sealed class ManifestReviewTests : IDisposable
{
    private const string NonRootDockerfile = "FROM debian:bookworm-slim\nRUN useradd --uid 10001 app\nUSER 10001\nCMD [\"/app/run\"]\n";

    private const string Compose = "services:\n  web:\n    build: .\n    user: root\n    volumes:\n      - data:/var/lib/app\nvolumes:\n  data: {}\n";

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
        spec:
          template:
            spec:
              containers:
                - name: api
                  image: ghcr.io/acme/api:1.4.2
                  securityContext:
                    runAsUser: 10001

        """;

    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public ManifestReviewTests() => _app = new AppHost(_github);

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    [Fact]
    public async Task A_pull_request_that_only_changes_a_compose_file_gets_RB008_inline_on_its_user_line()
    {
        // The pull request adds "user: root" (line 4) to a service built from a Dockerfile that is fine on its own.
        _github.StubFiles(Scenario.File("compose.yaml", "modified", "@@ -3,0 +4 @@\n+    user: root"));
        _github.StubContent("compose.yaml", GitHubFake.HeadSha, Compose);
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, NonRootDockerfile);

        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
        var check = await _github.WaitForCompletedCheckAsync();

        var comment = Assert.Single(_github.Reviews.SelectMany(r => r["comments"]!.AsArray()), c => c!["body"]!.GetValue<string>().Contains("RB008", StringComparison.Ordinal))!;
        Assert.Equal(("compose.yaml", 4), (comment["path"]!.GetValue<string>(), comment["line"]!.GetValue<int>()));
        Assert.DoesNotContain("user: root", Scenario.ApplySuggestion(Compose, comment)); // the image's own USER applies
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains(check["output"]!["annotations"]!.AsArray(), a => a!["path"]!.GetValue<string>() == "compose.yaml" && a["start_line"]!.GetValue<int>() == 4);
    }

    [Fact]
    public async Task A_pull_request_that_only_changes_the_Dockerfile_s_USER_gets_RB008_on_the_manifest_that_now_disagrees()
    {
        _github.StubContent(".github/reviewbot.yml", GitHubFake.BaseSha, "built_images:\n  - dockerfile: Dockerfile\n    image: ghcr.io/acme/api\n");
        var dockerfile = NonRootDockerfile.Replace("10001", "10002", StringComparison.Ordinal);
        _github.StubFiles(Scenario.File("Dockerfile", "modified", "@@ -2,2 +2,2 @@\n-RUN useradd --uid 10001 app\n-USER 10001\n+RUN useradd --uid 10002 app\n+USER 10002"));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, dockerfile);
        _github.StubContent("deploy/api.yaml", GitHubFake.HeadSha, Deployment);

        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"))).StatusCode);
        var check = await _github.WaitForCompletedCheckAsync();

        // The manifest's line is not in the diff: a file comment on it, and an annotation on its line.
        var file = Assert.Single(_github.FileComments, c => c["body"]!.GetValue<string>().Contains("RB008", StringComparison.Ordinal));
        Assert.Equal("deploy/api.yaml", file["path"]!.GetValue<string>());
        Assert.Contains("runAsUser: 10002", file["body"]!.GetValue<string>());
        Assert.Contains(check["output"]!["annotations"]!.AsArray(), a => a!["path"]!.GetValue<string>() == "deploy/api.yaml" && a["start_line"]!.GetValue<int>() == 12);
    }
}
