namespace ReviewBot.GitHub.Api;

/// <summary>The pull request facts a run needs; <see cref="BaseSha"/> is the base branch's commit the pull request is judged against.</summary>
public sealed record PullRequestInfo(int Number, string State, bool Draft, string HeadSha, string BaseRef, string? HeadRepository, string BaseSha = "");

/// <summary>A file of a pull request as GitHub lists it. <see cref="Patch"/> is null for large or binary diffs.</summary>
public sealed record ChangedFile(string Path, string Status, string? Patch, string? PreviousPath)
{
    public bool IsRemoved => Status == "removed";
}

/// <summary>The files of a pull request and whether GitHub cut the list off.</summary>
public sealed record ChangedFiles(IReadOnlyList<ChangedFile> Files, bool Truncated);

/// <summary>A review comment already on the pull request.</summary>
public sealed record ExistingComment(long Id, string Body, long? InReplyToId, string Path, string? UserLogin, string? UserType);
