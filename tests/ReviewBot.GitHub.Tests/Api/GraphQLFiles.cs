using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>
/// GitHub's GraphQL endpoint for Blob reads, answering each aliased <c>object(expression: "rev:path")</c> from a
/// dictionary of files the way GitHub does: null for a missing path, byteSize and isBinary always, text cut at
/// 512,000 bytes with isTruncated. Records which fields each query asked for.
/// </summary>
internal sealed class GraphQLFiles(IReadOnlyDictionary<string, string> files, ISet<string>? binary = null)
{
    public const string Path = "/api/graphql";

    public const int TextLimit = 512_000;

    /// <summary>Each query's document and the paths it asked for, in order.</summary>
    public List<(string Query, List<string> Paths)> Queries { get; } = [];

    public void Register(GitHubFake github) =>
        github.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(Path).UsingPost()).AtPriority(50)
            .RespondWith(Response.Create().WithCallback(request => Answer(request.Body!)));

    private WireMock.ResponseMessage Answer(string body)
    {
        var request = JsonNode.Parse(body)!;
        var query = request["query"]!.GetValue<string>();
        var variables = request["variables"]!.AsObject();
        var asked = new List<string>();
        var repository = new JsonObject();
        for (int j = 0; variables.ContainsKey($"e{j}"); j++)
        {
            var expression = variables[$"e{j}"]!.GetValue<string>();
            var path = expression[(expression.IndexOf(':', StringComparison.Ordinal) + 1)..];
            asked.Add(path);
            if (!files.TryGetValue(path, out var text))
            {
                repository[$"f{j}"] = null;
                continue;
            }

            var bytes = System.Text.Encoding.UTF8.GetByteCount(text);
            bool isBinary = binary?.Contains(path) == true;
            var blob = new JsonObject { ["__typename"] = "Blob", ["byteSize"] = bytes, ["isBinary"] = isBinary };
            if (query.Contains("text", StringComparison.Ordinal))
            {
                bool truncated = bytes > TextLimit;
                blob["isTruncated"] = truncated;
                blob["text"] = isBinary ? null : truncated ? text[..TextLimit] : text;
            }

            repository[$"f{j}"] = blob;
        }

        lock (Queries)
        {
            Queries.Add((query, asked));
        }

        var answer = new JsonObject { ["data"] = new JsonObject { ["repository"] = repository } }.ToJsonString();
        return new WireMock.ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new BodyData { BodyAsString = answer, DetectedBodyType = BodyType.String, Encoding = System.Text.Encoding.UTF8 },
        };
    }
}
