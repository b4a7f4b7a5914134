using System.Text;
using ReviewBot.GitHub.Api;

namespace ReviewBot.GitHub.PullRequests;

// INTERIM: stands in for r2-client's PullRequestClient.ReadFileAsync/FileRead until that branch is merged; deleted then.
public enum FileReadStatus
{
    Read,
    Missing,
    TooLarge,
}

public sealed record FileRead(FileReadStatus Status, string? Text, long? Size);

internal static class InterimFileReads
{
    public static async Task<FileRead> ReadFileAsync(this PullRequestClient client, string owner, string repo, string path, string reference, long maxBytes, CancellationToken cancellationToken)
    {
        var text = await client.GetFileTextAsync(owner, repo, path, reference, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return new FileRead(FileReadStatus.Missing, null, null);
        }

        long size = Encoding.UTF8.GetByteCount(text);
        return size > maxBytes ? new FileRead(FileReadStatus.TooLarge, null, size) : new FileRead(FileReadStatus.Read, text, size);
    }
}
