using ReviewBot.Cli.Scanning;
using ReviewBot.Configuration;

namespace ReviewBot.Cli.Tests.Scanning;

public class ScanTargetTests
{
    [Fact]
    public void Folders_are_walked_for_dockerfile_names_skipping_tool_folders()
    {
        using var temp = new TempFolder();
        foreach (var path in new[]
        {
            "Dockerfile", "Dockerfile.prod", "api/web.dockerfile", "api/Worker.Dockerfile", "Containerfile", "c/Containerfile.dev",
            ".devcontainer/Dockerfile", "README.md", "Dockerfile-old", "docker-compose.yml",
            "node_modules/x/Dockerfile", ".git/Dockerfile", "src/bin/Dockerfile", "src/obj/Dockerfile",
        })
        {
            temp.Write(path, "FROM scratch\n");
        }

        var targets = ScanTarget.Expand([], temp.Root, RepositoryConfig.Default);

        Assert.Equal(
            ["Containerfile", "Dockerfile", "Dockerfile.prod", ".devcontainer/Dockerfile", "api/Worker.Dockerfile", "api/web.dockerfile", "c/Containerfile.dev"],
            targets.Select(t => t.DisplayPath));
        Assert.All(targets, t => Assert.Null(t.Error));
    }

    [Fact]
    public void Named_files_are_taken_whatever_their_name_and_only_once()
    {
        using var temp = new TempFolder();
        temp.Write("build/image.docker", "FROM scratch\n");
        temp.Write("Dockerfile", "FROM scratch\n");

        var targets = ScanTarget.Expand(["build/image.docker", "Dockerfile", ".", "./Dockerfile"], temp.Root, RepositoryConfig.Default);

        Assert.Equal(["build/image.docker", "Dockerfile"], targets.Select(t => t.DisplayPath));
    }

    [Fact]
    public void Config_globs_add_and_remove_files_relative_to_the_scanned_folder()
    {
        using var temp = new TempFolder();
        temp.Write("deploy/app.docker", "FROM scratch\n");
        temp.Write("vendor/lib/Dockerfile", "FROM scratch\n");
        temp.Write("Dockerfile", "FROM scratch\n");
        var config = RepositoryConfig.Parse("paths:\n  include: [\"deploy/*.docker\"]\n  exclude: [\"vendor/**\"]\n").Config;

        var targets = ScanTarget.Expand([temp.Root], temp.Root, config);

        Assert.Equal(["Dockerfile", "deploy/app.docker"], targets.Select(t => t.DisplayPath));
    }

    [Fact]
    public void Dash_is_standard_input_and_a_missing_path_is_an_error_target()
    {
        using var temp = new TempFolder();

        var targets = ScanTarget.Expand(["-", "missing/Dockerfile"], temp.Root, RepositoryConfig.Default);

        Assert.True(targets[0].IsStandardInput);
        Assert.Equal("<stdin>", targets[0].DisplayPath);
        Assert.Equal("no such file or folder", targets[1].Error);
    }

    [Theory]
    [InlineData("", new[] { "Dockerfile", "sub/Dockerfile", "zeta/Dockerfile" })]
    [InlineData("sub", new[] { "{root}/Dockerfile", "Dockerfile", "{root}/zeta/Dockerfile" })]
    [InlineData("beside", new[] { "{root}/tree/Dockerfile", "{root}/tree/sub/Dockerfile", "{root}/tree/zeta/Dockerfile" })]
    public void A_walked_folder_shows_each_file_as_the_current_folder_sees_it(string currentFolder, string[] expected)
    {
        using var temp = new TempFolder();
        var tree = currentFolder == "beside" ? "tree/" : "";
        foreach (var path in new[] { "Dockerfile", "sub/Dockerfile", "zeta/Dockerfile" })
        {
            temp.Write(tree + path, "FROM scratch\n");
        }

        var current = Path.Combine(temp.Root, currentFolder);
        Directory.CreateDirectory(current);

        var targets = ScanTarget.Expand([Path.Combine(temp.Root, tree)], current, RepositoryConfig.Default);

        Assert.Equal(expected.Select(e => e.Replace("{root}", temp.Root)), targets.Select(t => t.DisplayPath));
    }

    [Fact]
    public void Paths_outside_the_current_folder_are_shown_absolute()
    {
        using var temp = new TempFolder();
        var file = temp.Write("Dockerfile", "FROM scratch\n");
        var elsewhere = Path.Combine(temp.Root, "sub");
        Directory.CreateDirectory(elsewhere);

        var targets = ScanTarget.Expand([file], elsewhere, RepositoryConfig.Default);

        Assert.Equal(file, targets.Single().DisplayPath);
    }

    [Fact]
    public void Symlinked_folders_are_not_followed()
    {
        using var temp = new TempFolder();
        temp.Write("real/Dockerfile", "FROM scratch\n");
        Directory.CreateSymbolicLink(Path.Combine(temp.Root, "loop"), temp.Root);

        var targets = ScanTarget.Expand([], temp.Root, RepositoryConfig.Default);

        Assert.Equal(["real/Dockerfile"], targets.Select(t => t.DisplayPath));
    }

    [Fact]
    public void A_symlinked_Dockerfile_is_scanned_while_a_symlinked_folder_is_not()
    {
        // The walk tells links from the one folder listing; a link to a file is still a file to read.
        using var temp = new TempFolder();
        var real = temp.Write("real/Dockerfile", "FROM scratch\n");
        Directory.CreateDirectory(Path.Combine(temp.Root, "app"));
        File.CreateSymbolicLink(Path.Combine(temp.Root, "app", "Dockerfile"), real);
        Directory.CreateSymbolicLink(Path.Combine(temp.Root, "app", "linked"), Path.Combine(temp.Root, "real"));

        var targets = ScanTarget.Expand([], temp.Root, RepositoryConfig.Default);

        Assert.Equal(["app/Dockerfile", "real/Dockerfile"], targets.Select(t => t.DisplayPath));
    }
}
