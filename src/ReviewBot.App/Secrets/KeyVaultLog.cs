using Microsoft.Extensions.Logging;

namespace ReviewBot.App.Secrets;

/// <summary>Key Vault log lines: names and status codes only, never a token, key, secret or signature.</summary>
internal static partial class KeyVaultLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Signed the App JWT with Key Vault key {KeyName} in {ElapsedMs} ms")]
    public static partial void Signed(ILogger logger, string keyName, long elapsedMs);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Key Vault sign with key {KeyName} answered {Status} ({ErrorCode}); retrying in {Delay}")]
    public static partial void SignRetry(ILogger logger, string keyName, int status, string errorCode, TimeSpan delay);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Loaded the App private key from Key Vault secret {SecretName}")]
    public static partial void SecretLoaded(ILogger logger, string secretName);
}
