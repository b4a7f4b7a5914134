
namespace ReviewBot.Configuration.Tests;

/// <summary>Which Dockerfile an action.yml builds (issue 22 item 2): bounded, and anything unclear names nothing.</summary>
public class DockerActionsTests
{
    [Theory]
    [InlineData("action.yml", "runs:\n  using: docker\n  image: Dockerfile\n", "Dockerfile")]
    [InlineData("tools/lint/action.yaml", "runs:\n  using: 'docker'\n  image: './Dockerfile'\n", "tools/lint/Dockerfile")]
    [InlineData("tools/lint/action.yml", "runs:\n  using: Docker\n  image: ../shared/Dockerfile.action\n", "tools/shared/Dockerfile.action")]
    public void A_docker_action_names_its_dockerfile_relative_to_its_folder(string path, string text, string expected) =>
        Assert.Equal(expected, DockerActions.Dockerfile(path, text));

    [Theory]
    [InlineData("action.yml", "runs:\n  using: docker\n  image: docker://alpine:3.20\n")] // a registry image
    [InlineData("action.yml", "runs:\n  using: node20\n  main: index.js\n")]
    [InlineData("action.yml", "runs:\n  using: docker\n  image: ../Dockerfile\n")] // above the repository
    [InlineData("action.yml", "runs:\n  using: docker\n  image: /Dockerfile\n")]
    [InlineData("action.yml", "runs:\n  using: docker\n  image: ${{ inputs.file }}\n")]
    [InlineData("action.yml", "runs:\n  using: docker\n  image: \"a`b/Dockerfile\"\n")] // would leave a code span
    [InlineData("a`b/action.yml", "runs:\n  using: docker\n  image: Dockerfile\n")]
    [InlineData("action.yml", "runs:\n  using: docker\n  image: [Dockerfile]\n")]
    [InlineData("action.yml", "runs: {using: docker, image: Dockerfile}\n---\nruns: {using: docker, image: Dockerfile}\n")] // two documents: GitHub reads none
    [InlineData("action.yml", "runs: [\n")]
    [InlineData("action.yml", "")]
    public void Anything_else_names_nothing(string path, string text) =>
        Assert.Null(DockerActions.Dockerfile(path, text));

    [Theory]
    [InlineData('[', ']')]
    [InlineData('{', '}')]
    public void A_deeply_nested_action_yml_names_nothing_and_never_overflows_the_stack(char open, char close)
    {
        // 60,000 levels within the 64 KiB bound: YamlDotNet's tree recurses once per level, and a stack overflow ends the process.
        var text = "runs:\n  using: docker\n  image: Dockerfile\nx: " + new string(open, 30_000) + new string(close, 30_000) + "\n";

        Assert.Null(DockerActions.Dockerfile("action.yml", text));
    }

    [Fact]
    public void An_action_yml_over_the_size_bound_names_nothing()
    {
        string text = "runs:\n  using: docker\n  image: Dockerfile\n# " + new string('x', (int)DockerActions.MaxFileBytes) + "\n";
        Assert.Null(DockerActions.Dockerfile("action.yml", text));
    }

    [Fact]
    public void At_most_max_files_are_read_and_the_first_action_in_path_order_names_a_dockerfile()
    {
        var files = Enumerable.Range(0, DockerActions.MaxFiles + 1)
            .Select(i => ($"a{i:D3}/action.yml", $"runs:\n  using: docker\n  image: ../d{i:D3}/Dockerfile\n"))
            .Append(("a000/x/action.yml", "runs:\n  using: docker\n  image: ../../d000/Dockerfile\n"));

        var images = DockerActions.Images(files);

        // The first 50 in path order: a000/action.yml, a000/x/action.yml (the same Dockerfile again), a001 … a048.
        Assert.Equal(DockerActions.MaxFiles - 1, images.Count);
        Assert.Equal("a000/action.yml", images["d000/Dockerfile"]);
        Assert.True(images.ContainsKey($"d{DockerActions.MaxFiles - 2:D3}/Dockerfile"));
        Assert.False(images.ContainsKey($"d{DockerActions.MaxFiles - 1:D3}/Dockerfile"));
    }
}
