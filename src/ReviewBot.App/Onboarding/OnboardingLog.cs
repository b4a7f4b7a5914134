namespace ReviewBot.App.Onboarding;

/// <summary>Onboarding log messages: a repository or an installation's account, never a file's text.</summary>
internal static partial class OnboardingLog
{
    [LoggerMessage(2101, LogLevel.Information, "Onboarding {Repository}: {Outcome}, {Reason}")]
    public static partial void Done(ILogger logger, string repository, string outcome, string reason);

    [LoggerMessage(2102, LogLevel.Information, "Onboarding {Repository}: skipped, {Reason}")]
    public static partial void Skipped(ILogger logger, string repository, string reason);

    [LoggerMessage(2104, LogLevel.Warning, "Onboarding {Repository}: stopped, {Reason}")]
    public static partial void BranchNotOurs(ILogger logger, string repository, string reason);

    [LoggerMessage(2103, LogLevel.Information, "Onboarding {Repository}: {Reason}; back in the queue for {Delay}")]
    public static partial void Waiting(ILogger logger, string repository, string reason, TimeSpan delay);

    [LoggerMessage(2111, LogLevel.Information, "Onboarding {Account}: page {Page} queued {Count} repositories; more to come: {More}")]
    public static partial void Queued(ILogger logger, string account, int page, int count, bool more);

    [LoggerMessage(2112, LogLevel.Information, "Onboarding {Account}: onboarding is off; nothing queued")]
    public static partial void Off(ILogger logger, string account);

    [LoggerMessage(2113, LogLevel.Warning, "Onboarding {Account}: page {Page} named a repository that is not a GitHub name; skipped")]
    public static partial void NotAName(ILogger logger, string account, int page);
}
