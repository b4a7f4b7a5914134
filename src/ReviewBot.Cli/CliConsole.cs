using System.Text;

namespace ReviewBot.Cli;

/// <summary>The process surroundings a command uses, so tests can run commands in-process.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, Func<Stream> OpenStandardInput, string CurrentDirectory, bool UseColor)
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Whether standard error is a terminal a person watches: only then does a long scan show its progress.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Reads an environment variable (GitHub Actions' GITHUB_TOKEN …); tests give their own.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = global::System.Environment.GetEnvironmentVariable;

    /// <summary>The real console. Colors only when stdout is a terminal and NO_COLOR is unset (https://no-color.org).</summary>
    public static CliConsole System => new(
        // Buffered: thousands of findings must not mean thousands of write calls. CliApp flushes it.
        new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize) { AutoFlush = false },
        Console.Error,
        Console.OpenStandardInput,
        Environment.CurrentDirectory,
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
    {
        ErrorIsTerminal = !Console.IsErrorRedirected,
    };
}
