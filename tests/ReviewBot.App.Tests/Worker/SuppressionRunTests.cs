using System.Net;
using System.Text.Json.Nodes;

namespace ReviewBot.App.Tests.Worker;

/// <summary>
/// A pull request that adds a suppression pragma above <c>USER root</c>, reviewed by the App against the fake GitHub:
/// the check lists the suppression as the pull request's own, and <c>check.suppressions: base</c> on the base
/// branch ignores it, while a pragma the base branch already had still counts.
/// </summary>
public sealed class SuppressionRunTests : IDisposable
{
    private const string BaseText = "FROM debian:bookworm-slim\nCOPY app /app\nUSER root\nCMD [\"/app/run\"]\n";
    private const string HeadText = "FROM debian:bookworm-slim\nCOPY app /app\n# hadolint ignore=DL3002\nUSER root\nCMD [\"/app/run\"]\n";
    private const string AddedPatch = "@@ -1,4 +1,5 @@\n FROM debian:bookworm-slim\n COPY app /app\n+# hadolint ignore=DL3002\n USER root\n CMD [\"/app/run\"]";

    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public SuppressionRunTests() => _app = new AppHost(_github);

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    private async Task<JsonNode> ReviewAsync(string baseText, string headText, string patch, string? baseConfig = null)
    {
        _github.StubFiles(Scenario.File("Dockerfile", "modified", patch));
        _github.StubContent("Dockerfile", GitHubFake.HeadSha, headText);
        _github.StubContent("Dockerfile", GitHubFake.BaseSha, baseText);
        if (baseConfig is not null)
        {
            _github.StubContent(".github/reviewbot.yml", GitHubFake.BaseSha, baseConfig);
        }

        var response = await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await _github.WaitForCompletedCheckAsync();
    }

    private static string Summary(JsonNode check) => check["output"]!["summary"]!.GetValue<string>();

    [Fact]
    public async Task A_pragma_the_pull_request_adds_passes_by_default_but_the_check_lists_it_as_added()
    {
        var check = await ReviewAsync(BaseText, HeadText, AddedPatch);

        Assert.Equal("success", check["conclusion"]!.GetValue<string>());
        Assert.Equal("No problems in 1 Dockerfile (1 suppressed)", check["output"]!["title"]!.GetValue<string>());
        Assert.Contains("| `Dockerfile` | 4 | RB001 root-user | `# hadolint ignore=DL3002` (line 3) | yes |", Summary(check));
        // The base version was read (at the commit the config is read at) to tell who added the pragma.
        Assert.Contains($"{GitHubFake.BaseSha}:Dockerfile", _github.GraphQLTextReads);
    }

    [Fact]
    public async Task With_check_suppressions_base_a_pragma_the_pull_request_adds_is_ignored_and_the_check_fails()
    {
        // fail_on: all: the base already ran as root, and this test is about the pragma, not issue 22's gate on new problems.
        var check = await ReviewAsync(BaseText, HeadText, AddedPatch, "check:\n  suppressions: base\n  fail_on: all\n");

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("**ignored** because `check.suppressions: base`", Summary(check));
        Assert.Contains("| `Dockerfile` | 4 | RB001 root-user | `# hadolint ignore=DL3002` (line 3) | yes: **ignored** (`check.suppressions: base`) |", Summary(check));
        var annotations = check["output"]!["annotations"]!.AsArray();
        // On the lines of the review's comment, which carries the fix (the finding is on line 4).
        Assert.Contains(annotations, a => a!["annotation_level"]!.GetValue<string>() == "failure" && a["title"]!.GetValue<string>().StartsWith("RB001", StringComparison.Ordinal)
            && a["start_line"]!.GetValue<int>() <= 4 && a["end_line"]!.GetValue<int>() >= 3);
    }

    [Fact]
    public async Task With_check_suppressions_base_a_pragma_the_base_already_had_still_counts()
    {
        // The pull request moves the suppressed USER root down a line; the pragma is the base's own.
        var moved = "FROM debian:bookworm-slim\nCOPY app /app\nRUN true\n# hadolint ignore=DL3002\nUSER root\nCMD [\"/app/run\"]\n";
        var patch = "@@ -1,5 +1,6 @@\n FROM debian:bookworm-slim\n COPY app /app\n+RUN true\n # hadolint ignore=DL3002\n USER root\n CMD [\"/app/run\"]";

        var check = await ReviewAsync(HeadText, moved, patch, "check:\n  suppressions: base\n");

        Assert.Equal("success", check["conclusion"]!.GetValue<string>());
        Assert.Contains("| `Dockerfile` | 5 | RB001 root-user | `# hadolint ignore=DL3002` (line 4) | no |", Summary(check));
    }

    [Fact]
    public async Task A_new_file_has_no_base_version_so_its_pragmas_are_added_and_ignored_under_base()
    {
        _github.StubFiles(Scenario.File("app/Dockerfile", "added", Scenario.AddedPatch(HeadText)));
        _github.StubContent("app/Dockerfile", GitHubFake.HeadSha, HeadText);
        _github.StubContent(".github/reviewbot.yml", GitHubFake.BaseSha, "check:\n  suppressions: base\n");

        await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        var check = await _github.WaitForCompletedCheckAsync();

        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
        Assert.Contains("| `app/Dockerfile` | 4 | RB001 root-user | `# hadolint ignore=DL3002` (line 3) | yes: **ignored**", Summary(check));
        Assert.DoesNotContain(_github.GraphQLTextReads, r => r.StartsWith(GitHubFake.BaseSha + ":", StringComparison.Ordinal));
    }
}
