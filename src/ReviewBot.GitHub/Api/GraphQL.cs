using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ReviewBot.GitHub.Api;

/// <summary>
/// GitHub's GraphQL answer: <see cref="Data"/>, and <see cref="Errors"/> when any part failed. The names are fixed
/// by the GraphQL spec, so a caller's source-generated context reads them whatever its naming policy.
/// </summary>
public sealed record GraphQLResponse<T>(
    [property: JsonPropertyName("data")] T? Data,
    [property: JsonPropertyName("errors")] IReadOnlyList<GraphQLError>? Errors);

/// <summary>One GraphQL error; <see cref="Type"/> is GitHub's (NOT_FOUND, RATE_LIMITED, FORBIDDEN …).</summary>
public sealed record GraphQLError(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("path")] IReadOnlyList<JsonNode?>? Path);

/// <summary>POST /graphql's body. Values from a pull request travel in <see cref="Variables"/>, never in the query text.</summary>
internal sealed record GraphQLRequest(string Query, JsonObject? Variables);

/// <summary>Which GraphQL documents are reads.</summary>
internal static class GraphQLOperation
{
    /// <summary>
    /// A query (a read) may be sent again after a 5xx or no answer, like a GET. Anything else (a mutation, or a
    /// document we cannot tell) is not: a mutation that may have happened is read back by its caller.
    /// </summary>
    public static bool IsQuery(string document)
    {
        var text = document.AsSpan().TrimStart();
        return text.StartsWith("{") || (text.StartsWith("query") && (text.Length == 5 || !char.IsLetterOrDigit(text[5]) && text[5] != '_'));
    }
}
