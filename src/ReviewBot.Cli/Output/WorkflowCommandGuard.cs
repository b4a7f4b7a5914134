using System.Security.Cryptography;
using System.Text;
using ReviewBot.Cli.Review;

namespace ReviewBot.Cli.Output;

/// <summary>
/// Keeps what reviewbot prints from being run as GitHub Actions workflow commands. The runner reads every line a step
/// prints, on stdout and stderr alike, and runs it as a command when, after leading white space, it starts with
/// <c>::</c> (<c>::error title=…::</c>, <c>::add-mask::</c>, <c>::stop-commands::</c>), or when it holds <c>##[</c>
/// anywhere (the older syntax, still parsed); a line is ended by <c>\n</c> or a lone <c>\r</c>
/// (actions/runner ActionCommand.TryParseV2 and TryParse, ProcessInvoker's StreamReader.ReadLine). Paths and
/// Dockerfile text are the pull request author's, so every character goes through one of these guards:
/// <list type="bullet">
/// <item><b>A stop-commands block</b> (human output on stdout: scan text, review markdown): the first write opens
/// <c>::stop-commands::TOKEN</c>, <see cref="End"/> closes it with <c>::TOKEN::</c> on a line of its own. In between the
/// runner runs nothing but that closing line, and the text stays byte for byte what it is outside Actions. TOKEN is 128
/// random bits from the operating system's cryptographic generator, new for every run, so no input can hold it
/// (https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands#stopping-and-starting-workflow-commands).</item>
/// <item><b>Escaping</b> (stderr, and JSON or SARIF on stdout, which markers would corrupt): a <c>:</c> that is the first
/// character of a line after white space, and a <c>[</c> after <c>##</c>, are written as <c>\:</c> and <c>\[</c> in
/// text, as <c>\u003A</c> and <c>\u005B</c> in JSON (same value to a parser; neither can stand outside a string there).
/// Stderr cannot use a block: the runner reads stdout and stderr concurrently into one command state, so the end of a
/// block on one stream could arrive while the other stream's block is still being read, and switch commands back on.</item>
/// </list>
/// Only under GitHub Actions (<see cref="Protect"/>); elsewhere the output is not touched at all.
/// </summary>
public sealed class WorkflowCommandGuard : TextWriter
{
    /// <summary>Random bytes in a stop token: 128 bits, hex-encoded (the runner compares it ignoring case, so hex loses nothing).</summary>
    private const int TokenBytes = 16;

    private enum Mode
    {
        Block,
        EscapeText,
        EscapeJson,
    }

    private readonly TextWriter _inner;
    private readonly Lock _gate = new();
    private Mode _mode;
    private string? _token;
    private bool _written;
    private bool _atLineStart = true;
    private bool _leading = true;
    private int _hashes;

    private WorkflowCommandGuard(TextWriter inner, Mode mode)
    {
        _inner = inner;
        _mode = mode;
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    public override Encoding Encoding => _inner.Encoding;

    public override IFormatProvider FormatProvider => _inner.FormatProvider;

    /// <summary>The stop token of the block now open, or null; for tests.</summary>
    internal string? Token => _token;

    /// <summary>
    /// The console with stdout in a stop-commands block and stderr escaped when it runs under GitHub Actions
    /// (GITHUB_ACTIONS=true, set on every runner); else the console as it is.
    /// </summary>
    public static CliConsole Protect(CliConsole console) =>
        string.Equals(console.GetEnvironmentVariable(ActionsEnvironment.ActionsVariable), "true", StringComparison.OrdinalIgnoreCase)
            ? console with
            {
                Out = new WorkflowCommandGuard(console.Out, Mode.Block),
                Error = new WorkflowCommandGuard(console.Error, Mode.EscapeText),
            }
            : console;

    /// <summary>
    /// Says that <paramref name="output"/> is about to receive a JSON document (scan --format json or sarif, review
    /// --format json): a guard escapes it instead of wrapping it in markers, so a redirected file stays valid JSON.
    /// Call before the first write. Any other writer is left as it is.
    /// </summary>
    public static void ExpectJson(TextWriter output)
    {
        if (output is WorkflowCommandGuard guard)
        {
            lock (guard._gate)
            {
                if (guard._written)
                {
                    throw new InvalidOperationException("the output's guard is chosen before its first write");
                }

                guard._mode = Mode.EscapeJson;
            }
        }
    }

    /// <summary>Closes an open block (<c>::TOKEN::</c> on a line of its own) and flushes. Called once the command is done.</summary>
    public static void End(TextWriter output)
    {
        if (output is WorkflowCommandGuard guard)
        {
            guard.End();
        }

        output.Flush();
    }

    private void End()
    {
        lock (_gate)
        {
            if (_token is null)
            {
                return;
            }

            // The runner only resumes on a line that is the token command; after text without a newline it would not.
            if (!_atLineStart)
            {
                _inner.Write('\n');
            }

            _inner.Write($"::{_token}::\n");
            _token = null;
            _atLineStart = true;
        }
    }

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void WriteLine(string? value) => WriteLine(value.AsSpan());

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        // One lock for the line and its end, so a line from another thread never lands between them.
        lock (_gate)
        {
            WriteCore(buffer);
            WriteCore(CoreNewLine);
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            WriteCore(buffer);
        }
    }

    private void WriteCore(ReadOnlySpan<char> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        _written = true;
        if (_mode == Mode.Block)
        {
            if (_token is null)
            {
                _token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TokenBytes));
                _inner.Write($"::stop-commands::{_token}\n");
            }

            _inner.Write(buffer);
            _atLineStart = buffer[^1] is '\n' or '\r';
            return;
        }

        WriteEscaped(buffer);
    }

    private void WriteEscaped(ReadOnlySpan<char> buffer)
    {
        int start = 0;
        for (int i = 0; i < buffer.Length; i++)
        {
            char c = buffer[i];
            string? escaped = null;
            if (c is '\n' or '\r')
            {
                _leading = true;
                _hashes = 0;
                continue;
            }

            if (c == ':' && _leading)
            {
                escaped = _mode == Mode.EscapeJson ? "\\u003A" : "\\:";
            }
            else if (c == '[' && _hashes >= 2)
            {
                escaped = _mode == Mode.EscapeJson ? "\\u005B" : "\\[";
            }

            _leading = _leading && char.IsWhiteSpace(c);
            _hashes = c == '#' ? _hashes + 1 : 0;
            if (escaped is not null)
            {
                _inner.Write(buffer[start..i]);
                _inner.Write(escaped);
                start = i + 1;
            }
        }

        _inner.Write(buffer[start..]);
    }

    public override void Flush() => _inner.Flush();
}
