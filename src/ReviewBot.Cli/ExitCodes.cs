namespace ReviewBot.Cli;

/// <summary>The command's exit codes (a contract for CI scripts).</summary>
public static class ExitCodes
{
    /// <summary>Nothing reached the fail level.</summary>
    public const int Success = 0;

    /// <summary>At least one finding reached the fail level.</summary>
    public const int Findings = 1;

    /// <summary>Bad arguments, or a file that could not be read or written.</summary>
    public const int UsageOrReadError = 2;
}
