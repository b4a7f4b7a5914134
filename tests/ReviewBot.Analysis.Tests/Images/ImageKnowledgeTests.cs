using ReviewBot.Analysis.Images;

namespace ReviewBot.Analysis.Tests.Images;

public class ImageKnowledgeTests
{
    [Fact]
    public void Node_alpine_ships_node_user_and_uses_busybox_tools()
    {
        var info = ImageKnowledge.Lookup("node:20-alpine");
        Assert.Equal(DistroFamily.Alpine, info.Family);
        Assert.Equal(UserTools.BusyBox, info.UserTools);
        Assert.True(info.HasShell);
        Assert.Equal(new ShippedUser("node", 1000, 1000), info.PreferredUser);
        Assert.False(info.DefaultsToNonRoot);
        Assert.True(info.IsKnown);
        Assert.False(info.IsGuessed);
    }

    [Fact]
    public void Node_debian_ships_node_user_and_uses_shadow_tools()
    {
        var info = ImageKnowledge.Lookup("node:20-bookworm-slim");
        Assert.Equal(DistroFamily.Debian, info.Family);
        Assert.Equal(UserTools.Shadow, info.UserTools);
        Assert.Equal("node", info.PreferredUser?.Name);
        Assert.True(info.UsesUid(1000));
    }

    [Theory]
    [InlineData("ubuntu:24.04")]
    [InlineData("ubuntu:noble")]
    [InlineData("ubuntu:latest")]
    [InlineData("ubuntu")]
    [InlineData("ubuntu:25.10")]
    public void Ubuntu_2404_ships_uid_1000(string image)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.Equal(DistroFamily.Ubuntu, info.Family);
        Assert.Contains(info.ShippedUsers, u => u is { Name: "ubuntu", Uid: 1000, Gid: 1000 });
        Assert.True(info.UsesUid(1000));
        Assert.True(info.UsesGid(1000));
        Assert.False(info.UsesUid(10001));
        Assert.Null(info.PreferredUser);
        Assert.False(info.DefaultsToNonRoot);
    }

    [Theory]
    [InlineData("ubuntu:22.04")]
    [InlineData("ubuntu:jammy")]
    [InlineData("ubuntu:20.04")]
    public void Ubuntu_2204_ships_no_non_root_user(string image)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.Equal(DistroFamily.Ubuntu, info.Family);
        Assert.DoesNotContain(info.ShippedUsers, u => u.Name == "ubuntu");
        Assert.False(info.UsesUid(1000));
        Assert.Equal(UserTools.Shadow, info.UserTools);
    }

    [Theory]
    [InlineData("gcr.io/distroless/static-debian12:nonroot")]
    [InlineData("gcr.io/distroless/java17-debian12:nonroot-amd64")]
    public void Distroless_nonroot_tag_defaults_to_65532(string image)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.Equal(DistroFamily.Distroless, info.Family);
        Assert.Equal("65532", info.DefaultUser);
        Assert.True(info.DefaultsToNonRoot);
        Assert.False(info.HasShell);
        Assert.False(info.HasUserTools);
        Assert.Equal(new ShippedUser("nonroot", 65532, 65532), info.PreferredUser);
    }

    [Fact]
    public void Distroless_default_tag_runs_as_root_without_a_shell()
    {
        var info = ImageKnowledge.Lookup("gcr.io/distroless/base-debian12");
        Assert.Equal("root", info.DefaultUser);
        Assert.False(info.DefaultsToNonRoot);
        Assert.False(info.HasShell);
        Assert.Equal("nonroot", info.PreferredUser?.Name);
    }

    [Fact]
    public void Distroless_debug_tags_have_a_busybox_shell_but_no_user_tools()
    {
        var debug = ImageKnowledge.Lookup("gcr.io/distroless/base-debian12:debug");
        Assert.True(debug.HasShell);
        Assert.False(debug.HasUserTools);
        Assert.False(debug.DefaultsToNonRoot);

        var debugNonRoot = ImageKnowledge.Lookup("gcr.io/distroless/base-debian12:debug-nonroot");
        Assert.True(debugNonRoot.HasShell);
        Assert.Equal("65532", debugNonRoot.DefaultUser);
    }

    [Theory]
    [InlineData("myregistry.example.com/team/app:1.4-alpine")]
    [InlineData("myorg/app:alpine")]
    [InlineData("myorg/app:3-alpine3.20")]
    public void Unknown_image_with_alpine_tag_is_guessed_alpine(string image)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.Equal(DistroFamily.Alpine, info.Family);
        Assert.Equal(UserTools.BusyBox, info.UserTools);
        Assert.True(info.IsGuessed);
        Assert.False(info.IsKnown);
        Assert.Equal("guess-alpine", info.Source);
    }

    [Theory]
    [InlineData("myorg/app:1.0-slim", DistroFamily.Debian)]
    [InlineData("myorg/app:bookworm", DistroFamily.Debian)]
    [InlineData("myorg/app:2-trixie", DistroFamily.Debian)]
    [InlineData("myorg/app:bullseye-slim", DistroFamily.Debian)]
    [InlineData("myorg/app:jammy", DistroFamily.Ubuntu)]
    [InlineData("myorg/app:focal-20240101", DistroFamily.Ubuntu)]
    [InlineData("myorg/app:1.0-ubi9", DistroFamily.Rhel)]
    [InlineData("myorg/app:1.0-ubi9-minimal", DistroFamily.UbiMinimal)]
    [InlineData("myorg/app:ltsc2022-windowsservercore", DistroFamily.Windows)]
    [InlineData("myorg/app:1809-nanoserver", DistroFamily.Windows)]
    [InlineData("myorg/app:1.0-distroless", DistroFamily.Distroless)]
    public void Unknown_images_are_guessed_from_their_tag(string image, DistroFamily family)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.Equal(family, info.Family);
        Assert.True(info.IsGuessed);
    }

    [Fact]
    public void Unknown_image_with_noble_tag_is_guessed_to_ship_uid_1000()
    {
        var info = ImageKnowledge.Lookup("myorg/base:noble");
        Assert.Equal(DistroFamily.Ubuntu, info.Family);
        Assert.True(info.UsesUid(1000));
    }

    [Fact]
    public void Unknown_windows_nanoserver_guess_defaults_to_container_user()
    {
        var info = ImageKnowledge.Lookup("myorg/app:1.0-nanoserver-ltsc2022");
        Assert.Equal("ContainerUser", info.DefaultUser);
        Assert.True(info.DefaultsToNonRoot);
        Assert.True(info.IsGuessed);
    }

    [Fact]
    public void Unknown_image_with_plain_tag_is_unknown_and_needs_a_numeric_user()
    {
        var info = ImageKnowledge.Lookup("myorg/app:1.2.3");
        Assert.Equal(DistroFamily.Unknown, info.Family);
        Assert.False(info.IsKnown);
        Assert.False(info.IsGuessed);
        Assert.False(info.HasShell);
        Assert.False(info.HasUserTools);
        Assert.Equal("root", info.DefaultUser);
        Assert.Equal(BaseImageInfo.UnknownSource, info.Source);
    }

    [Theory]
    [InlineData("$IMAGE")]
    [InlineData("${BASE}:1.0")]
    [InlineData("debian:%%SUITE%%")]
    [InlineData("")]
    [InlineData(null)]
    public void Unresolvable_image_text_gives_unknown_with_unresolved_source(string? text)
    {
        var info = ImageKnowledge.Lookup(text);
        Assert.Equal(DistroFamily.Unknown, info.Family);
        Assert.Equal(BaseImageInfo.UnresolvedSource, info.Source);
        Assert.False(info.IsKnown);
        Assert.False(info.IsGuessed);
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:8.0", DistroFamily.Debian)]
    [InlineData("mcr.microsoft.com/dotnet/sdk:9.0", DistroFamily.Debian)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0", DistroFamily.Ubuntu)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:8.0-alpine", DistroFamily.Alpine)]
    [InlineData("mcr.microsoft.com/dotnet/runtime:8.0-jammy", DistroFamily.Ubuntu)]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0-noble", DistroFamily.Ubuntu)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0-azurelinux3.0", DistroFamily.AzureLinux)]
    public void Dotnet_8_and_later_ship_app_user_1654_but_run_as_root(string image, DistroFamily family)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.Equal(family, info.Family);
        Assert.False(info.DefaultsToNonRoot);
        Assert.Equal(new ShippedUser("app", 1654, 1654, "$APP_UID"), info.PreferredUser);
        Assert.Equal("$APP_UID", info.PreferredUser!.UserText);
        Assert.True(info.UsesUid(1654));
    }

    [Fact]
    public void Dotnet_azurelinux_has_no_user_tools()
    {
        Assert.False(ImageKnowledge.Lookup("mcr.microsoft.com/dotnet/aspnet:8.0-azurelinux3.0").HasUserTools);
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled")]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled-extra")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:9.0-azurelinux3.0-distroless")]
    public void Dotnet_chiseled_and_distroless_have_no_shell_and_run_as_app(string image)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.Equal(DistroFamily.Distroless, info.Family);
        Assert.False(info.HasShell);
        Assert.True(info.DefaultsToNonRoot);
        Assert.Equal("1654", info.DefaultUser);
        Assert.Equal("$APP_UID", info.PreferredUser?.UserText);
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:6.0")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:7.0-alpine")]
    [InlineData("mcr.microsoft.com/dotnet/runtime:6.0-jammy")]
    public void Dotnet_6_and_7_ship_no_app_user(string image)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.DoesNotContain(info.ShippedUsers, u => u.Name == "app");
        Assert.Null(info.PreferredUser);
        Assert.False(info.UsesUid(1654));
    }

    [Fact]
    public void Dotnet_10_ubuntu_ships_both_app_and_ubuntu_users()
    {
        var info = ImageKnowledge.Lookup("mcr.microsoft.com/dotnet/aspnet:10.0-noble");
        Assert.True(info.UsesUid(1654));
        Assert.True(info.UsesUid(1000));
    }

    [Fact]
    public void Windows_nanoserver_defaults_to_container_user_and_servercore_to_administrator()
    {
        var nano = ImageKnowledge.Lookup("mcr.microsoft.com/windows/nanoserver:ltsc2022");
        Assert.Equal(DistroFamily.Windows, nano.Family);
        Assert.Equal("ContainerUser", nano.DefaultUser);
        Assert.True(nano.DefaultsToNonRoot);

        var core = ImageKnowledge.Lookup("mcr.microsoft.com/windows/servercore:ltsc2025-amd64");
        Assert.Equal("ContainerAdministrator", core.DefaultUser);
        Assert.False(core.DefaultsToNonRoot);
        Assert.Equal("ContainerUser", core.PreferredUser?.Name);
    }

    [Theory]
    [InlineData("postgres:16")]
    [InlineData("postgres:16-alpine")]
    [InlineData("redis:7")]
    [InlineData("mysql:8.4")]
    [InlineData("mariadb:11")]
    [InlineData("mongo:7.0")]
    [InlineData("rabbitmq:3-management")]
    public void Databases_start_as_root_and_step_down_at_run_time(string image)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.True(info.StepsDownAtRuntime);
        Assert.False(info.DefaultsToNonRoot);
        Assert.NotNull(info.PreferredUser);
    }

    [Fact]
    public void Postgres_alpine_user_has_alpine_ids()
    {
        Assert.Equal(new ShippedUser("postgres", 70, 70), ImageKnowledge.Lookup("postgres:16-alpine").PreferredUser);
        Assert.Equal(new ShippedUser("postgres", 999, 999), ImageKnowledge.Lookup("postgres:16").PreferredUser);
    }

    [Fact]
    public void Nginx_steps_down_to_nginx_101_for_workers_but_unprivileged_runs_as_101()
    {
        var nginx = ImageKnowledge.Lookup("nginx:1.27");
        Assert.False(nginx.DefaultsToNonRoot);
        Assert.True(nginx.StepsDownAtRuntime); // the master binds 80 as root, workers run as nginx; USER nginx alone breaks it
        Assert.Equal(new ShippedUser("nginx", 101, 101), nginx.PreferredUser);

        var unprivileged = ImageKnowledge.Lookup("nginxinc/nginx-unprivileged:1.27-alpine");
        Assert.Equal(DistroFamily.Alpine, unprivileged.Family);
        Assert.Equal("101", unprivileged.DefaultUser);
        Assert.True(unprivileged.DefaultsToNonRoot);
    }

    [Fact]
    public void Php_reuses_www_data_with_debian_or_alpine_ids()
    {
        Assert.Equal(new ShippedUser("www-data", 33, 33), ImageKnowledge.Lookup("php:8.3-apache").PreferredUser);
        Assert.Equal(new ShippedUser("www-data", 82, 82), ImageKnowledge.Lookup("php:8.3-fpm-alpine").PreferredUser);
    }

    [Theory]
    [InlineData("jenkins/jenkins:lts", "jenkins", 1000)]
    [InlineData("grafana/grafana:11.1.0", "472", 472)]
    [InlineData("bitnami/redis:7.2", "1001", 1001)]
    [InlineData("memcached:1.6", "memcache", 11211)]
    [InlineData("mcr.microsoft.com/mssql/server:2022-latest", "mssql", 10001)]
    public void Images_that_already_run_as_non_root(string image, string defaultUser, int uid)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.Equal(defaultUser, info.DefaultUser);
        Assert.True(info.DefaultsToNonRoot);
        Assert.True(info.UsesUid(uid));
    }

    [Fact]
    public void Chainguard_images_run_as_nonroot_and_dev_tags_add_a_shell()
    {
        var plain = ImageKnowledge.Lookup("cgr.dev/chainguard/python:latest");
        Assert.Equal(DistroFamily.Wolfi, plain.Family);
        Assert.Equal("65532", plain.DefaultUser);
        Assert.False(plain.HasShell);
        // Chainguard names the 65532 user after the software in some images, so the fix writes the number.
        Assert.Equal("65532", plain.PreferredUser?.UserText);

        var dev = ImageKnowledge.Lookup("cgr.dev/chainguard/python:latest-dev");
        Assert.True(dev.HasShell);
        Assert.Equal(UserTools.BusyBox, dev.UserTools);
    }

    [Theory]
    [InlineData("registry.access.redhat.com/ubi9/ubi-minimal:9.4", DistroFamily.UbiMinimal, false)]
    [InlineData("registry.access.redhat.com/ubi8-minimal", DistroFamily.UbiMinimal, false)]
    [InlineData("registry.access.redhat.com/ubi9/ubi-micro", DistroFamily.UbiMicro, false)]
    [InlineData("registry.access.redhat.com/ubi9/ubi", DistroFamily.Rhel, true)]
    [InlineData("registry.redhat.io/ubi8/ubi-init", DistroFamily.Rhel, true)]
    [InlineData("amazonlinux:2", DistroFamily.AmazonLinux, true)]
    [InlineData("amazonlinux:2023", DistroFamily.AmazonLinux, false)]
    [InlineData("rockylinux:9-minimal", DistroFamily.UbiMinimal, false)]
    [InlineData("almalinux:9", DistroFamily.Rhel, true)]
    [InlineData("fedora:40", DistroFamily.Rhel, true)]
    [InlineData("mcr.microsoft.com/azurelinux/base/core:3.0", DistroFamily.AzureLinux, false)]
    public void Rpm_families_say_whether_useradd_exists(string image, DistroFamily family, bool hasUserTools)
    {
        var info = ImageKnowledge.Lookup(image);
        Assert.Equal(family, info.Family);
        Assert.Equal(hasUserTools, info.HasUserTools);
    }

    [Fact]
    public void Scratch_has_nothing()
    {
        var info = ImageKnowledge.Lookup("scratch");
        Assert.Equal(DistroFamily.Scratch, info.Family);
        Assert.False(info.HasShell);
        Assert.False(info.HasUserTools);
        Assert.Empty(info.ShippedUsers);
        Assert.Equal("root", info.DefaultUser);
        Assert.True(info.UsesUid(0));
    }

    [Theory]
    [InlineData("amd64/alpine:3.20", "alpine")]
    [InlineData("arm64v8/buildpack-deps:noble-curl", "buildpack-deps-ubuntu-24.04+")]
    [InlineData("public.ecr.aws/docker/library/node:20", "node")]
    [InlineData("microsoft/windowsservercore:ltsc2016", "windows-servercore")]
    [InlineData("docker.io/library/debian:bookworm", "debian")]
    public void Mirrors_and_old_names_resolve_to_the_original_image(string image, string source)
    {
        Assert.Equal(source, ImageKnowledge.Lookup(image).Source);
    }

    [Fact]
    public void Exact_repository_with_tag_beats_repository_which_beats_pattern()
    {
        // exact repository + tag condition
        Assert.Equal("node-alpine", ImageKnowledge.Lookup("node:20-alpine").Source);
        // exact repository, tag does not matter
        Assert.Equal("bitnami-minideb", ImageKnowledge.Lookup("bitnami/minideb:bookworm").Source);
        // pattern
        Assert.Equal("bitnami", ImageKnowledge.Lookup("bitnami/redis:7.2").Source);
        // a known repository wins over a guess from its tag: python's -slim is known, not guessed
        Assert.False(ImageKnowledge.Lookup("python:3.12-slim").IsGuessed);
    }

    [Fact]
    public void Digest_without_tag_uses_the_untagged_entry()
    {
        var info = ImageKnowledge.Lookup("ubuntu@sha256:" + new string('1', 64));
        Assert.Equal("ubuntu", info.Source);
    }

    [Fact]
    public void Lookups_of_the_same_entry_share_one_instance()
    {
        Assert.Same(ImageKnowledge.Lookup("node:20"), ImageKnowledge.Lookup("docker.io/library/node:22"));
    }

    [Theory]
    [InlineData("root", true)]
    [InlineData("0", true)]
    [InlineData("000", true)]
    [InlineData("0:0", true)]
    [InlineData("root:grp", true)]
    [InlineData("0:1000", true)]
    [InlineData("ContainerAdministrator", true)]
    [InlineData("", true)]
    [InlineData("1000", false)]
    [InlineData("node", false)]
    [InlineData("65532:65532", false)]
    [InlineData("ContainerUser", false)]
    public void Root_user_spellings_are_recognised(string user, bool isRoot)
    {
        Assert.Equal(isRoot, BaseImageInfo.IsRootUser(user));
    }

    [Fact]
    public void Lookup_is_safe_from_many_threads()
    {
        var images = new[] { "node:20", "ubuntu:24.04", "gcr.io/distroless/static:nonroot", "myorg/app:alpine", "$X" };
        var results = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 2000, i => results.Add(ImageKnowledge.Lookup(images[i % images.Length]).Source));
        Assert.Equal(2000, results.Count);
        Assert.Equal(400, results.Count(s => s == "node"));
    }
}
