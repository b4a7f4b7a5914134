namespace ReviewBot.App.Worker;

/// <summary>Branch check log messages: a branch and a commit, never a pull request (a push has none).</summary>
internal static partial class BranchCheckLog
{
    [LoggerMessage(2201, LogLevel.Information, "{Branch} at {CommitSha}: branch check {Conclusion} with {Annotations} annotations")]
    public static partial void Checked(ILogger logger, string branch, string commitSha, int annotations, string conclusion);

    [LoggerMessage(2202, LogLevel.Information, "{Branch}: commit {CommitSha} superseded by a newer push, {LatestSha}; not checked")]
    public static partial void Superseded(ILogger logger, string branch, string commitSha, string latestSha);

    [LoggerMessage(2203, LogLevel.Error, "{Branch} at {CommitSha}: branch check failed ({Error})")]
    public static partial void Failed(ILogger logger, string branch, string commitSha, string error, Exception exception);

    [LoggerMessage(2204, LogLevel.Error, "{Branch} at {CommitSha}: the branch check run could not be closed")]
    public static partial void CheckNotClosed(ILogger logger, string branch, string commitSha, Exception exception);
}
