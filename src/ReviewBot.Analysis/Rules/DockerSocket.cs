using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Rules;

/// <summary>
/// Whether the image talks to the host's Docker daemon through its socket, as the Dockerfile itself says: the socket
/// declared as a <c>VOLUME</c> (docker-in-docker, CI runners), or named by the command the container starts with or by
/// the commands of its entrypoint script. The socket is root's (or the host's docker group's, whose id no image can
/// know), so such an image starts as root on purpose, and a USER fix would leave it unable to reach the daemon.
/// </summary>
internal static class DockerSocket
{
    /// <summary>Where Docker's daemon listens by default (/var/run is a link to /run on current distros).</summary>
    private static readonly string[] Paths = ["/var/run/docker.sock", "/run/docker.sock"];

    /// <summary>How the image uses the socket, in words that follow "It", or "" when it does not.</summary>
    public static string Find(Stage final, Func<string, string?>? readContextFile)
    {
        foreach (var stage in final.Chain())
        {
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Is("VOLUME") && Words(instruction).Any(w => Array.IndexOf(Paths, w.Trim('"', '\'').TrimEnd('/')) >= 0))
                {
                    return "declares the Docker socket as a `VOLUME`, so it talks to the host's Docker daemon";
                }
            }
        }

        var (words, script) = StepDown.Start(final, readContextFile);
        if (words.Any(Names))
        {
            return "names the Docker socket in the command it starts with, so it talks to the host's Docker daemon";
        }

        // The script's commands, not its comments: a comment that mentions the socket uses nothing.
        if (script is not null && ShellScript.Commands(script) is { } commands
            && commands.Any(c => c.Words.Any(Names) || c.Redirects.Any(r => Names(r.Target))))
        {
            return "names the Docker socket in its entrypoint script, so it talks to the host's Docker daemon";
        }

        return "";
    }

    private static bool Names(string word) => word.Contains(Paths[1], StringComparison.Ordinal);

    private static IEnumerable<string> Words(Syntax.Instruction instruction) =>
        instruction.IsJsonForm ? instruction.JsonArguments : instruction.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
