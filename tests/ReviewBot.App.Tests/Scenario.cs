using System.Text.Json.Nodes;

namespace ReviewBot.App.Tests;

/// <summary>Dockerfiles and their patches as GitHub would list them.</summary>
public static class Scenario
{
    public const string RootDockerfile = "FROM debian:bookworm-slim\nCOPY app /app\nCMD [\"/app/run\"]\n";

    /// <summary>The patch of a file the pull request adds.</summary>
    public static string AddedPatch(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        return $"@@ -0,0 +1,{lines.Length} @@\n" + string.Concat(lines.Select(l => "+" + l + "\n")).TrimEnd('\n');
    }

    public static object File(string path, string status, string? patch, string? previous = null) =>
        new { sha = "bbcd538c8e72b8c175046e27cc8f907076331401", filename = path, status, additions = 1, deletions = 0, changes = 1, patch, previous_filename = previous };

    /// <summary>Applies a review comment's suggestion to the text, as GitHub's "Commit suggestion" does.</summary>
    public static string ApplySuggestion(string text, JsonNode comment)
    {
        var body = comment["body"]!.GetValue<string>();
        int open = body.IndexOf("suggestion\n", StringComparison.Ordinal);
        var fence = body[..open].Split('\n')[^1];
        int start = open + "suggestion\n".Length;
        int end = body.IndexOf("\n" + fence + "\n", start - 1, StringComparison.Ordinal);
        var suggested = end < start ? "" : body[start..end];
        int line = comment["line"]!.GetValue<int>();
        int first = comment["start_line"]?.GetValue<int>() ?? line;
        var lines = text.TrimEnd('\n').Split('\n').ToList();
        lines.RemoveRange(first - 1, line - first + 1);
        lines.InsertRange(first - 1, suggested.Length == 0 ? [] : suggested.Split('\n'));
        return string.Join('\n', lines) + "\n";
    }
}
