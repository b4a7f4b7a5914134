using ReviewBot.Analysis.Images;

namespace ReviewBot.Analysis.Tests.Images;

public class ImageReferenceTests
{
    [Fact]
    public void Official_image_on_docker_hub_loses_registry_and_library_prefix()
    {
        Assert.True(ImageReference.TryParse("docker.io/library/node:20-alpine@sha256:" + new string('a', 64), out var image));
        Assert.Null(image.Registry);
        Assert.Equal("node", image.Repository);
        Assert.Equal("20-alpine", image.Tag);
        Assert.Equal("sha256:" + new string('a', 64), image.Digest);
    }

    [Theory]
    [InlineData("index.docker.io/library/ubuntu:22.04")]
    [InlineData("registry-1.docker.io/library/ubuntu:22.04")]
    [InlineData("library/ubuntu:22.04")]
    [InlineData("ubuntu:22.04")]
    [InlineData("  ubuntu:22.04  ")]
    public void Every_spelling_of_an_official_image_is_the_same_reference(string text)
    {
        Assert.True(ImageReference.TryParse(text, out var image));
        Assert.Equal(ImageReference.TryParse("ubuntu:22.04", out var plain) ? plain : null, image);
        Assert.Equal("ubuntu:22.04", image.ToString());
    }

    [Fact]
    public void Docker_hub_user_image_keeps_its_namespace()
    {
        Assert.True(ImageReference.TryParse("docker.io/bitnami/redis:7.2", out var image));
        Assert.Null(image.Registry);
        Assert.Equal("bitnami/redis", image.Repository);
    }

    [Fact]
    public void Library_prefix_stays_on_other_registries_and_deeper_paths()
    {
        Assert.True(ImageReference.TryParse("mirror.gcr.io/library/ubuntu", out var mirrored));
        Assert.Equal("library/ubuntu", mirrored.Repository);
        Assert.True(ImageReference.TryParse("library/team/app", out var deep));
        Assert.Equal("library/team/app", deep.Repository);
    }

    [Fact]
    public void Registry_with_port_is_a_registry_not_a_tag()
    {
        Assert.True(ImageReference.TryParse("localhost:5000/x/y:tag", out var image));
        Assert.Equal("localhost:5000", image.Registry);
        Assert.Equal("x/y", image.Repository);
        Assert.Equal("tag", image.Tag);
    }

    [Fact]
    public void Registry_with_port_and_no_tag_has_null_tag()
    {
        Assert.True(ImageReference.TryParse("registry.example.com:443/team/app", out var image));
        Assert.Equal("registry.example.com:443", image.Registry);
        Assert.Equal("team/app", image.Repository);
        Assert.Null(image.Tag);
    }

    [Fact]
    public void Localhost_without_port_is_a_registry()
    {
        Assert.True(ImageReference.TryParse("localhost/app", out var image));
        Assert.Equal("localhost", image.Registry);
        Assert.Equal("app", image.Repository);
    }

    [Fact]
    public void Mcr_image_with_long_tag_parses()
    {
        Assert.True(ImageReference.TryParse("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled", out var image));
        Assert.Equal("mcr.microsoft.com", image.Registry);
        Assert.Equal("dotnet/aspnet", image.Repository);
        Assert.Equal("8.0-jammy-chiseled", image.Tag);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet", image.FullName);
    }

    [Fact]
    public void Missing_tag_is_null_and_digest_alone_is_kept()
    {
        Assert.True(ImageReference.TryParse("ubuntu", out var bare));
        Assert.Null(bare.Tag);
        Assert.Null(bare.Digest);
        Assert.True(ImageReference.TryParse("ubuntu@sha256:" + new string('0', 64), out var pinned));
        Assert.Null(pinned.Tag);
        Assert.NotNull(pinned.Digest);
    }

    [Fact]
    public void Uppercase_names_are_lower_cased_but_the_tag_keeps_its_case()
    {
        Assert.True(ImageReference.TryParse("MCR.Microsoft.com/DotNet/ASPNET:8.0-Jammy", out var image));
        Assert.Equal("mcr.microsoft.com", image.Registry);
        Assert.Equal("dotnet/aspnet", image.Repository);
        Assert.Equal("8.0-Jammy", image.Tag);
    }

    [Fact]
    public void Scratch_is_recognised()
    {
        Assert.True(ImageReference.TryParse("scratch", out var image));
        Assert.Null(image.Registry);
        Assert.Equal("scratch", image.Repository);
        Assert.True(ImageReference.TryParse("example.com/scratch", out var other));
        Assert.Equal("example.com", other.Registry);
    }

    [Theory]
    [InlineData("$IMAGE")]
    [InlineData("${BASE_IMAGE}:latest")]
    [InlineData("node:${NODE_VERSION}-alpine")]
    [InlineData("$REPO:9.0.19-alpine3.24-amd64")]
    public void Text_with_an_unresolved_variable_is_not_resolvable(string text)
    {
        Assert.False(ImageReference.TryParse(text, out var image, out var error));
        Assert.Null(image);
        Assert.Equal(ImageReferenceError.Unresolved, error);
    }

    [Theory]
    [InlineData(null, ImageReferenceError.Empty)]
    [InlineData("", ImageReferenceError.Empty)]
    [InlineData("   ", ImageReferenceError.Empty)]
    [InlineData("node:", ImageReferenceError.Invalid)]
    [InlineData("node:-bad", ImageReferenceError.Invalid)]
    [InlineData("node@sha256:abc", ImageReferenceError.Invalid)]
    [InlineData("node@", ImageReferenceError.Invalid)]
    [InlineData("debian:%%SUITE%%", ImageReferenceError.Invalid)]
    [InlineData("oraclelinux:{{", ImageReferenceError.Invalid)]
    [InlineData("a//b", ImageReferenceError.Invalid)]
    [InlineData("/node", ImageReferenceError.Invalid)]
    [InlineData("node/", ImageReferenceError.Invalid)]
    [InlineData("-node", ImageReferenceError.Invalid)]
    [InlineData("no..de", ImageReferenceError.Invalid)]
    [InlineData("node image", ImageReferenceError.Invalid)]
    [InlineData("example.com:port/app", ImageReferenceError.Invalid)]
    [InlineData("example.com:123456/app", ImageReferenceError.Invalid)]
    [InlineData("-example.com/app", ImageReferenceError.Invalid)]
    public void Bad_text_fails_with_a_reason_and_never_throws(string? text, ImageReferenceError expected)
    {
        Assert.False(ImageReference.TryParse(text, out var image, out var error));
        Assert.Null(image);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Names_longer_than_docker_allows_are_invalid()
    {
        Assert.True(ImageReference.TryParse(new string('a', 255), out _));
        Assert.False(ImageReference.TryParse(new string('a', 256), out _));
        Assert.False(ImageReference.TryParse("node:" + new string('t', 129), out _));
    }

    [Theory]
    [InlineData("a_b", "a_b")]
    [InlineData("a__b/c-d", "a__b/c-d")]
    [InlineData("a---b", "a---b")]
    [InlineData("a.b/c", "a.b/c")] // first component with a dot is a registry
    public void Separators_allowed_by_the_reference_grammar_parse(string text, string fullName)
    {
        Assert.True(ImageReference.TryParse(text, out var image));
        Assert.Equal(fullName, image.FullName);
    }
}
