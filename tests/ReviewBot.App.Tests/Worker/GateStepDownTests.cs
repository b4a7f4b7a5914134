using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReviewBot.GitHub.PullRequests;

namespace ReviewBot.App.Tests.Worker;

/// <summary>
/// A root image passes only when it really drops root, through the App against the fake GitHub: the entrypoint script
/// a Dockerfile copies in is read at the head commit from the Dockerfile's folder (as <c>reviewbot scan</c> reads it
/// beside the Dockerfile), so an installed gosu next to a script that never calls it is no step-down.
/// </summary>
public sealed class GateStepDownTests : IDisposable
{
    private const string InstallsGosu =
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"srv\"]\n";

    private const string StepsDown = "#!/bin/sh\nset -e\nif [ \"$(id -u)\" = 0 ]; then\n  exec gosu app \"$0\" \"$@\"\nfi\nexec \"$@\"\n";

    private const string NeverStepsDown = "#!/bin/sh\n# exec gosu app \"$@\" was here\nexec \"$@\"\n";

    private readonly GitHubFake _github = new();
    private readonly AppHost _app;

    public GateStepDownTests() => _app = new AppHost(_github);

    public void Dispose()
    {
        _app.Dispose();
        _github.Dispose();
    }

    private async Task<JsonNode> OpenAsync(params (string Path, string Text)[] changed)
    {
        foreach (var (path, text) in changed)
        {
            _github.StubContent(path, GitHubFake.HeadSha, text);
        }

        _github.StubFiles([.. changed.Select(c => Scenario.File(c.Path, "added", Scenario.AddedPatch(c.Text)))]);
        var response = await _app.PostWebhookAsync("pull_request", AppHost.Payload("pull_request.opened"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await _github.WaitForCompletedCheckAsync();
    }

    private static string Conclusion(JsonNode check) => check["conclusion"]!.GetValue<string>();

    /// <summary>The check's output as a person reads it: summary, text and annotations, unescaped.</summary>
    private static string Output(JsonNode check) => Unescaped(check["output"]!);

    private static string Unescaped(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Fact]
    public async Task An_installed_gosu_beside_an_entrypoint_script_that_never_calls_it_fails_the_check()
    {
        var check = await OpenAsync(("app/Dockerfile", InstallsGosu), ("app/docker-entrypoint.sh", NeverStepsDown));

        Assert.Equal("failure", Conclusion(check));
        Assert.DoesNotContain("cannot read", Output(check), StringComparison.Ordinal);
        Assert.Contains($"{GitHubFake.HeadSha}:app/docker-entrypoint.sh", _github.GraphQLTextReads);
    }

    [Fact]
    public async Task An_entrypoint_script_that_calls_gosu_is_a_step_down_and_passes()
    {
        // Unchanged by the pull request: the script is read from the head's tree all the same.
        _github.StubContent("app/docker-entrypoint.sh", GitHubFake.HeadSha, StepsDown);

        var check = await OpenAsync(("app/Dockerfile", InstallsGosu));

        Assert.NotEqual("failure", Conclusion(check));
        // The annotation points to the review, which says how the image drops root.
        Assert.Contains(_github.Reviews, r => Unescaped(r).Contains("drops root with gosu in its entrypoint script docker-entrypoint.sh", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_symlinked_entrypoint_script_is_read_at_its_target_in_the_repository()
    {
        _github.StubSymlink("app/docker-entrypoint.sh", GitHubFake.HeadSha, "../scripts/entrypoint.sh");
        _github.StubContent("scripts/entrypoint.sh", GitHubFake.HeadSha, NeverStepsDown);
        _github.StubContent("scripts/decoy/docker-entrypoint.sh", GitHubFake.HeadSha, StepsDown);

        var check = await OpenAsync(("app/Dockerfile", InstallsGosu));

        Assert.Equal("failure", Conclusion(check));
        Assert.Contains($"{GitHubFake.HeadSha}:scripts/entrypoint.sh", _github.GraphQLTextReads);
    }

    [Fact]
    public async Task An_entrypoint_script_too_large_to_read_is_no_step_down_and_is_named()
    {
        // Padded past the engine's limit, a script would otherwise be "a script ReviewBot cannot read" and the
        // installed gosu presumed to be used.
        _github.StubContent("app/docker-entrypoint.sh", GitHubFake.HeadSha, StepsDown + new string('#', ReviewBot.Analysis.AnalyzerOptions.MaxContextFileChars) + "\n");

        var check = await OpenAsync(("app/Dockerfile", InstallsGosu));

        Assert.Equal("failure", Conclusion(check));
        Assert.Contains("`app/docker-entrypoint.sh`", Output(check), StringComparison.Ordinal);
        Assert.DoesNotContain($"{GitHubFake.HeadSha}:app/docker-entrypoint.sh", _github.GraphQLTextReads);
    }

    [Fact]
    public async Task A_script_outside_the_dockerfiles_folder_is_not_read()
    {
        _github.StubContent("elsewhere/entrypoint.sh", GitHubFake.HeadSha, StepsDown);
        const string Climbs = "FROM debian:bookworm-slim\nCOPY ../elsewhere/entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n";

        var check = await OpenAsync(("app/Dockerfile", Climbs));

        Assert.Equal("failure", Conclusion(check));
        Assert.DoesNotContain($"{GitHubFake.HeadSha}:elsewhere/entrypoint.sh", _github.GraphQLTextReads);
    }

    [Fact]
    public async Task A_change_to_the_entrypoint_script_alone_gets_the_dockerfile_that_starts_it_judged()
    {
        // The Dockerfile is not part of the change: only its script is, and it no longer calls gosu.
        _github.StubContent("app/Dockerfile", GitHubFake.HeadSha, InstallsGosu);

        var check = await OpenAsync(("app/docker-entrypoint.sh", NeverStepsDown));

        Assert.Equal("failure", Conclusion(check));
        Assert.Contains("`app/Dockerfile` is checked because this pull request changes the script it starts with", Output(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_to_another_file_beside_the_dockerfile_leaves_it_unjudged()
    {
        _github.StubContent("app/Dockerfile", GitHubFake.HeadSha, InstallsGosu);
        _github.StubContent("app/docker-entrypoint.sh", GitHubFake.HeadSha, NeverStepsDown);

        var check = await OpenAsync(("app/README.md", "hello\n"));

        Assert.Equal("success", Conclusion(check));
        Assert.DoesNotContain("is checked because", Output(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dockerfile_too_large_to_tell_which_script_it_starts_keeps_the_check_from_passing()
    {
        string padded = InstallsGosu + string.Concat(Enumerable.Repeat("# padding to keep the script question unread\n", 7000));
        Assert.True(padded.Length > ContextFiles.MaxScriptOwnerBytes);
        _github.StubContent("app/Dockerfile", GitHubFake.HeadSha, padded);

        var check = await OpenAsync(("app/docker-entrypoint.sh", NeverStepsDown));

        Assert.Equal("failure", Conclusion(check));
        Assert.Contains("whether it changes the script one of them starts with was not checked", Output(check), StringComparison.Ordinal);
        Assert.DoesNotContain("nothing to check", Output(check), StringComparison.Ordinal);
    }
}
