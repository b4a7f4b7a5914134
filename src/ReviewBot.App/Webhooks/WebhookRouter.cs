using System.Text.Json;
using ReviewBot.App.Queue;
using ReviewBot.GitHub.Checks;

namespace ReviewBot.App.Webhooks;

/// <summary>What a delivery asks for: pull requests to review, or nothing (with why, for the log and the response).</summary>
public sealed record WebhookDecision(IReadOnlyList<WorkItem> Work, string? IgnoredBecause)
{
    public static WebhookDecision Ignore(string reason) => new([], reason);
}

/// <summary>
/// Reads the few fields a review needs from a webhook payload. Only the fields we use are read, so a new
/// field or action GitHub adds can never fail a delivery.
/// </summary>
public static class WebhookRouter
{
    /// <summary>pull_request actions that change what there is to review.</summary>
    private static readonly HashSet<string> PullRequestActions = new(StringComparer.Ordinal) { "opened", "synchronize", "reopened", "ready_for_review", "edited" };

    public static WebhookDecision Route(string eventName, string deliveryId, JsonElement payload)
    {
        string action = Str(payload, "action") ?? "";
        if (payload.TryGetProperty("installation", out var installation) is false || Long(installation, "id") is not long installationId)
        {
            return WebhookDecision.Ignore("not sent to an App installation");
        }

        var repository = payload.GetProperty("repository");
        string owner = repository.GetProperty("owner").GetProperty("login").GetString()!;
        string repo = repository.GetProperty("name").GetString()!;
        string reason = $"{eventName}.{action}";

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

                int number = pr.GetProperty("number").GetInt32();
                string head = pr.GetProperty("head").GetProperty("sha").GetString()!;
                string? baseRef = pr.TryGetProperty("base", out var @base) ? Str(@base, "ref") : null;
                bool? draft = pr.TryGetProperty("draft", out var d) && d.ValueKind is JsonValueKind.True or JsonValueKind.False ? d.GetBoolean() : null;
                return new([new WorkItem(deliveryId, installationId, owner, repo, number, head, reason, baseRef, draft)], null);

            case "check_run" when action == "rerequested":
                var run = payload.GetProperty("check_run");
                if (Str(run, "name") != CheckRunPlan.Name)
                {
                    return WebhookDecision.Ignore("not our check run");
                }

                return FromPullRequests(run, Str(run, "head_sha"), deliveryId, installationId, owner, repo, reason);

            case "check_suite" when action is "requested" or "rerequested":
                var suite = payload.GetProperty("check_suite");
                return FromPullRequests(suite, Str(suite, "head_sha"), deliveryId, installationId, owner, repo, reason);

            default:
                return WebhookDecision.Ignore($"{reason} is not handled");
        }
    }

    private static WebhookDecision FromPullRequests(JsonElement source, string? headSha, string deliveryId, long installationId, string owner, string repo, string reason)
    {
        var items = new List<WorkItem>();
        if (source.TryGetProperty("pull_requests", out var prs) && prs.ValueKind == JsonValueKind.Array)
        {
            foreach (var pr in prs.EnumerateArray())
            {
                string? sha = pr.TryGetProperty("head", out var head) ? Str(head, "sha") : null;
                items.Add(new WorkItem(deliveryId, installationId, owner, repo, pr.GetProperty("number").GetInt32(), sha ?? headSha ?? "", reason));
            }
        }

        return items.Count == 0 ? WebhookDecision.Ignore("no open pull request in this repository for that commit") : new(items, null);
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
