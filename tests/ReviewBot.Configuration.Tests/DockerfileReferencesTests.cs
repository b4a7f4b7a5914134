
namespace ReviewBot.Configuration.Tests;

public class DockerfileReferencesTests
{
    [Theory]
    [InlineData("compose.yaml", true)]
    [InlineData("deploy/compose.yml", true)]
    [InlineData("docker-compose.yml", true)]
    [InlineData("docker-compose.prod.yaml", true)]
    [InlineData("compose.override.yaml", true)]
    [InlineData(".devcontainer/devcontainer.json", true)]
    [InlineData(".devcontainer/python/devcontainer.json", true)]
    [InlineData("app/.devcontainer.json", true)]
    [InlineData("devcontainer.json", false)]
    [InlineData("compose.json", false)]
    [InlineData("composer.yaml", false)]
    [InlineData("docs/compose.md", false)]
    public void Build_files_are_compose_files_and_devcontainer_json(string path, bool expected) =>
        Assert.Equal(expected, DockerfileReferences.IsBuildFile(path));

    [Fact]
    public void Compose_services_name_their_dockerfile_relative_to_the_context_and_the_compose_files_folder()
    {
        var result = DockerfileReferences.Read("deploy/compose.yaml", """
            services:
              api:
                build:
                  context: ../src/api
                  dockerfile: app.Containerfile
              web:
                build: ./web
              worker:
                build:
                  dockerfile: worker.docker
              db:
                image: postgres:16
              remote:
                build: https://github.com/o/r.git#main
              env:
                build:
                  dockerfile: ${DOCKERFILE}
              escaping:
                build:
                  context: ../../..
              absolute:
                build:
                  dockerfile: /etc/Dockerfile
            """);

        Assert.Null(result.Error);
        Assert.Equal(new[] { "src/api/app.Containerfile", "deploy/web/Dockerfile", "deploy/worker.docker" }, result.Dockerfiles.ToArray());
    }

    [Fact]
    public void Devcontainer_json_with_comments_names_its_dockerfile_relative_to_its_folder()
    {
        var result = DockerfileReferences.Read(".devcontainer/devcontainer.json", """
            // JSON with comments
            {
              "name": "dev", /* trailing commas too */
              "build": { "dockerfile": "../build/web.docker", "context": ".." },
            }
            """);

        Assert.Null(result.Error);
        Assert.Equal(new[] { "build/web.docker" }, result.Dockerfiles.ToArray());
        Assert.Equal(new[] { "Dockerfile" }, DockerfileReferences.Read(".devcontainer.json", """{"dockerFile": "Dockerfile"}""").Dockerfiles.ToArray());
    }

    [Theory]
    [InlineData("compose.yaml", "services: [unclosed\n", "is not valid YAML")]
    [InlineData(".devcontainer.json", "{ \"build\": ", "is not valid JSON")]
    public void Invalid_build_files_are_errors(string path, string text, string error) =>
        Assert.StartsWith(error, DockerfileReferences.Read(path, text).Error);

    [Fact]
    public void A_compose_file_naming_too_many_dockerfiles_is_an_error()
    {
        var services = string.Concat(Enumerable.Range(0, DockerfileReferences.MaxDockerfilesPerFile + 1).Select(i => $"  s{i}:\n    build: ./s{i}\n"));
        Assert.NotNull(DockerfileReferences.Read("compose.yaml", "services:\n" + services).Error);
    }

    [Fact]
    public void Alias_bombs_stay_cheap()
    {
        // Each level refers to the one before ten times; walking it would be 10^9 nodes, but only services' build keys are read.
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 9).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n")) + "services:\n  s:\n    build: .\n    x: *a9\n";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = DockerfileReferences.Read("compose.yaml", yaml);
        Assert.Equal(new[] { "Dockerfile" }, result.Dockerfiles.ToArray());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }

    [Theory]
    [InlineData("", "docker/spec", "docker/spec")]
    [InlineData("a/b", "../c/./Dockerfile", "a/c/Dockerfile")]
    [InlineData("a", "../../x", null)]
    [InlineData("a", "/etc/passwd", null)]
    [InlineData("", "C:/x", null)]
    [InlineData("a", "..", null)]
    [InlineData("", "", null)]
    public void Paths_resolve_inside_the_repository_only(string folder, string relative, string? expected) =>
        Assert.Equal(expected, RepositoryPaths.Resolve(folder, relative));
}
