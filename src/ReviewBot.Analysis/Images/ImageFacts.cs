using System.Collections.Immutable;
using System.Globalization;
using ReviewBot.Analysis.Fixes;

namespace ReviewBot.Analysis.Images;

/// <summary>
/// The facts about base images the engine receives from outside, resolved before analysis: the organisation's
/// declared <c>images:</c> and the image configs read from registries. Lookup order (DESIGN: facts, not guesses):
/// a declaration, then a registry config, then images.json; what none of them knows stays unknown.
/// Immutable and pure: the engine never asks a registry itself.
/// </summary>
public sealed record ImageFacts
{
    public static ImageFacts None { get; } = new();

    /// <summary>The organisation's declarations, first match wins.</summary>
    public ImmutableArray<ImageDeclaration> Declarations { get; init; } = [];

    /// <summary>Registry configs by <see cref="Key"/> of the image as written in FROM.</summary>
    public ImmutableDictionary<string, RegistryImageConfig> Resolved { get; init; } = ImmutableDictionary<string, RegistryImageConfig>.Empty;

    /// <summary>Source of facts from the config's <c>images:</c>.</summary>
    public const string DeclaredSource = "images:";

    /// <summary>Source of facts read from the image's registry.</summary>
    public const string RegistrySource = "registry";

    public bool IsEmpty => Declarations.IsEmpty && Resolved.IsEmpty;

    /// <summary>The key of <see cref="Resolved"/>: the normalised reference, tag and digest included.</summary>
    public static string Key(ImageReference image) => image.ToString();

    /// <summary>The facts about <paramref name="image"/>: declared, else resolved, else images.json.</summary>
    public BaseImageInfo Lookup(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (IsEmpty)
        {
            return ImageKnowledge.Lookup(image);
        }

        foreach (var declaration in Declarations)
        {
            if (declaration.IsMatch(image))
            {
                return FromDeclaration(declaration);
            }
        }

        return Resolved.TryGetValue(Key(image), out var config)
            ? FromRegistry(image, config)
            : ImageKnowledge.Lookup(image);
    }

    private static BaseImageInfo FromDeclaration(ImageDeclaration declaration)
    {
        var family = ImageKnowledge.FamilyDefaults(declaration.Family);
        return WithUser(family, declaration.User, declaration.Family == DistroFamily.Windows) with
        {
            Source = DeclaredSource + " " + declaration.Match,
            Note = $"Declared in the config's images: ({declaration.Match}).",
        };
    }

    private static BaseImageInfo FromRegistry(ImageReference image, RegistryImageConfig config)
    {
        // The distro comes from the image the registry says it was built on, else from images.json's entry (or
        // guess) for the image itself; the user is always the registry's.
        BaseImageInfo? family = null;
        if (config.IsWindows)
        {
            family = ImageKnowledge.FamilyDefaults(DistroFamily.Windows);
        }
        else if (config.BaseName is { } baseName && ImageReference.TryParse(baseName, out var baseImage)
                 && ImageKnowledge.Lookup(baseImage) is { Family: not DistroFamily.Unknown } baseInfo)
        {
            family = baseInfo;
        }
        else if (ImageKnowledge.Lookup(image) is { Family: not DistroFamily.Unknown } own)
        {
            family = own;
        }

        var info = WithUser(family ?? ImageKnowledge.FamilyDefaults(DistroFamily.Unknown), config.User, config.IsWindows);
        var env = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var pair in config.Env)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                env[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        return info with
        {
            Env = env.ToImmutable(),
            Source = RegistrySource,
            Note = $"Read from the image's config on its registry{(config.Digest is null ? "" : $" ({config.Digest})")}.",
        };
    }

    /// <summary>
    /// The family's facts with <paramref name="user"/> as the default user: empty means root (ContainerAdministrator
    /// on Windows); a non-root user becomes a shipped user a fix can switch back to.
    /// </summary>
    private static BaseImageInfo WithUser(BaseImageInfo family, string user, bool windows)
    {
        string written = user.Trim();
        string defaultUser = written.Length == 0 ? (windows ? "ContainerAdministrator" : "root") : written;
        var shipped = family.ShippedUsers;
        ShippedUser? preferred = family.PreferredUser;
        // A registry's config is the image author's text: only a plain user or uid:gid may reach a suggested USER line.
        if (!BaseImageInfo.IsRootUser(defaultUser) && SafeText.IsValidSpec(defaultUser))
        {
            int colon = defaultUser.IndexOf(':', StringComparison.Ordinal);
            string name = colon < 0 ? defaultUser : defaultUser[..colon];
            int? uid = int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? u : null;
            int? gid = colon >= 0 && int.TryParse(defaultUser[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : uid;
            preferred = shipped.FirstOrDefault(s => s.Name == name) ?? new ShippedUser(name, uid, gid);
            if (!shipped.Contains(preferred))
            {
                shipped = shipped.Add(preferred);
            }
        }

        return family with
        {
            DefaultUser = defaultUser,
            ShippedUsers = shipped,
            PreferredUser = preferred,
            IsKnown = true,
            IsGuessed = false,
            // Only the image's default user is known, not every line of its /etc/passwd.
            KnowsAllUsers = false,
            StepsDownAtRuntime = false,
            UnprivilegedVariant = null,
            NonRootHowTo = null,
        };
    }
}
