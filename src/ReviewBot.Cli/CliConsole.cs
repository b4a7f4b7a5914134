using System.Text;

namespace ReviewBot.Cli;

/// <summary>The process surroundings a command uses, so tests can run commands in-process.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, Func<Stream> OpenStandardInput, string CurrentDirectory, bool UseColor)
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Whether standard error is a terminal a person watches: only then does a long scan show its progress.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Columns the text output wraps prose at.</summary>
    public int Width { get; init; } = Output.TextFormatter.DefaultWidth;

    /// <summary>Reads an environment variable (GitHub Actions' GITHUB_TOKEN …); tests give their own.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = global::System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// The real console. Colors only when stdout is a terminal and NO_COLOR is unset (https://no-color.org).
    /// </summary>
    /// <remarks>
    /// On Unix a standard stream that is a terminal is its file descriptor itself, never <see cref="Console.Out"/>,
    /// <see cref="Console.Error"/>, <see cref="Console.OpenStandardOutput()"/> or <see cref="Console.WindowWidth"/>:
    /// the first write through any of those initializes the terminal and writes its terminfo <c>keypad_xmit</c>
    /// (<c>ESC[?1h ESC=</c>) to it, which showed up in every recorded run (see <see cref="Standard"/>). The width comes from <c>COLUMNS</c> for the
    /// same reason.
    /// </remarks>
    public static CliConsole System => new(
        // Buffered: thousands of findings must not mean thousands of write calls. CliApp flushes it.
        new StreamWriter(Standard(1, FileAccess.Write), Utf8, BufferSize) { AutoFlush = false },
        new StreamWriter(Standard(2, FileAccess.Write), Utf8) { AutoFlush = true },
        () => Standard(0, FileAccess.Read),
        Environment.CurrentDirectory,
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
    {
        ErrorIsTerminal = !Console.IsErrorRedirected,
        Width = ColumnsOf(Environment.GetEnvironmentVariable("COLUMNS")),
    };

    /// <summary>
    /// Standard input, output or error (file descriptor 0, 1 or 2). A terminal is written as a plain unbuffered stream
    /// (a terminal cannot seek, so that is write(2) as it comes); anything else through the console's own stream,
    /// which writes at the descriptor's shared offset: a FileStream would write a redirected file at offsets of its own
    /// and overwrite what the shell writes to the same file after it.
    /// </summary>
    private static Stream Standard(int descriptor, FileAccess access)
    {
        bool terminal = descriptor switch { 0 => !Console.IsInputRedirected, 1 => !Console.IsOutputRedirected, _ => !Console.IsErrorRedirected };
        if (terminal && !OperatingSystem.IsWindows())
        {
            return new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(descriptor, ownsHandle: false), access, bufferSize: 0);
        }

        return descriptor switch { 0 => Console.OpenStandardInput(), 1 => Console.OpenStandardOutput(), _ => Console.OpenStandardError() };
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The width <c>COLUMNS</c> gives, or <see cref="Output.TextFormatter.DefaultWidth"/> when it gives none.</summary>
    public static int ColumnsOf(string? columns) =>
        int.TryParse(columns, global::System.Globalization.NumberStyles.None, global::System.Globalization.CultureInfo.InvariantCulture, out int width) && width > 0
            ? width
            : Output.TextFormatter.DefaultWidth;
}
