namespace ReviewBot.Analysis.Images;

/// <summary>
/// What ReviewBot knows about base images, from the embedded data file images.json (no per-image code).
/// Pure and thread-safe: the file is parsed once, lazily, and every result is immutable.
/// </summary>
public static class ImageKnowledge
{
    /// <summary>The embedded resource's logical name, set in the project file.</summary>
    private const string ResourceName = "ReviewBot.Analysis.images.json";

    private static readonly Lazy<ImageCatalog> Catalog = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The facts about <paramref name="image"/>: a matching entry, else a guess from its tag, else Unknown.</summary>
    public static BaseImageInfo Lookup(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Catalog.Value.Lookup(image);
    }

    /// <summary>Parses <paramref name="imageText"/> (a <c>FROM</c> image) and looks it up; text that does not parse or holds an unresolved variable gives Unknown with source <see cref="BaseImageInfo.UnresolvedSource"/>.</summary>
    public static BaseImageInfo Lookup(string? imageText)
        => ImageReference.TryParse(imageText, out var image, out var error)
            ? Catalog.Value.Lookup(image)
            : ImageCatalog.UnresolvedInfo(error);

    internal static ImageCatalog Current => Catalog.Value;

    private static ImageCatalog LoadEmbedded()
    {
        using var stream = typeof(ImageKnowledge).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from ReviewBot.Analysis.");
        return ImageCatalog.Load(stream);
    }
}
