using System.Text;

namespace ReviewBot.Registry.Tests;

public class DockerConfigTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Auths_give_credentials_per_host_with_docker_hub_as_docker_io()
    {
        var json = $$"""
            { "auths": {
                "https://index.docker.io/v1/": { "auth": "{{B64("hub:secret")}}" },
                "https://ghcr.io": { "auth": "{{B64("me:p:a:ss")}}" },
                "registry.acme.io:5000/v2/": { "username": "acme", "password": "pw" },
                "broken.io": { "auth": "%%%" }
              },
              "credsStore": "desktop" }
            """;

        var credentials = DockerConfig.ParseAuths(json);

        Assert.Equal(new RegistryCredential("hub", "secret"), credentials["docker.io"]);
        Assert.Equal(new RegistryCredential("me", "p:a:ss"), credentials["ghcr.io"]);
        Assert.Equal(new RegistryCredential("acme", "pw"), credentials["registry.acme.io:5000"]);
        Assert.False(credentials.ContainsKey("broken.io"));
        Assert.DoesNotContain("secret", credentials["docker.io"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Challenges_are_read_with_quoted_commas()
    {
        var parameters = RegistryClient.ParseChallenge("realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/a:pull,push\"");

        Assert.Equal("https://auth.docker.io/token", parameters["realm"]);
        Assert.Equal("registry.docker.io", parameters["service"]);
        Assert.Equal("repository:library/a:pull,push", parameters["scope"]);
    }

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("140.82.112.3", false)]
    [InlineData("2606:4700::1111", false)]
    public void Private_loopback_and_link_local_addresses_are_forbidden(string address, bool forbidden)
    {
        Assert.Equal(forbidden, AddressPolicy.IsForbidden(System.Net.IPAddress.Parse(address)));
    }
}
