using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReviewBot.Analysis.Images;

/// <summary>Source-generated (reflection-free, AOT/trim safe) reader for images.json. Unknown fields are errors, so a typo in the data cannot be silently ignored.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ImageDataFile))]
internal sealed partial class ImageDataJsonContext : JsonSerializerContext;
