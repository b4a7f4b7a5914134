namespace ReviewBot.Analysis.Images;

/// <summary>
/// What ReviewBot knows about base images, from the data file images.json (no per-image code).
/// Pure and thread-safe: the catalog is built once, lazily, and every result is immutable.
/// </summary>
public static class ImageKnowledge
{
    /// <summary>
    /// images.json compiled in as C# (ImageCatalog.Generated.cs), not parsed at run time: parsing, resolving and
    /// indexing it cost every `reviewbot` start ~6% of a corpus scan's CPU and ~0.5 MB of allocations.
    /// </summary>
    private static readonly Lazy<ImageCatalog> Catalog = new(ImageCatalog.BuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

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

    /// <summary>The defaults images.json gives a distro family (shell, user tools, users), running as root; Unknown gives the facts of an unknown image.</summary>
    public static BaseImageInfo FamilyDefaults(DistroFamily family) => Catalog.Value.FamilyDefaults(family);

    /// <summary>The family named as images.json names it (<c>debian</c>, <c>ubi-minimal</c> …), or null.</summary>
    public static DistroFamily? ParseFamily(string name) => ImageDataResolver.ParseFamily(name);

    /// <summary>Every family name images.json knows, as written in config.</summary>
    public static IReadOnlyList<string> FamilyNames => ImageDataResolver.FamilyNameList;

    internal static ImageCatalog Current => Catalog.Value;
}
