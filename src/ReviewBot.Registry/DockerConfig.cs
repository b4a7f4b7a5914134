using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace ReviewBot.Registry;

/// <summary>
/// Credentials from Docker's client config (<c>~/.docker/config.json</c>, or <c>$DOCKER_CONFIG/config.json</c>):
/// its <c>auths</c>, each <c>{"auth": base64("user:password")}</c> or <c>username</c>/<c>password</c>. Credential
/// helpers (<c>credsStore</c>, <c>credHelpers</c>) are not run.
/// </summary>
public static class DockerConfig
{
    /// <summary>The key Docker writes for Docker Hub.</summary>
    private const string DockerHubKey = "https://index.docker.io/v1/";

    /// <summary>The config file Docker reads: $DOCKER_CONFIG/config.json, else ~/.docker/config.json.</summary>
    public static string DefaultPath(Func<string, string?> environment) =>
        Path.Combine(environment("DOCKER_CONFIG") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"), "config.json");

    /// <summary>The credentials per registry host (Docker Hub as <c>docker.io</c>); what cannot be read is skipped.</summary>
    public static ImmutableDictionary<string, RegistryCredential> ParseAuths(string json)
    {
        var result = ImmutableDictionary.CreateBuilder<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
        {
            return result.ToImmutable();
        }

        foreach (var entry in auths.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            string? user = null, password = null;
            if (entry.Value.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.String)
            {
                try
                {
                    var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.GetString()!));
                    int colon = decoded.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
                    }
                }
                catch (FormatException)
                {
                    continue;
                }
            }
            else if (entry.Value.TryGetProperty("username", out var u) && entry.Value.TryGetProperty("password", out var p))
            {
                (user, password) = (u.GetString(), p.GetString());
            }

            if (user is not null && password is not null)
            {
                result[Host(entry.Name)] = new RegistryCredential(user, password);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>A key as Docker writes it (<c>https://ghcr.io</c>, <c>ghcr.io/v2/</c>, Docker Hub's v1 URL) as a host.</summary>
    private static string Host(string key)
    {
        if (string.Equals(key, DockerHubKey, StringComparison.OrdinalIgnoreCase) || key is "index.docker.io" or "registry-1.docker.io")
        {
            return Analysis.Images.ImageReference.DockerHubHost;
        }

        string host = key.Contains("://", StringComparison.Ordinal) ? key[(key.IndexOf("://", StringComparison.Ordinal) + 3)..] : key;
        int slash = host.IndexOf('/', StringComparison.Ordinal);
        return (slash < 0 ? host : host[..slash]).ToLowerInvariant();
    }
}
