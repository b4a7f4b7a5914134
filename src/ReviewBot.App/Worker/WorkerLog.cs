namespace ReviewBot.App.Worker;

/// <summary>Worker log messages. Never a token or a key.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(2001, LogLevel.Information, "{PullRequest}: {HeadSha} superseded by {LatestSha}; skipped")]
    public static partial void Superseded(ILogger logger, string pullRequest, string headSha, string latestSha);

    [LoggerMessage(2002, LogLevel.Information, "{PullRequest}: skipped, {Reason}")]
    public static partial void Skipped(ILogger logger, string pullRequest, string reason);

    [LoggerMessage(2003, LogLevel.Information, "{PullRequest} at {HeadSha}: {Inline} inline and {FileLevel} file comments, check {Conclusion}")]
    public static partial void Reviewed(ILogger logger, string pullRequest, string headSha, int inline, int fileLevel, string conclusion);

    [LoggerMessage(2004, LogLevel.Error, "{PullRequest} at {HeadSha}: review failed ({Error})")]
    public static partial void RunFailed(ILogger logger, string pullRequest, string headSha, string error, Exception exception);

    [LoggerMessage(2005, LogLevel.Error, "{PullRequest}: the check run could not be closed")]
    public static partial void CheckNotClosed(ILogger logger, string pullRequest, Exception exception);

    // Retrying and DeadLettered are the worker's, for every kind: {Work} is a pull request, a branch, or a repository to onboard.
    [LoggerMessage(2006, LogLevel.Warning, "{Work}: attempt {Attempt} failed; tried again in {Delay}")]
    public static partial void Retrying(ILogger logger, string work, int attempt, TimeSpan delay);

    [LoggerMessage(2007, LogLevel.Error, "{Work}: gave up after {Attempt} attempts; dead-lettered")]
    public static partial void DeadLettered(ILogger logger, string work, int attempt);
}
