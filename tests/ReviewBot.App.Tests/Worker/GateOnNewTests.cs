using System.Net;
using System.Text.Json.Nodes;
using ReviewBot.GitHub.Review;

namespace ReviewBot.App.Tests.Worker;

/// <summary>
/// Issue 22 item 1, reviewed by the App against the fake GitHub: with <c>check.fail_on: new</c> (the default) a pull
/// request fails only for what it introduces or makes worse than the base commit's version of the file; old debt is
/// listed and annotated as notices, and its fix is still offered, labelled. <c>fail_on: all</c> is the old gate, and
/// only the base commit's config can choose it.
/// </summary>
public sealed class GateOnNewTests : IDisposable
{
    private const string Root = "FROM debian:bookworm-slim\nRUN apt-get update\nCOPY app /app\nCMD [\"/app/run\"]\n";
    private const string RootEdited = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nCOPY app /app\nCMD [\"/app/run\"]\n";
    private const string RunPatch = "@@ -1,4 +1,4 @@\n FROM debian:bookworm-slim\n-RUN apt-get update\n+RUN apt-get update && apt-get install -y curl\n COPY app /app\n CMD [\"/app/run\"]";

    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public GateOnNewTests() => _app = new AppHost(_github);

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    private async Task<JsonNode> ReviewAsync(object file, string path, string headText, string? baseText, string? basePath = null, string? baseConfig = null, object? alsoChanged = null)
    {
        _github.StubFiles(alsoChanged is null ? [file] : [alsoChanged, file]);
        _github.StubContent(path, GitHubFake.HeadSha, headText);
        if (baseText is not null)
        {
            _github.StubContent(basePath ?? path, GitHubFake.BaseSha, baseText);
        }

        if (baseConfig is not null)
        {
            _github.StubContent(".github/reviewbot.yml", GitHubFake.BaseSha, baseConfig);
        }

        var response = await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await _github.WaitForCompletedCheckAsync();
    }

    private static string Conclusion(JsonNode check) => check["conclusion"]!.GetValue<string>();

    private static string Summary(JsonNode check) => check["output"]!["summary"]!.GetValue<string>();

    private static JsonNode RootAnnotation(JsonNode check) =>
        Assert.Single(check["output"]!["annotations"]!.AsArray(), a => a!["title"]!.GetValue<string>().StartsWith("RB001", StringComparison.Ordinal))!;

    [Fact]
    public async Task Editing_an_unrelated_RUN_line_of_a_Dockerfile_that_was_root_passes_lists_the_old_problem_and_still_offers_its_fix()
    {
        var check = await ReviewAsync(Scenario.File("Dockerfile", "modified", RunPatch), "Dockerfile", RootEdited, Root);

        Assert.Equal("success", Conclusion(check));
        Assert.Equal("No new problems in 1 Dockerfile (1 already there)", check["output"]!["title"]!.GetValue<string>());
        Assert.Contains("1 problem was already there before this pull request (not blocking with `check.fail_on: new`)", Summary(check));
        Assert.Equal("notice", RootAnnotation(check)["annotation_level"]!.GetValue<string>());
        Assert.Contains($"{GitHubFake.BaseSha}:Dockerfile", _github.GraphQLTextReads);

        // The author is in the file now: the one-click fix is there, labelled as the base's problem, and it makes the image non-root.
        var review = Assert.Single(_github.Reviews);
        var comment = Assert.Single(review["comments"]!.AsArray())!;
        Assert.StartsWith(CommentText.AlreadyThereLabel + " **RB001", comment["body"]!.GetValue<string>());
        Assert.Contains("USER ", Scenario.ApplySuggestion(RootEdited, comment).Split('\n')[^3]);
        Assert.StartsWith("No new problems. 1 problem was already there", review["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task Removing_the_USER_of_a_Dockerfile_that_ran_as_a_user_fails()
    {
        const string Base = "FROM debian:bookworm-slim\nCOPY app /app\nUSER nobody\nCMD [\"/app/run\"]\n";
        const string Patch = "@@ -1,4 +1,3 @@\n FROM debian:bookworm-slim\n COPY app /app\n-USER nobody\n CMD [\"/app/run\"]";

        var check = await ReviewAsync(Scenario.File("Dockerfile", "modified", Patch), "Dockerfile", Scenario.RootDockerfile, Base);

        Assert.Equal("failure", Conclusion(check));
        Assert.Equal("failure", RootAnnotation(check)["annotation_level"]!.GetValue<string>());
        Assert.DoesNotContain("already there", Summary(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_check_fail_on_all_the_old_problem_fails_as_before()
    {
        var check = await ReviewAsync(Scenario.File("Dockerfile", "modified", RunPatch), "Dockerfile", RootEdited, Root, baseConfig: "check:\n  fail_on: all\n");

        Assert.Equal("failure", Conclusion(check));
        Assert.Equal("failure", RootAnnotation(check)["annotation_level"]!.GetValue<string>());
        // The old gate does not read the base's Dockerfile at all.
        Assert.DoesNotContain(_github.GraphQLTextReads, r => r.StartsWith(GitHubFake.BaseSha + ":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pull_request_cannot_switch_its_own_gate_to_new_the_config_is_the_base_commits()
    {
        _github.StubContent(".github/reviewbot.yml", GitHubFake.HeadSha, "check:\n  fail_on: new\n");
        var config = Scenario.File(".github/reviewbot.yml", "modified", "@@ -1,2 +1,2 @@\n check:\n-  fail_on: all\n+  fail_on: new");

        var check = await ReviewAsync(Scenario.File("Dockerfile", "modified", RunPatch), "Dockerfile", RootEdited, Root, baseConfig: "check:\n  fail_on: all\n", alsoChanged: config);

        Assert.Equal("failure", Conclusion(check));
    }

    [Fact]
    public async Task A_renamed_Dockerfile_is_compared_with_its_old_path_at_the_base()
    {
        var file = Scenario.File("services/web/Dockerfile", "renamed", RunPatch, previous: "web/Dockerfile");

        var check = await ReviewAsync(file, "services/web/Dockerfile", RootEdited, Root, basePath: "web/Dockerfile");

        Assert.Equal("success", Conclusion(check));
        Assert.Contains($"{GitHubFake.BaseSha}:web/Dockerfile", _github.GraphQLTextReads);
    }

    [Fact]
    public async Task A_Dockerfile_copied_from_an_old_root_one_is_a_new_image_so_its_problems_are_new()
    {
        var file = Scenario.File("services/new/Dockerfile", "copied", RunPatch, previous: "services/old/Dockerfile");

        var check = await ReviewAsync(file, "services/new/Dockerfile", RootEdited, Root, basePath: "services/old/Dockerfile");

        Assert.Equal("failure", Conclusion(check));
        Assert.Equal("failure", RootAnnotation(check)["annotation_level"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_Dockerfile_has_no_base_so_its_problems_are_new()
    {
        var check = await ReviewAsync(Scenario.File("web/Dockerfile", "added", Scenario.AddedPatch(Root)), "web/Dockerfile", Root, null);

        Assert.Equal("failure", Conclusion(check));
        Assert.DoesNotContain(_github.GraphQLTextReads, r => r.StartsWith(GitHubFake.BaseSha + ":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_base_version_that_cannot_be_read_counts_every_problem_as_new()
    {
        // Over the engine's 4 MiB: the base version is refused from its size, so nothing can be called old.
        var huge = Root + new string('#', 4 * 1024 * 1024 + 1) + "\n";

        var check = await ReviewAsync(Scenario.File("Dockerfile", "modified", RunPatch), "Dockerfile", RootEdited, huge);

        Assert.Equal("failure", Conclusion(check));
        Assert.Contains("could not be read (too large, or not a text file), so every problem in it counts as new to this pull request", Summary(check));
    }
}
