using System.Text.Json.Serialization;

namespace ReviewBot.Registry;

// The parts of the OCI image spec (and Docker's v2 schema 2, the same shape) that ReviewBot reads.

internal sealed class ManifestDocument
{
    public string? MediaType { get; set; }
    public List<ManifestDescriptor>? Manifests { get; set; }
    public ManifestDescriptor? Config { get; set; }
}

internal sealed class ManifestDescriptor
{
    public string? MediaType { get; set; }
    public string? Digest { get; set; }
    public long Size { get; set; }
    public PlatformDocument? Platform { get; set; }
}

internal sealed class PlatformDocument
{
    public string? Os { get; set; }
    public string? Architecture { get; set; }
    public string? Variant { get; set; }
}

internal sealed class ImageConfigDocument
{
    public string? Os { get; set; }
    public string? Architecture { get; set; }
    public ContainerConfig? Config { get; set; }
}

internal sealed class ContainerConfig
{
    public string? User { get; set; }
    public List<string>? Env { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

internal sealed class TokenDocument
{
    public string? Token { get; set; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }
}

/// <summary>A <see cref="Analysis.Images.RegistryImageConfig"/> as a shared cache stores it.</summary>
internal sealed class StoredImageConfig
{
    public string User { get; set; } = "";
    public string Os { get; set; } = "";
    public List<string> Env { get; set; } = [];
    public string? BaseName { get; set; }
    public string? Digest { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(ImageConfigDocument))]
[JsonSerializable(typeof(TokenDocument))]
[JsonSerializable(typeof(StoredImageConfig))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;

/// <summary>How a shared store (the App's state store) writes and reads an image config: JSON, without reflection.</summary>
public static class RegistryImageConfigJson
{
    public static string Serialize(Analysis.Images.RegistryImageConfig config)
    {
        System.ArgumentNullException.ThrowIfNull(config);
        return System.Text.Json.JsonSerializer.Serialize(
            new StoredImageConfig { User = config.User, Os = config.Os, Env = [.. config.Env], BaseName = config.BaseName, Digest = config.Digest },
            RegistryJsonContext.Default.StoredImageConfig);
    }

    /// <summary>The config, or null when <paramref name="json"/> is not one (a store's row written by another version).</summary>
    public static Analysis.Images.RegistryImageConfig? Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(json, RegistryJsonContext.Default.StoredImageConfig) is { } stored
                ? new Analysis.Images.RegistryImageConfig(stored.User, stored.Os, [.. stored.Env], stored.BaseName, stored.Digest)
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
