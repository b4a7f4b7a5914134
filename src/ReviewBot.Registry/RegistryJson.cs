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

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(ImageConfigDocument))]
[JsonSerializable(typeof(TokenDocument))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
