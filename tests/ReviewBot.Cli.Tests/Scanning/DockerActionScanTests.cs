namespace ReviewBot.Cli.Tests.Scanning;

/// <summary>`reviewbot scan` notes, and does not fail, the image of a Docker container action of the same repository (issue 22 item 2).</summary>
public class DockerActionScanTests
{
    /// <summary>The shape of actions/hello-world-docker-action and most Docker actions on the marketplace.</summary>
    private const string ActionDockerfile = "FROM alpine:3.20\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n";

    private const string ActionYml = "name: Hello\ndescription: Greets\ninputs:\n  who:\n    default: World\nruns:\n  using: 'docker'\n  image: 'Dockerfile'\n  args:\n    - ${{ inputs.who }}\n";

    [Fact]
    public async Task A_docker_actions_dockerfile_passes_the_scan_with_a_notice_and_is_not_fixed()
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", ActionDockerfile);
        temp.Write("action.yml", ActionYml);
        temp.Write("nested/action.yaml", "runs:\n  using: docker\n  image: ./docker/Dockerfile\n");
        temp.Write("nested/docker/Dockerfile", ActionDockerfile);

        var run = await Cli.RunAsync(temp.Root, "scan", "--fix");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Docker container action action.yml", run.Out, StringComparison.Ordinal);
        Assert.Contains("Docker container action nested/action.yaml", run.Out, StringComparison.Ordinal);
        Assert.Equal(ActionDockerfile, File.ReadAllText(Path.Combine(temp.Root, "Dockerfile")));
        Assert.Equal(ActionDockerfile, File.ReadAllText(Path.Combine(temp.Root, "nested/docker/Dockerfile")));

        // Named on its own, the file is still its action's image.
        Assert.Equal(0, (await Cli.RunAsync(temp.Root, "scan", "Dockerfile")).ExitCode);
    }

    [Theory]
    // An image from a registry is not built from this repository, a composite action builds nothing, and an action
    // names only its own Dockerfile.
    [InlineData("runs:\n  using: docker\n  image: docker://alpine:3.20\n")]
    [InlineData("runs:\n  using: composite\n  steps: []\n")]
    [InlineData("runs:\n  using: docker\n  image: other/Dockerfile\n")]
    [InlineData("runs: [docker, Dockerfile]\n")]
    [InlineData("runs:\n  using: docker\n  image: *nothing\n")]
    public async Task Anything_but_a_docker_action_built_from_the_dockerfile_leaves_it_an_error(string actionYml)
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", ActionDockerfile);
        temp.Write("action.yml", actionYml);

        var run = await Cli.RunAsync(temp.Root, "scan");

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("Docker container action", run.Out, StringComparison.Ordinal);
    }
}
