using System.Text.Json.Nodes;

namespace ReviewBot.TestSupport;

/// <summary>GitHub's own example webhook payloads (npm @octokit/webhooks-examples, installed by `npm ci`).</summary>
public static class WebhookExamples
{
    private static readonly Lazy<JsonArray> Index = new(() =>
    {
        var path = Path.Combine(RepoRoot.Find(), "node_modules", "@octokit", "webhooks-examples", "api.github.com", "index.json");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run `npm ci` at the repository root.");
        }

        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    });

    /// <summary>The examples of one event (e.g. "pull_request"), each a fresh copy the caller may change.</summary>
    public static IReadOnlyList<JsonNode> Of(string eventName) =>
        [.. Index.Value.Single(e => e!["name"]!.GetValue<string>() == eventName)!["examples"]!.AsArray().Select(e => e!.DeepClone())];

    /// <summary>The first example of one event and action (and <paramref name="where"/>), a fresh copy.</summary>
    public static JsonNode Example(string eventName, string action, Func<JsonNode, bool>? where = null) =>
        Of(eventName).First(e => e["action"]?.GetValue<string>() == action && (where is null || where(e)));
}
