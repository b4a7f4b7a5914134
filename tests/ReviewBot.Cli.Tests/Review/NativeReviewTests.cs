using System.Diagnostics;
using System.Text.Json.Nodes;
using ReviewBot.Cli.Tests.Commands;

namespace ReviewBot.Cli.Tests.Review;

/// <summary>
/// The Native AOT reviewbot posts a review (source-generated JSON, no reflection): runs the published binary against
/// WireMock.Net playing GitHub. Only where it was published (dotnet publish src/ReviewBot.Cli -r linux-x64 -c Release).
/// </summary>
public sealed class NativeReviewTests : IDisposable
{
    private readonly TempGitRepository _repo = new();
    private readonly GitHubFake _github = new();

    public void Dispose()
    {
        _github.Dispose();
        _repo.Dispose();
    }

    [NativeBinaryFact]
    public async Task The_native_binary_posts_the_review_and_the_check_run()
    {
        _repo.Write("Dockerfile", ReviewCommandTests.BaseDockerfile);
        var baseSha = _repo.Commit("base");
        _repo.Write("Dockerfile", ReviewCommandTests.HeadDockerfile);
        var headSha = _repo.Commit("head");
        var payload = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "pull_request.synchronize.json")))!;
        payload["pull_request"]!["head"]!["sha"] = headSha;
        payload["pull_request"]!["base"]!["sha"] = baseSha;
        var eventPath = Path.Combine(_repo.Root, ".git", "event.json");
        File.WriteAllText(eventPath, payload.ToJsonString());

        var start = new ProcessStartInfo(NativeBinaryFactAttribute.Path!, ["review", "--github-pr"])
        {
            WorkingDirectory = _repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["GITHUB_TOKEN"] = "ghs_native";
        start.Environment["GITHUB_REPOSITORY"] = "Codertocat/Hello-World";
        start.Environment["GITHUB_EVENT_PATH"] = eventPath;
        start.Environment["GITHUB_API_URL"] = _github.Url;
        start.Environment.Remove("GITHUB_STEP_SUMMARY"); // on this repository's CI: the review is not its job summary
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == ExitCodes.Findings, await error);
        var body = GitHubFake.Json(Assert.Single(_github.Requests("POST", GitHubFake.RepoPath + "/pulls/2/reviews")));
        Assert.Equal(headSha, body["commit_id"]!.GetValue<string>());
        Assert.NotEmpty(body["comments"]!.AsArray());
        var check = GitHubFake.Json(Assert.Single(_github.Requests("POST", GitHubFake.RepoPath + "/check-runs")));
        Assert.Equal("failure", check["conclusion"]!.GetValue<string>());
    }
}

/// <summary>Runs only where the native reviewbot was published (its default publish folder, or REVIEWBOT_NATIVE).</summary>
public sealed class NativeBinaryFactAttribute : FactAttribute
{
    public NativeBinaryFactAttribute()
    {
        if (Path is null)
        {
            Skip = "skipped: native build absent (dotnet publish src/ReviewBot.Cli -r linux-x64 -c Release)";
        }
    }

    public static string? Path { get; } = Find();

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("REVIEWBOT_NATIVE") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "src", "ReviewBot.Cli", "bin", "Release", "net10.0", "linux-x64", "publish", "reviewbot");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
