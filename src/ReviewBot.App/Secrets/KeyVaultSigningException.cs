namespace ReviewBot.App.Secrets;

/// <summary>Key Vault refused or failed to sign; carries the status and Key Vault's error code, nothing secret.</summary>
public sealed class KeyVaultSigningException(string message, int status, string errorCode)
    : Exception(message)
{
    public int Status { get; } = status;

    public string ErrorCode { get; } = errorCode;
}
