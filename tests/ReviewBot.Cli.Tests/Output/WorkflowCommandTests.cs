using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReviewBot.Cli.Output;

namespace ReviewBot.Cli.Tests.Output;

/// <summary>
/// Under GitHub Actions nothing reviewbot prints from a pull request runs as a workflow command: the runner's reading of
/// a step's output is modeled by <see cref="Runner"/>, and every output path is fed hostile text.
/// </summary>
public partial class WorkflowCommandTests : IDisposable
{
    /// <summary>A COPY whose continuation lines are workflow commands; the fix inserts USER right after them, so they are its context.</summary>
    private const string HostileDockerfile = """
        FROM debian:bookworm-slim
        COPY a \
        ::error title=Security notice::Rotate your token at https://example.invalid/rotate \
        ::add-mask::hunter2 \
          ::stop-commands::pwned \
        ##[warning]forged \
        /app/
        CMD ["/app/run"]

        """;

    private readonly TempGitRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private static string? InActions(string name) => name == "GITHUB_ACTIONS" ? "true" : Cli.LocalEnvironment(name);

    private (string Base, string Head) HostileChange()
    {
        _repo.Write("README", "base\n");
        var baseSha = _repo.Commit("base");
        _repo.Write("Dockerfile", HostileDockerfile);
        return (baseSha, _repo.Commit("hostile"));
    }

    [Fact]
    public async Task Review_markdown_in_Actions_is_one_stop_commands_block_around_the_unchanged_text()
    {
        var (baseSha, _) = HostileChange();

        var local = await Cli.RunWithEnvironmentAsync(_repo.Root, "", Cli.LocalEnvironment, "review", "--base", baseSha);
        var first = await Cli.RunWithEnvironmentAsync(_repo.Root, "", InActions, "review", "--base", baseSha);
        var second = await Cli.RunWithEnvironmentAsync(_repo.Root, "", InActions, "review", "--base", baseSha);

        // The hostile lines are in the review (the fix's context), at the start of lines: outside Actions they would run.
        Assert.Contains("\n::error title=Security notice::Rotate your token", local.Out, StringComparison.Ordinal);
        Assert.NotEmpty(Runner.Commands(local.Out));

        var token = Assert.Single(Runner.Blocks(first.Out));
        Assert.Matches(TokenRegex(), token);
        Assert.Equal($"::stop-commands::{token}\n{local.Out}::{token}::\n", first.Out);
        Assert.Empty(Runner.Commands(first.Out));
        Assert.NotEqual(token, Assert.Single(Runner.Blocks(second.Out)));
        Assert.Equal(local.ExitCode, first.ExitCode);
        Assert.Empty(Runner.Commands(first.Error));
    }

    [Fact]
    public async Task Review_json_in_Actions_stays_the_same_json_and_runs_nothing()
    {
        var (baseSha, _) = HostileChange();

        var local = await Cli.RunWithEnvironmentAsync(_repo.Root, "", Cli.LocalEnvironment, "review", "--base", baseSha, "--format", "json");
        var actions = await Cli.RunWithEnvironmentAsync(_repo.Root, "", InActions, "review", "--base", baseSha, "--format", "json");

        Assert.Contains("##[warning]forged", local.Out, StringComparison.Ordinal);
        Assert.NotEmpty(Runner.Commands(local.Out));
        Assert.Empty(Runner.Commands(actions.Out));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(local.Out), JsonNode.Parse(actions.Out)));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public async Task Scan_in_Actions_runs_nothing_from_paths_or_text_in_any_format(string format)
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", HostileDockerfile);
        temp.Write("##[add-mask]hunter2/Dockerfile", HostileDockerfile);

        var local = await Cli.RunWithEnvironmentAsync(temp.Root, "", Cli.LocalEnvironment, "scan", "--format", format);
        var actions = await Cli.RunWithEnvironmentAsync(temp.Root, "", InActions, "scan", "--format", format);

        if (format != "sarif")
        {
            // SARIF writes paths as percent-encoded URIs; the other two would run the path or the text.
            Assert.NotEmpty(Runner.Commands(local.Out));
        }

        Assert.Empty(Runner.Commands(actions.Out));
        Assert.Equal(local.ExitCode, actions.ExitCode);
        if (format == "text")
        {
            var token = Assert.Single(Runner.Blocks(actions.Out));
            Assert.Equal($"::stop-commands::{token}\n{local.Out}::{token}::\n", actions.Out);
        }
        else
        {
            Assert.Empty(Runner.Blocks(actions.Out));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(local.Out), JsonNode.Parse(actions.Out)));
        }
    }

    [Fact]
    public async Task Stderr_in_Actions_escapes_commands_after_newlines_carriage_returns_and_white_space()
    {
        using var temp = new TempFolder();
        string[] paths = ["x\n::error title=forged::y", "x\r  ::add-mask::hunter2", "x\n::stop-commands::pwned", "say ##[error]forged"];

        var local = await Cli.RunWithEnvironmentAsync(temp.Root, "", Cli.LocalEnvironment, ["scan", .. paths]);
        var actions = await Cli.RunWithEnvironmentAsync(temp.Root, "", InActions, ["scan", .. paths]);

        Assert.Equal(4, Runner.Commands(local.Error).Count);
        Assert.Empty(Runner.Commands(actions.Error));
        Assert.Empty(Runner.Blocks(actions.Error));
        Assert.Contains("x\n\\::error title=forged::y: no such file or folder", actions.Error, StringComparison.Ordinal);
        Assert.Contains("x\r  \\::add-mask::hunter2", actions.Error, StringComparison.Ordinal);
        Assert.Contains("say ##\\[error]forged", actions.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageOrReadError, actions.ExitCode);
    }

    [Fact]
    public async Task Usage_errors_in_Actions_are_escaped_too()
    {
        using var temp = new TempFolder();

        var actions = await Cli.RunWithEnvironmentAsync(temp.Root, "", InActions, "scan", "--fail-level", "x\n::add-mask::hunter2");

        Assert.Equal(ExitCodes.UsageOrReadError, actions.ExitCode);
        Assert.Contains("hunter2", actions.Error, StringComparison.Ordinal);
        Assert.Empty(Runner.Commands(actions.Error));
    }

    [Fact]
    public void The_guard_closes_a_block_on_a_line_of_its_own_and_escapes_across_writes()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = WorkflowCommandGuard.Protect(new CliConsole(output, error, () => Stream.Null, ".", false) { GetEnvironmentVariable = InActions });

        console.Out.Write("no newline at the end ::error::x");
        WorkflowCommandGuard.End(console.Out);
        console.Error.Write("#");
        console.Error.Write("#");
        console.Error.Write("[error]split");
        console.Error.Write("\n ");
        console.Error.Write(":");
        console.Error.Write(":error::split\n");

        var token = Assert.Single(Runner.Blocks(output.ToString()));
        Assert.EndsWith($"::error::x\n::{token}::\n", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(Runner.Commands(output.ToString()));
        Assert.Equal("##\\[error]split\n \\::error::split\n", error.ToString());
    }

    [Fact]
    public void Outside_Actions_the_console_is_not_wrapped()
    {
        var console = new CliConsole(new StringWriter(), new StringWriter(), () => Stream.Null, ".", false) { GetEnvironmentVariable = Cli.LocalEnvironment };

        Assert.Same(console, WorkflowCommandGuard.Protect(console));
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex TokenRegex();

    /// <summary>
    /// How actions/runner reads one stream of a step (ActionCommandManager.TryProcessCommand, ActionCommand.TryParseV2
    /// and TryParse): lines end at \n, \r\n or a lone \r; a line is a command when it starts with "::" after white space
    /// or holds "##[" anywhere; after ::stop-commands::TOKEN nothing runs until the line ::TOKEN::.
    /// </summary>
    private static class Runner
    {
        private static readonly char[] LineEnds = ['\r', '\n'];

        /// <summary>The lines the runner would run as commands, other than opening and closing a stop-commands block.</summary>
        public static List<string> Commands(string output) => Read(output).Commands;

        /// <summary>The tokens of the stop-commands blocks, in order.</summary>
        public static List<string> Blocks(string output) => Read(output).Blocks;

        private static (List<string> Commands, List<string> Blocks) Read(string output)
        {
            var commands = new List<string>();
            var blocks = new List<string>();
            string? stopped = null;
            foreach (var line in output.Replace("\r\n", "\n", StringComparison.Ordinal).Split(LineEnds))
            {
                var trimmed = line.TrimStart();
                bool isCommand = trimmed.StartsWith("::", StringComparison.Ordinal) || line.Contains("##[", StringComparison.Ordinal);
                if (!isCommand)
                {
                    continue;
                }

                if (stopped is not null)
                {
                    if (trimmed.StartsWith($"::{stopped}::", StringComparison.OrdinalIgnoreCase))
                    {
                        stopped = null;
                    }

                    continue;
                }

                // Our blocks only: a stop-commands forged from the input (another token) counts as a command that ran.
                if (trimmed.StartsWith("::stop-commands::", StringComparison.Ordinal) && TokenRegex().IsMatch(trimmed["::stop-commands::".Length..]))
                {
                    stopped = trimmed["::stop-commands::".Length..];
                    blocks.Add(stopped);
                    continue;
                }

                commands.Add(line);
            }

            return (commands, blocks);
        }
    }
}
