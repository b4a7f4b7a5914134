using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReviewBot.App.Queue;
using ReviewBot.GitHub.Checks;

namespace ReviewBot.App.Webhooks;

/// <summary>What a delivery asks for: pull requests to review, a branch commit to check, or nothing (with why, for the log and the response).</summary>
public sealed record WebhookDecision(IReadOnlyList<WorkItem> Work, string? IgnoredBecause)
{
    public static WebhookDecision Ignore(string reason) => new([], reason);
}

/// <summary>
/// Reads the few fields a review needs from a webhook payload. Only the fields we use are read, so a new
/// field or action GitHub adds can never fail a delivery. Every field taken must look like GitHub's (names,
/// numbers, SHAs): they become storage keys, URL segments and log values downstream, so anything else makes
/// the payload malformed (a <see cref="FormatException"/>, answered 400).
/// </summary>
public static partial class WebhookRouter
{
    /// <summary>pull_request actions that change what there is to review.</summary>
    private static readonly HashSet<string> PullRequestActions = new(StringComparer.Ordinal) { "opened", "synchronize", "reopened", "ready_for_review", "edited" };

    /// <param name="onboarding">The App's onboarding switch (<c>Onboarding:Enabled</c>): installation events queue work only when it is on.</param>
    public static WebhookDecision Route(string eventName, string deliveryId, JsonElement payload, bool onboarding = false)
    {
        string action = Str(payload, "action") ?? "";
        if (!ActionName().IsMatch(action))
        {
            throw new FormatException("The action is not one of GitHub's.");
        }

        if (payload.TryGetProperty("installation", out var installation) is false || Long(installation, "id") is not long installationId)
        {
            return WebhookDecision.Ignore("not sent to an App installation");
        }

        if (installationId <= 0)
        {
            throw new FormatException("The installation id is not positive.");
        }

        if (eventName is "installation" or "installation_repositories")
        {
            return Onboarding(eventName, action, deliveryId, installationId, installation, payload, onboarding);
        }

        var repository = payload.GetProperty("repository");
        var decision = FromRepository(eventName, action, deliveryId, installationId, repository, payload);
        // Every item names its repository by id too: state and tokens follow the id, which a rename or transfer keeps.
        return Long(repository, "id") is not long repositoryId ? decision
            : repositoryId > 0 ? decision with { Work = [.. decision.Work.Select(w => w is RepositoryWork r ? r with { RepositoryId = repositoryId } : w)] }
            : throw new FormatException("The repository id is not positive.");
    }

    private static WebhookDecision FromRepository(string eventName, string action, string deliveryId, long installationId, JsonElement repository, JsonElement payload)
    {
        string owner = Name(repository.GetProperty("owner").GetProperty("login").GetString(), "owner");
        string repo = Name(repository.GetProperty("name").GetString(), "repository name");
        string reason = action.Length == 0 ? eventName : $"{eventName}.{action}";

        switch (eventName)
        {
            case "pull_request":
                if (!PullRequestActions.Contains(action))
                {
                    return WebhookDecision.Ignore($"action {action} needs no review");
                }

                if (action == "edited" && !(payload.TryGetProperty("changes", out var changes) && changes.TryGetProperty("base", out _)))
                {
                    return WebhookDecision.Ignore("edited without a base change");
                }

                var pr = payload.GetProperty("pull_request");
                if (Str(pr, "state") != "open")
                {
                    return WebhookDecision.Ignore("the pull request is closed");
                }

                int number = Number(pr.GetProperty("number").GetInt32());
                string head = Sha(pr.GetProperty("head").GetProperty("sha").GetString());
                string? baseRef = pr.TryGetProperty("base", out var @base) ? Ref(Str(@base, "ref")) : null;
                string? baseSha = Str(@base, "sha") is { } sha ? Sha(sha) : null;
                bool? draft = pr.TryGetProperty("draft", out var d) && d.ValueKind is JsonValueKind.True or JsonValueKind.False ? d.GetBoolean() : null;
                return new([new ReviewWork(deliveryId, installationId, owner, repo, number, head, reason, baseRef, draft, baseSha) { RequestedAt = Time(pr, "updated_at") }], null);

            case "check_run" when action == "rerequested":
                var run = payload.GetProperty("check_run");
                if (Str(run, "name") != CheckRunPlan.Name)
                {
                    return WebhookDecision.Ignore("not our check run");
                }

                var listed = FromPullRequests(run, Str(run, "head_sha"), deliveryId, installationId, owner, repo, reason);
                return listed.Work.Count > 0 ? listed : FromRerunKey(run, repository, deliveryId, installationId, owner, repo, reason) ?? listed;

            case "check_suite" when action is "requested" or "rerequested":
                var suite = payload.GetProperty("check_suite");
                return FromPullRequests(suite, Str(suite, "head_sha"), deliveryId, installationId, owner, repo, reason);

            case "push":
                return FromPush(payload, repository, deliveryId, installationId, owner, repo);

            default:
                return WebhookDecision.Ignore($"{reason} is not handled");
        }
    }

    /// <summary>
    /// Repositories an <see cref="InstallationPageWork"/> item carries from an installation_repositories.added
    /// payload: one page of GitHub's list. Full names are at most 140 characters (39 for a login, 100 for a name), so
    /// 100 of them take about 15 KB of the 64 KiB an Azure queue message holds. Longer lists are read from GitHub.
    /// </summary>
    public const int MaxCarriedRepositories = 100;

    /// <summary>
    /// installation.created and installation_repositories.added become ONE <see cref="InstallationPageWork"/>
    /// item, whatever the number of repositories: the worker fans it out, page by page, so the delivery is answered in
    /// time. installation.created lists the installation's repositories from GitHub (that also covers
    /// <c>repository_selection: all</c>); .added carries the repositories it added when they fit in a message. An
    /// installation that was not granted <c>contents: write</c> is skipped here, once, with a log line and a metric:
    /// its runs could only fail and retry.
    /// </summary>
    private static WebhookDecision Onboarding(string eventName, string action, string deliveryId, long installationId, JsonElement installation, JsonElement payload, bool enabled)
    {
        string reason = $"{eventName}.{action}";
        string? list = (eventName, action) switch
        {
            ("installation", "created") => "repositories",
            ("installation_repositories", "added") => "repositories_added",
            _ => null,
        };
        if (list is null)
        {
            return WebhookDecision.Ignore($"{reason} is not handled");
        }

        if (!enabled)
        {
            return WebhookDecision.Ignore("onboarding is off (Onboarding:Enabled)");
        }

        if (!(installation.TryGetProperty("permissions", out var permissions) && Str(permissions, "contents") == "write"))
        {
            ReviewBot.App.Onboarding.OnboardingTelemetry.RecordSkipped("no-contents-write");
            return WebhookDecision.Ignore("the installation was not granted contents: write; onboarding skipped");
        }

        string account = Name(installation.TryGetProperty("account", out var a) ? Str(a, "login") : null, "account");
        var named = new List<string>();
        var ids = new List<long>();
        if (payload.TryGetProperty(list, out var repositories) && repositories.ValueKind == JsonValueKind.Array)
        {
            foreach (var repository in repositories.EnumerateArray())
            {
                named.Add(FullName(Str(repository, "full_name")));
                ids.Add(Long(repository, "id") is long id && id > 0 ? id : 0);
            }
        }

        bool listAll = eventName == "installation" && (named.Count > 0 || Str(installation, "repository_selection") == "all");
        if (!listAll && named.Count == 0)
        {
            return WebhookDecision.Ignore("no repository was listed");
        }

        // Carried only when the payload's list is the whole answer and fits; otherwise the worker reads it from GitHub.
        IReadOnlyList<string>? carried = !listAll && named.Count <= MaxCarriedRepositories ? named : null;
        return new([new InstallationPageWork(deliveryId, installationId, account, 1, reason, carried) { RepositoryIds = carried is null ? null : ids }], null);
    }

    /// <summary>
    /// A repository's "owner/name" as GitHub names them (a payload's full_name, or the API's list); anything else is a
    /// <see cref="FormatException"/>, since both parts become keys and URL segments.
    /// </summary>
    public static string FullName(string? fullName)
    {
        var parts = (fullName ?? "").Split('/');
        if (parts.Length != 2)
        {
            throw new FormatException("A repository's full name is not owner/name.");
        }

        return $"{Name(parts[0], "owner")}/{Name(parts[1], "repository name")}";
    }

    private static WebhookDecision FromPullRequests(JsonElement source, string? headSha, string deliveryId, long installationId, string owner, string repo, string reason)
    {
        var items = new List<WorkItem>();
        if (source.TryGetProperty("pull_requests", out var prs) && prs.ValueKind == JsonValueKind.Array)
        {
            foreach (var pr in prs.EnumerateArray())
            {
                string? sha = pr.TryGetProperty("head", out var head) ? Str(head, "sha") : null;
                items.Add(new ReviewWork(deliveryId, installationId, owner, repo, Number(pr.GetProperty("number").GetInt32()), Sha(sha ?? headSha ?? "", allowEmpty: true), reason));
            }
        }

        return items.Count == 0 ? WebhookDecision.Ignore("no open pull request in this repository for that commit") : new(items, null);
    }

    /// <summary>
    /// A re-run of our check whose event names no pull request: GitHub leaves <c>pull_requests</c> empty for a pull
    /// request from a fork and for a default-branch check, so the check's <c>external_id</c> (ours, see
    /// <see cref="CheckRerun"/>) says what to run again. Null when it says nothing we made.
    /// </summary>
    private static WebhookDecision? FromRerunKey(JsonElement run, JsonElement repository, string deliveryId, long installationId, string owner, string repo, string reason)
    {
        string head = Sha(Str(run, "head_sha"));
        switch (CheckRerun.Parse(Str(run, "external_id")))
        {
            case { PullRequest: int number }:
                return new([new ReviewWork(deliveryId, installationId, owner, repo, Number(number), head, reason)], null);
            case { Branch: true } when Ref(Str(repository, "default_branch")) is { } defaultBranch:
                return new([new BranchCheckWork(deliveryId, installationId, owner, repo, defaultBranch, head, reason)], null);
            default:
                return null;
        }
    }

    /// <summary>
    /// A push to the repository's default branch gets its check run on the pushed commit (a branch check); a
    /// deleted branch, a tag, or any other branch gets nothing.
    /// </summary>
    private static WebhookDecision FromPush(JsonElement payload, JsonElement repository, string deliveryId, long installationId, string owner, string repo)
    {
        if (payload.TryGetProperty("deleted", out var deleted) && deleted.ValueKind == JsonValueKind.True)
        {
            return WebhookDecision.Ignore("the branch or tag was deleted");
        }

        string? pushed = Str(payload, "ref");
        if (pushed is null || !pushed.StartsWith(BranchPrefix, StringComparison.Ordinal))
        {
            return WebhookDecision.Ignore("not a push to a branch");
        }

        if (Ref(Str(repository, "default_branch")) is not { } defaultBranch || pushed != BranchPrefix + defaultBranch)
        {
            return WebhookDecision.Ignore("not a push to the default branch");
        }

        string after = Sha(Str(payload, "after"));
        return new([new BranchCheckWork(deliveryId, installationId, owner, repo, defaultBranch, after, "push") { RequestedAt = Time(repository, "pushed_at") }], null);
    }

    private const string BranchPrefix = "refs/heads/";

    /// <summary>GitHub logins and repository names: letters, digits, '.', '_' and '-' (EMU logins add "_shortcode"), at most 100.</summary>
    private static string Name(string? value, string what) =>
        value is not null && NameChars().IsMatch(value) && value is not "." and not ".." ? value : throw new FormatException($"The {what} is not a GitHub name.");

    private static int Number(int value) => value > 0 ? value : throw new FormatException("The pull request number is not positive.");

    /// <summary>A commit SHA: 40 hex digits (SHA-1) or 64 (SHA-256 repositories).</summary>
    private static string Sha(string? value, bool allowEmpty = false) =>
        value is not null && (ShaChars().IsMatch(value) || (allowEmpty && value.Length == 0)) ? value : throw new FormatException("A SHA is not a commit SHA.");

    /// <summary>
    /// A branch name is only a shortcut (the run reads the pull request without it), so an odd one is dropped,
    /// not fatal: git forbids control characters in ref names, and 255 bytes is what any file system holds.
    /// </summary>
    private static string? Ref(string? value) =>
        value is { Length: > 0 and <= MaxRefChars } && !value.Any(char.IsControl) ? value : null;

    private const int MaxRefChars = 255;

    [GeneratedRegex("^[a-z_]{0,64}\\z")]
    private static partial Regex ActionName();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}\\z")]
    private static partial Regex NameChars();

    [GeneratedRegex("^(?:[0-9a-f]{40}|[0-9a-f]{64})\\z")]
    private static partial Regex ShaChars();

    /// <summary>
    /// A time GitHub sends as ISO 8601 (<c>pull_request.updated_at</c>) or, in push payloads, as Unix seconds
    /// (<c>repository.pushed_at</c>); null when absent or unreadable.
    /// </summary>
    private static DateTimeOffset? Time(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var seconds) && seconds > 0 && seconds < DateTimeOffset.MaxValue.ToUnixTimeSeconds() => DateTimeOffset.FromUnixTimeSeconds(seconds),
            JsonValueKind.String when DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
            _ => null,
        };
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
