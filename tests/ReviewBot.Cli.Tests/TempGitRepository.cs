using System.Diagnostics;

namespace ReviewBot.Cli.Tests;

/// <summary>A real git repository in a temporary folder, with a committer set so commits work on CI.</summary>
public sealed class TempGitRepository : IDisposable
{
    private readonly TempFolder _folder = new();

    public TempGitRepository()
    {
        Git("init", "-q", "-b", "main");
        Git("config", "user.name", "ReviewBot Tests");
        Git("config", "user.email", "tests@reviewbot.invalid");
        Git("config", "commit.gpgsign", "false");
    }

    public string Root => _folder.Root;

    public void Write(string path, string text) => _folder.Write(path, text);

    /// <summary>Stages everything and commits; returns the new commit's id.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>
    /// main has a <c>Dockerfile</c> of <paramref name="baseText"/> (and <c>.github/reviewbot.yml</c> of <paramref name="config"/>,
    /// when given); the branch <c>feature</c>, checked out, changes it to <paramref name="headText"/>.
    /// </summary>
    public void Branch(string baseText, string headText, string? config = null)
    {
        Write("Dockerfile", baseText);
        if (config is not null)
        {
            Write(".github/reviewbot.yml", config);
        }

        Commit("base");
        Git("checkout", "-q", "-b", "feature");
        Write("Dockerfile", headText);
        Commit("change");
    }

    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error.Result}");
    }

    public void Dispose() => _folder.Dispose();
}
