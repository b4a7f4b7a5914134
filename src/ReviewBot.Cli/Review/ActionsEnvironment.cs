using System.Text.Json;

namespace ReviewBot.Cli.Review;

/// <summary>
/// What <c>--github-pr</c> reads from the GitHub Actions environment
/// (https://docs.github.com/actions/reference/variables-reference): the token, the repository, the API
/// URL and the pull_request event that started the workflow.
/// </summary>
public sealed record ActionsEnvironment(string Token, string Owner, string Repo, Uri ApiUrl, PullRequestEvent PullRequest)
{
    public const string TokenVariable = "GITHUB_TOKEN";
    public const string RepositoryVariable = "GITHUB_REPOSITORY";
    public const string EventPathVariable = "GITHUB_EVENT_PATH";
    public const string ApiUrlVariable = "GITHUB_API_URL";

    /// <summary>GitHub's web address (https://github.com, or a GitHub Enterprise Server's), for links to files at a commit.</summary>
    public const string ServerUrlVariable = "GITHUB_SERVER_URL";

    /// <summary>"true" on every GitHub Actions runner: then what reviewbot prints is guarded (<see cref="Output.WorkflowCommandGuard"/>).</summary>
    public const string ActionsVariable = "GITHUB_ACTIONS";

    /// <summary>The file a step appends Markdown to for the run's job summary.</summary>
    public const string StepSummaryVariable = "GITHUB_STEP_SUMMARY";

    /// <summary>GitHub Actions sets GITHUB_API_URL; github.com's API when it does not.</summary>
    public const string DefaultApiUrl = "https://api.github.com";

    /// <summary>Reads the environment; throws <see cref="FormatException"/> naming everything missing or malformed.</summary>
    public static ActionsEnvironment Read(Func<string, string?> variable, string currentDirectory)
    {
        string? token = NonEmpty(variable(TokenVariable));
        string? repository = NonEmpty(variable(RepositoryVariable));
        string? eventPath = NonEmpty(variable(EventPathVariable));
        var missing = new[] { (TokenVariable, token), (RepositoryVariable, repository), (EventPathVariable, eventPath) }
            .Where(v => v.Item2 is null).Select(v => v.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException(
                $"--github-pr needs the GitHub Actions environment; {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not set "
                + "(pass GITHUB_TOKEN to the step with env: GITHUB_TOKEN: ${{ github.token }})");
        }

        var parts = repository!.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
        {
            throw new FormatException($"{RepositoryVariable} must be owner/repo, not '{repository}'");
        }

        var apiText = NonEmpty(variable(ApiUrlVariable)) ?? DefaultApiUrl;
        if (!Uri.TryCreate(apiText, UriKind.Absolute, out var apiUrl) || apiUrl.Scheme is not ("https" or "http"))
        {
            throw new FormatException($"{ApiUrlVariable} is not an http(s) URL: '{apiText}'");
        }

        return new ActionsEnvironment(token!, parts[0], parts[1], apiUrl, PullRequestEvent.Read(Path.GetFullPath(eventPath!, currentDirectory)))
        {
            StepSummaryPath = NonEmpty(variable(StepSummaryVariable)) is { } summary ? Path.GetFullPath(summary, currentDirectory) : null,
        };
    }

    /// <summary>
    /// Where the review's Markdown goes for the job summary, when the runner gave a file. reviewbot appends it itself:
    /// its stdout is inside a stop-commands block under Actions, and the block's markers do not belong in the summary.
    /// </summary>
    public string? StepSummaryPath { get; init; }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>The fields of a <c>pull_request</c> event payload the review needs.</summary>
public sealed record PullRequestEvent(int Number, string HeadSha, string BaseSha, string BaseRef, string State, bool Draft)
{
    public static PullRequestEvent Read(string path)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new FormatException($"cannot read the event file {path}: {e.Message}");
        }

        using (json)
        {
            if (!json.RootElement.TryGetProperty("pull_request", out var pr) || pr.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"the event in {path} has no pull_request: run --github-pr on pull_request or pull_request_target events");
            }

            try
            {
                return new PullRequestEvent(
                    pr.GetProperty("number").GetInt32(),
                    pr.GetProperty("head").GetProperty("sha").GetString()!,
                    pr.GetProperty("base").GetProperty("sha").GetString()!,
                    pr.GetProperty("base").GetProperty("ref").GetString()!,
                    pr.TryGetProperty("state", out var state) ? state.GetString() ?? "open" : "open",
                    pr.TryGetProperty("draft", out var draft) && draft.ValueKind == JsonValueKind.True);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"the pull_request in {path} lacks number, head.sha, base.sha or base.ref ({e.Message})");
            }
        }
    }
}
