namespace ReviewBot.App.Setup;

/// <summary>Setup log lines: the App's id and name only, never its key or secrets.</summary>
internal static partial class SetupLog
{
    [LoggerMessage(4201, LogLevel.Information, "GitHub App {AppId} ({Slug}) created from the manifest; its key and secrets were shown once to the operator")]
    public static partial void Created(ILogger logger, long appId, string slug);

    [LoggerMessage(4202, LogLevel.Warning, "Manifest conversion refused by GitHub: HTTP {Status}")]
    public static partial void ConversionFailed(ILogger logger, int status);

    [LoggerMessage(4203, LogLevel.Warning, "Setup callback with a missing or foreign state; refused")]
    public static partial void BadState(ILogger logger);
}
