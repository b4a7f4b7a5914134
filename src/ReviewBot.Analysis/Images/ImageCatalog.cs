using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;

namespace ReviewBot.Analysis.Images;

/// <summary>
/// The image knowledge from images.json, resolved once into immutable <see cref="BaseImageInfo"/> values and an
/// index for matching. Matching order, most specific first: an exact repository with a tag condition, an exact
/// repository, a name pattern (more literal characters first, then with a tag condition), and last the guesses.
/// Within each step the data file's order decides. Problems in the data are collected in <see cref="Problems"/>
/// (a test keeps that list empty) instead of thrown, so a lookup never fails at run time.
/// </summary>
internal sealed class ImageCatalog
{
    private readonly ImmutableArray<(string From, string To)> _aliases;
    /// <summary>
    /// Entries by exact repository. A plain dictionary, not a frozen one: freezing analyses every key to speed up
    /// lookups, and a scan looks up each distinct image once (<see cref="_matches"/> remembers the rest), so the
    /// analysis cost every start-up more than it saved.
    /// </summary>
    private readonly Dictionary<string, ImmutableArray<CatalogEntry>> _byRepository;
    private readonly ImmutableArray<(string Pattern, CatalogEntry Entry)> _byPattern;
    private readonly ImmutableArray<CatalogEntry> _guesses;

    private ImageCatalog(
        ImmutableArray<(string, string)> aliases,
        ImmutableArray<CatalogEntry> entries,
        ImmutableArray<CatalogEntry> guesses,
        ImmutableDictionary<DistroFamily, BaseImageInfo> families,
        ImmutableArray<string> problems)
    {
        _families = families;
        _aliases = aliases;
        _guesses = guesses;
        Entries = entries;
        _byRepository = entries
            .SelectMany(e => e.Repositories.Select(r => (Repository: r, Entry: e)))
            .GroupBy(x => x.Repository, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.Select(x => x.Entry).OrderBy(e => e.Tags.IsEmpty ? 1 : 0).ThenBy(e => e.Order).ToImmutableArray(),
                StringComparer.Ordinal);
        _byPattern = [.. entries
            .SelectMany(e => e.Patterns.Select(p => (Pattern: p, Entry: e)))
            .OrderByDescending(x => Glob.LiteralLength(x.Pattern))
            .ThenBy(x => x.Entry.Tags.IsEmpty ? 1 : 0)
            .ThenBy(x => x.Entry.Order)];
        // Checking every example resolves to its entry is for the data file's tests, not every scan's start-up.
        _problems = new Lazy<ImmutableArray<string>>(() => problems.AddRange(CheckExamples(entries.AddRange(guesses))));
    }

    private readonly Lazy<ImmutableArray<string>> _problems;

    private readonly ImmutableDictionary<DistroFamily, BaseImageInfo> _families;

    /// <summary>The family's defaults from the data file; <see cref="UnknownInfo"/> for Unknown or a family without defaults.</summary>
    public BaseImageInfo FamilyDefaults(DistroFamily family) => _families.TryGetValue(family, out var info) ? info : UnknownInfo;

    /// <summary>Entries (not guesses), in file order.</summary>
    public ImmutableArray<CatalogEntry> Entries { get; }

    /// <summary>Guesses, in file order.</summary>
    public ImmutableArray<CatalogEntry> Guesses => _guesses;

    /// <summary>Everything wrong with the data, one clear sentence each; empty when the file is well-formed.</summary>
    public ImmutableArray<string> Problems => _problems.Value;

    /// <summary>The image's registry/repository with the data file's aliases applied (e.g. <c>amd64/alpine</c> → <c>alpine</c>).</summary>
    public string CanonicalName(ImageReference image)
    {
        var name = image.FullName;
        foreach (var (from, to) in _aliases)
        {
            // "ns/" renames a whole namespace or registry; "a/b" renames exactly one repository.
            if (from.EndsWith('/') ? name.StartsWith(from, StringComparison.Ordinal) && name.Length > from.Length : name == from)
            {
                return to + name[from.Length..];
            }
        }

        return name;
    }

    public BaseImageInfo Lookup(ImageReference image) => Match(image)?.Info ?? UnknownInfo;

    /// <summary>
    /// Images matched so far (null: nothing matched), by registry, repository and the tag matched against. A scan meets
    /// the same few images (debian, node, python …) file after file, and each match walked the aliases, the name
    /// patterns and the tag conditions again.
    /// </summary>
    private readonly ConcurrentDictionary<(string? Registry, string Repository, string? Tag), CatalogEntry?> _matches = new();

    /// <summary>How many images <see cref="_matches"/> keeps: far more than a scan meets, few enough that made-up names cannot grow it.</summary>
    /// <remarks>Counted approximately under concurrency (a race may keep a few more, never many).</remarks>
    internal const int MaxRememberedMatches = 4096;

    private int _rememberedMatches;

    /// <summary>How many matches are remembered (for the tests).</summary>
    internal int RememberedMatches => _matches.Count;

    /// <summary>The entry or guess an image resolves to, or null when nothing matches.</summary>
    public CatalogEntry? Match(ImageReference image)
    {
        // Docker pulls "latest" when no tag is given; with only a digest the tag is unknown.
        var tag = image.Tag ?? (image.Digest is null ? "latest" : null);
        var key = (image.Registry, image.Repository, tag);
        if (_matches.TryGetValue(key, out var remembered))
        {
            return remembered;
        }

        var entry = Match(CanonicalName(image), tag);
        // Counted apart: ConcurrentDictionary.Count takes every lock. Full (made-up names, most likely: the service
        // runs for months), it starts again rather than stop remembering the images real files use.
        if (Interlocked.Increment(ref _rememberedMatches) > MaxRememberedMatches)
        {
            _matches.Clear();
            Interlocked.Exchange(ref _rememberedMatches, 1);
        }

        _matches.TryAdd(key, entry);
        return entry;
    }

    private CatalogEntry? Match(string name, string? tag)
    {
        if (_byRepository.TryGetValue(name, out var exact))
        {
            foreach (var entry in exact)
            {
                if (entry.TagMatches(tag))
                {
                    return entry;
                }
            }
        }

        foreach (var (pattern, entry) in _byPattern)
        {
            if (Glob.IsMatch(pattern, name) && entry.TagMatches(tag))
            {
                return entry;
            }
        }

        foreach (var guess in _guesses)
        {
            if ((guess.Patterns.IsEmpty || guess.NameMatches(name)) && guess.TagMatches(tag))
            {
                return guess;
            }
        }

        return null;
    }

    public static BaseImageInfo UnknownInfo { get; } = new()
    {
        Family = DistroFamily.Unknown,
        DefaultUser = "root",
        HasShell = false,
        UserTools = UserTools.None,
        ShippedUsers = [],
        IsKnown = false,
        IsGuessed = false,
        Source = BaseImageInfo.UnknownSource,
        Note = "Nothing is known about this image; assume it runs as root and may have no shell, so a fix uses a numeric USER and no RUN.",
    };

    public static BaseImageInfo UnresolvedInfo(ImageReferenceError error) => UnknownInfo with
    {
        Source = BaseImageInfo.UnresolvedSource,
        Note = error == ImageReferenceError.Unresolved
            ? "The image name depends on a variable whose value is not known, so nothing is known about it; a fix uses a numeric USER and no RUN."
            : "The image reference is not valid, so nothing is known about it; a fix uses a numeric USER and no RUN.",
    };

    /// <summary>Reads images.json. Malformed JSON throws <see cref="InvalidDataException"/>; problems in well-formed JSON end up in <see cref="Problems"/>.</summary>
    public static ImageCatalog Load(Stream json)
    {
        ImageDataFile? data;
        try
        {
            data = JsonSerializer.Deserialize(json, ImageDataJsonContext.Default.ImageDataFile);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"images.json is not valid: {e.Message}", e);
        }

        if (data is null)
        {
            throw new InvalidDataException("images.json is empty.");
        }

        var resolved = ImageDataResolver.Resolve(data);
        return new ImageCatalog(resolved.Aliases, resolved.Entries, resolved.Guesses, resolved.Families, resolved.Problems);
    }

    private IEnumerable<string> CheckExamples(ImmutableArray<CatalogEntry> all)
    {
        foreach (var entry in all)
        {
            if (entry.Examples.IsEmpty)
            {
                yield return $"Entry '{entry.Id}' has no examples, so nothing shows it is reachable.";
            }

            foreach (var example in entry.Examples)
            {
                if (!ImageReference.TryParse(example, out var image))
                {
                    yield return $"Entry '{entry.Id}': example '{example}' is not a valid image reference.";
                    continue;
                }

                var matched = Match(image);
                if (!ReferenceEquals(matched, entry))
                {
                    yield return $"Entry '{entry.Id}': example '{example}' resolves to '{matched?.Id ?? "nothing"}' instead (unreachable or shadowed).";
                }
            }
        }
    }
}
