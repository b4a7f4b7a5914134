using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ReviewBot.Cli.Review;

/// <summary>
/// Runs git as a child process in one folder, with an argument list (never a shell), and returns its
/// output as bytes, so file contents come back exactly as committed.
/// </summary>
public sealed class Git(string workingDirectory)
{
    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>The outcome of one git call.</summary>
    public sealed record Result(int ExitCode, byte[] Output, string Error)
    {
        public string Text => Encoding.UTF8.GetString(Output);
    }

    /// <summary>Runs git; a non-zero exit is returned, not thrown. Throws <see cref="GitException"/> when git cannot be started.</summary>
    public async Task<Result> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };

        // Never wait for a password prompt, and never let a user's external diff or pager change the output.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_PAGER"] = "cat";
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("core.quotepath=false");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new GitException($"cannot run git ({e.Message}); is git installed and on PATH?");
        }

        process.StandardInput.Close();
        using var output = new MemoryStream();
        var copyOutput = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        var readError = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await Task.WhenAll(copyOutput, readError).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // never leave a git process behind a cancelled review
            throw;
        }

        return new Result(process.ExitCode, output.ToArray(), readError.Result.Trim());
    }

    /// <summary>Runs git and returns its output; a non-zero exit throws <see cref="GitException"/> with git's own message.</summary>
    public async Task<Result> RunCheckedAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var message = result.Error.Length > 0 ? result.Error : $"exit code {result.ExitCode}";
            throw new GitException($"git {string.Join(' ', arguments)} failed: {message}");
        }

        return result;
    }
}
