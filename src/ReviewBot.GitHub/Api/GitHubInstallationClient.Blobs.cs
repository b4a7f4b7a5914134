using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ReviewBot.GitHub.Api;

/// <summary>Many files at one revision in a fixed number of GraphQL calls, instead of one REST read per file.</summary>
public sealed partial class GitHubInstallationClient
{
    /// <summary>
    /// Our bound on files per GraphQL query (GitHub allows 500,000 nodes a query; a Blob with its fields is a
    /// handful): 100 keeps a query's text and its answer small.
    /// </summary>
    public const int MaxBlobsPerQuery = 100;

    /// <summary>
    /// Our bound on the bytes of file text one GraphQL answer may carry. JSON escaping can make text up to six
    /// times longer (\u00XX), and <see cref="ResponseBufferingHandler.MaxResponseBytes"/> (32 MiB) caps an answer:
    /// 4 MiB of text stays under it whatever the text is.
    /// </summary>
    public const long MaxTextBytesPerQuery = 4L * 1024 * 1024;

    /// <summary>
    /// The files at <paramref name="revision"/> (a commit SHA, or a branch), in the order asked: up to 8 files in one
    /// GraphQL query; more in one query for the size and kind of every file, then one for the text of those within
    /// <paramref name="maxBytes"/> (more only past <see cref="MaxBlobsPerQuery"/> files or <see cref="MaxTextBytesPerQuery"/> bytes). A file
    /// over the cap is refused from its size, without its text; a binary file, a directory or a submodule is
    /// <see cref="FileReadStatus.NotText"/>; a text GitHub's GraphQL cuts short is read through REST
    /// (<see cref="ReadFileAsync"/>). Paths travel as variables, never inside the query.
    /// </summary>
    public Task<IReadOnlyList<FileRead>> ReadFilesAsync(string owner, string repo, IReadOnlyList<string> paths, string revision, long maxBytes, CancellationToken cancellationToken) =>
        ReadFilesAsync(owner, repo, paths, revision, maxBytes, long.MaxValue, cancellationToken);

    /// <summary>
    /// As <see cref="ReadFilesAsync(string, string, IReadOnlyList{string}, string, long, CancellationToken)"/>, holding at
    /// most <paramref name="maxTotalBytes"/> of text: files are taken in the order asked while their sizes fit, and the
    /// rest are <see cref="FileReadStatus.TooLarge"/> from their size, their text never read through REST (GraphQL's
    /// first answer carries at most <see cref="MaxTextBytesPerQuery"/> of it).
    /// </summary>
    public async Task<IReadOnlyList<FileRead>> ReadFilesAsync(string owner, string repo, IReadOnlyList<string> paths, string revision, long maxBytes, long maxTotalBytes, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            return [];
        }

        var reads = new FileRead?[paths.Count];
        var sizes = new BlobNode?[paths.Count];
        List<List<int>> textBatches;
        if (paths.Count * GitHubLimits.GraphQLBlobTextBytes <= MaxTextBytesPerQuery)
        {
            // So few files that their texts, each cut by GitHub at GitHubLimits.GraphQLBlobTextBytes, fit one answer
            // whatever their size: one call, sizes and texts together.
            textBatches = [[.. Enumerable.Range(0, paths.Count)]];
        }
        else
        {
            for (int start = 0; start < paths.Count; start += MaxBlobsPerQuery)
            {
                var chunk = Enumerable.Range(start, Math.Min(MaxBlobsPerQuery, paths.Count - start)).ToList();
                var answer = await BlobQueryAsync(owner, repo, revision, chunk.Select(i => paths[i]).ToList(), "byteSize isBinary", cancellationToken).ConfigureAwait(false);
                for (int j = 0; j < chunk.Count; j++)
                {
                    sizes[chunk[j]] = answer.GetValueOrDefault(Alias(j));
                    reads[chunk[j]] = Unreadable(sizes[chunk[j]], maxBytes);
                }
            }

            Admit(reads, sizes, maxTotalBytes);
            textBatches = [.. TextBatches([.. Enumerable.Range(0, paths.Count).Where(i => reads[i] is null)], i => sizes[i]!.ByteSize!.Value)];
        }

        foreach (var batch in textBatches)
        {
            var answer = await BlobQueryAsync(owner, repo, revision, batch.Select(i => paths[i]).ToList(), "byteSize isBinary isTruncated text", cancellationToken).ConfigureAwait(false);
            for (int j = 0; j < batch.Count; j++)
            {
                var blob = answer.GetValueOrDefault(Alias(j));
                sizes[batch[j]] ??= blob;
                reads[batch[j]] = Unreadable(blob, maxBytes) ?? blob switch
                {
                    { IsTruncated: false, Text: { } text } when Encoding.UTF8.GetByteCount(text) <= maxBytes => new FileRead(FileReadStatus.Read, text, Encoding.UTF8.GetByteCount(text)),
                    _ => null, // cut short (or no text given): REST's raw read has the whole file
                };
            }
        }

        Admit(reads, sizes, maxTotalBytes);
        for (int i = 0; i < paths.Count; i++)
        {
            reads[i] ??= await ReadFileAsync(owner, repo, paths[i], revision, maxBytes, cancellationToken).ConfigureAwait(false);
        }

        return reads!;
    }

    /// <summary>
    /// Keeps the total: in the order asked, a file still to be read or read whole counts its size, and past the total it
    /// is <see cref="FileReadStatus.TooLarge"/> (its text, if GraphQL sent it, dropped). Safe to run again: a file it
    /// refused stays refused, one it admitted counts again the same way.
    /// </summary>
    private static void Admit(FileRead?[] reads, BlobNode?[] sizes, long maxTotalBytes)
    {
        if (maxTotalBytes == long.MaxValue)
        {
            return;
        }

        long used = 0;
        for (int i = 0; i < reads.Length; i++)
        {
            if (reads[i] is not (null or { Status: FileReadStatus.Read }) || sizes[i]?.ByteSize is not long size)
            {
                continue;
            }

            if (used + size > maxTotalBytes)
            {
                reads[i] = new FileRead(FileReadStatus.TooLarge, null, size);
                continue;
            }

            used += size;
        }
    }

    /// <summary>Why a path's text is not to be read (nothing there, not a file, binary, over the cap); null when it is.</summary>
    private static FileRead? Unreadable(BlobNode? blob, long maxBytes) => blob switch
    {
        null => new FileRead(FileReadStatus.Missing, null, null),
        { Typename: not "Blob" } or { ByteSize: null } => new FileRead(FileReadStatus.NotText, null, null),
        { ByteSize: long size } when size > maxBytes => new FileRead(FileReadStatus.TooLarge, null, size),
        { IsBinary: true, ByteSize: var size } => new FileRead(FileReadStatus.NotText, null, size),
        _ => null,
    };

    /// <summary>Groups files so each text query stays within <see cref="MaxBlobsPerQuery"/> files and <see cref="MaxTextBytesPerQuery"/> bytes.</summary>
    private static IEnumerable<List<int>> TextBatches(List<int> files, Func<int, long> size)
    {
        var batch = new List<int>();
        long bytes = 0;
        foreach (int i in files)
        {
            // GitHub sends at most GitHubLimits.GraphQLBlobTextBytes of a blob's text; a longer one is read through REST anyway.
            long cost = Math.Min(size(i), GitHubLimits.GraphQLBlobTextBytes);
            if (batch.Count > 0 && (batch.Count == MaxBlobsPerQuery || bytes + cost > MaxTextBytesPerQuery))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(i);
            bytes += cost;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private async Task<Dictionary<string, BlobNode?>> BlobQueryAsync(string owner, string repo, string revision, IReadOnlyList<string> paths, string fields, CancellationToken cancellationToken)
    {
        var declarations = new StringBuilder("query($owner: String!, $name: String!");
        var selections = new StringBuilder();
        var variables = new JsonObject { ["owner"] = owner, ["name"] = repo };
        for (int j = 0; j < paths.Count; j++)
        {
            declarations.Append($", $e{j}: String!");
            selections.Append($" {Alias(j)}: object(expression: $e{j}) {{ __typename ... on Blob {{ {fields} }} }}");
            variables[$"e{j}"] = $"{revision}:{paths[j]}";
        }

        var document = $"{declarations}) {{ repository(owner: $owner, name: $name) {{{selections} }} }}";
        var data = await GraphQLAsync(document, variables, GraphQLJson.Default.GraphQLResponseBlobsData, cancellationToken).ConfigureAwait(false);
        return data.Repository ?? throw new GitHubApiException(200, $"GitHub's GraphQL API did not find {owner}/{repo}.");
    }

    private static string Alias(int index) => "f" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The repository's aliased objects (f0, f1, …); null where nothing is at that path.</summary>
internal sealed record BlobsData(Dictionary<string, BlobNode?>? Repository);

/// <summary>A git object; only a Blob has the other fields.</summary>
internal sealed record BlobNode(
    [property: JsonPropertyName("__typename")] string? Typename,
    long? ByteSize,
    bool? IsBinary,
    bool? IsTruncated,
    string? Text);

/// <summary>GraphQL's names are camelCase.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GraphQLResponse<BlobsData>))]
internal sealed partial class GraphQLJson : JsonSerializerContext;
