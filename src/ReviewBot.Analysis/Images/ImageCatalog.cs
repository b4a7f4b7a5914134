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
internal sealed partial class ImageCatalog
{
    private readonly ImmutableArray<(string From, string To)> _aliases;

    /// <summary>How many of the entries (by <see cref="CatalogEntry.Order"/>) are entries; the rest are guesses.</summary>
    private readonly int _entryCount;

    /// <summary>
    /// Entries and guesses by <see cref="CatalogEntry.Order"/>, each made by <see cref="_make"/> when first needed: a
    /// scan meets a handful of images, and making all ~170 entries at start-up allocated ~70 KB for the garbage
    /// collector to zero, fault in and copy.
    /// </summary>
    private readonly CatalogEntry?[] _made;
    private readonly Func<int, CatalogEntry> _make;

    /// <summary>Entry orders grouped by exact repository, each group in match order; <see cref="_repositoryRange"/> finds a repository's group.</summary>
    private readonly ImmutableArray<int> _byRepository;

    /// <summary>
    /// Where a repository's group lies in <see cref="_byRepository"/> ((0, 0): none). The built-in catalog answers with
    /// a compiled <c>switch</c>, so no table is hashed at start-up; a loaded one with a dictionary.
    /// </summary>
    private readonly Func<string, (int Start, int Length)> _repositoryRange;

    /// <summary>Name patterns in match order, with the order of their entry.</summary>
    private readonly ImmutableArray<(string Pattern, int Entry)> _byPattern;

    /// <summary>Each family's defaults, indexed by <see cref="DistroFamily"/>; null where the data file gives none.</summary>
    private readonly ImmutableArray<BaseImageInfo?> _families;

    /// <summary>
    /// Takes the data already resolved and indexed, in match order: <see cref="Load"/> builds them with
    /// <see cref="IndexByRepository"/> and <see cref="IndexByPattern"/>; the built-in catalog has them compiled in.
    /// </summary>
    private ImageCatalog(
        ImmutableArray<(string, string)> aliases,
        int entryCount,
        int guessCount,
        Func<int, CatalogEntry> make,
        ImmutableArray<BaseImageInfo?> families,
        ImmutableArray<string> problems,
        ImmutableArray<int> byRepository,
        Func<string, (int Start, int Length)> repositoryRange,
        ImmutableArray<(string Pattern, int Entry)> byPattern)
    {
        _families = families;
        _aliases = aliases;
        _entryCount = entryCount;
        _made = new CatalogEntry?[entryCount + guessCount];
        _make = make;
        DataProblems = problems;
        _byRepository = byRepository;
        _repositoryRange = repositoryRange;
        _byPattern = byPattern;
        // Checking every example resolves to its entry is for the data file's tests, not every scan's start-up.
        _problems = new Lazy<ImmutableArray<string>>(() => problems.AddRange(CheckExamples(Entries.AddRange(Guesses))));
    }

    /// <summary>
    /// Entries by exact repository: the orders of each repository's entries, those with a tag condition first, then in
    /// file order. Ranges index the flat list, in the order repositories first appear.
    /// </summary>
    internal static (ImmutableArray<int> Entries, ImmutableArray<(string Repository, int Start, int Length)> Ranges) IndexByRepository(ImmutableArray<CatalogEntry> entries)
    {
        var flat = ImmutableArray.CreateBuilder<int>();
        var ranges = ImmutableArray.CreateBuilder<(string, int, int)>();
        foreach (var group in entries
            .SelectMany(e => e.Repositories.Select(r => (Repository: r, Entry: e)))
            .GroupBy(x => x.Repository, StringComparer.Ordinal))
        {
            int start = flat.Count;
            flat.AddRange(group.Select(x => x.Entry).OrderBy(e => e.Tags.IsEmpty ? 1 : 0).ThenBy(e => e.Order).Select(e => e.Order));
            ranges.Add((group.Key, start, flat.Count - start));
        }

        return (flat.ToImmutable(), ranges.ToImmutable());
    }

    /// <summary>Every entry's patterns with the entry's order: more literal characters first, then with a tag condition, then in file order.</summary>
    internal static ImmutableArray<(string Pattern, int Entry)> IndexByPattern(ImmutableArray<CatalogEntry> entries) =>
    [.. entries
        .SelectMany(e => e.Patterns.Select(p => (Pattern: p, Entry: e)))
        .OrderByDescending(x => Glob.LiteralLength(x.Pattern))
        .ThenBy(x => x.Entry.Tags.IsEmpty ? 1 : 0)
        .ThenBy(x => x.Entry.Order)
        .Select(x => (x.Pattern, x.Entry.Order))];

    private readonly Lazy<ImmutableArray<string>> _problems;

    /// <summary>The family's defaults from the data file; <see cref="UnknownInfo"/> for Unknown or a family without defaults.</summary>
    public BaseImageInfo FamilyDefaults(DistroFamily family) =>
        (uint)family < (uint)_families.Length && _families[(int)family] is { } info ? info : UnknownInfo;

    /// <summary>The entry or guess of that <see cref="CatalogEntry.Order"/>, made on first use; always the same instance.</summary>
    private CatalogEntry Entry(int order)
    {
        if (Volatile.Read(ref _made[order]) is { } existing)
        {
            return existing;
        }

        // Two threads may both make it; the first one published wins, so an entry keeps one identity.
        var made = _make(order);
        return Interlocked.CompareExchange(ref _made[order], made, null) ?? made;
    }

    /// <summary>Entries (not guesses), in file order; makes every one (for the data's tests).</summary>
    public ImmutableArray<CatalogEntry> Entries => [.. Enumerable.Range(0, _entryCount).Select(Entry)];

    /// <summary>Guesses, in file order; makes every one (for the data's tests).</summary>
    public ImmutableArray<CatalogEntry> Guesses => [.. Enumerable.Range(_entryCount, _made.Length - _entryCount).Select(Entry)];

    /// <summary>Everything wrong with the data, one clear sentence each; empty when the file is well-formed.</summary>
    public ImmutableArray<string> Problems => _problems.Value;

    /// <summary>What resolving the data file found wrong (<see cref="Problems"/> adds the examples' check), for the generated catalog.</summary>
    internal ImmutableArray<string> DataProblems { get; }

    /// <summary>The data file's aliases, lower-cased, in file order.</summary>
    internal ImmutableArray<(string From, string To)> Aliases => _aliases;

    /// <summary>Each family's defaults, indexed by <see cref="DistroFamily"/>; null where the data file gives none.</summary>
    internal ImmutableArray<BaseImageInfo?> Families => _families;

    /// <summary>The orders of the entries an exact repository name matches, in match order.</summary>
    internal ReadOnlySpan<int> EntriesOf(string repository)
    {
        var (start, length) = _repositoryRange(repository);
        return _byRepository.AsSpan(start, length);
    }

    /// <summary>The name patterns in match order, with their entry's order (for the tests).</summary>
    internal ImmutableArray<(string Pattern, int Entry)> Patterns => _byPattern;

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
        foreach (var order in EntriesOf(name))
        {
            var entry = Entry(order);
            if (entry.TagMatches(tag))
            {
                return entry;
            }
        }

        foreach (var (pattern, order) in _byPattern)
        {
            if (Glob.IsMatch(pattern, name))
            {
                var entry = Entry(order);
                if (entry.TagMatches(tag))
                {
                    return entry;
                }
            }
        }

        for (int order = _entryCount; order < _made.Length; order++)
        {
            var guess = Entry(order);
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
        var families = new BaseImageInfo?[resolved.Families.IsEmpty ? 0 : (int)resolved.Families.Keys.Max() + 1];
        foreach (var (family, info) in resolved.Families)
        {
            families[(int)family] = info;
        }

        var (byRepository, ranges) = IndexByRepository(resolved.Entries);
        var rangeOf = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach (var (repository, start, length) in ranges)
        {
            rangeOf.Add(repository, (start, length));
        }

        // The resolver numbers entries, then guesses, from 0: an entry's order is its place in this list.
        var all = resolved.Entries.AddRange(resolved.Guesses);
        return new ImageCatalog(
            resolved.Aliases,
            resolved.Entries.Length,
            resolved.Guesses.Length,
            order => all[order],
            [.. families],
            resolved.Problems,
            byRepository,
            name => rangeOf.GetValueOrDefault(name),
            IndexByPattern(resolved.Entries));
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
