using System.Collections.Immutable;
using System.Globalization;

namespace ReviewBot.Analysis.Images;

/// <summary>
/// Turns the raw data file into <see cref="CatalogEntry"/> values: a fact an entry leaves out comes from the entry
/// it <c>extends</c> (recursively), then from its family's defaults; the family's users are added to the entry's.
/// Matching fields (repositories, patterns, tags) and examples are never inherited.
/// Every inconsistency becomes a problem sentence instead of an exception.
/// </summary>
internal static class ImageDataResolver
{
    public sealed record Resolved(
        ImmutableArray<(string From, string To)> Aliases,
        ImmutableArray<CatalogEntry> Entries,
        ImmutableArray<CatalogEntry> Guesses,
        ImmutableDictionary<DistroFamily, BaseImageInfo> Families,
        ImmutableArray<string> Problems);

    /// <summary>The data-file spelling of each family (see <see cref="FamilyName"/>).</summary>
    private static readonly Dictionary<string, DistroFamily> FamilyNames = Enum.GetValues<DistroFamily>()
        .Where(f => f != DistroFamily.Unknown)
        .ToDictionary(FamilyName, StringComparer.Ordinal);

    public static IReadOnlyList<string> FamilyNameList { get; } = [.. FamilyNames.Keys.Order(StringComparer.Ordinal)];

    public static DistroFamily? ParseFamily(string name) =>
        FamilyNames.TryGetValue(name.Trim().ToLowerInvariant(), out var family) ? family : null;

    /// <summary>The enum name in lower case (<c>AmazonLinux</c> → <c>amazonlinux</c>), except the ubi variants, which keep Red Hat's dash (<c>ubi-minimal</c>).</summary>
    public static string FamilyName(DistroFamily family) => family switch
    {
        DistroFamily.UbiMinimal => "ubi-minimal",
        DistroFamily.UbiMicro => "ubi-micro",
        _ => family.ToString().ToLowerInvariant(),
    };

    public static Resolved Resolve(ImageDataFile data)
    {
        var problems = new List<string>();
        if (data.Version != 1)
        {
            problems.Add($"images.json has version {data.Version}; this code reads version 1.");
        }

        var aliases = data.Aliases
            .Select(a => (From: a.From.ToLowerInvariant(), To: a.To.ToLowerInvariant()))
            .ToImmutableArray();
        foreach (var alias in aliases.Where(a => a.From.Length == 0))
        {
            problems.Add($"An alias has an empty 'from' (to '{alias.To}').");
        }

        foreach (var (name, family) in data.Families)
        {
            if (!FamilyNames.ContainsKey(name))
            {
                problems.Add($"Family '{name}' is not a known family ({string.Join(", ", FamilyNames.Keys)}).");
            }

            if (family.HasShell is null || family.UserTools is null)
            {
                problems.Add($"Family '{name}' must give both hasShell and userTools.");
            }
        }

        var raw = new Dictionary<string, EntryData>(StringComparer.Ordinal);
        foreach (var entry in data.Entries.Concat(data.Guesses))
        {
            if (string.IsNullOrWhiteSpace(entry.Id))
            {
                problems.Add("An entry has no id.");
            }
            else if (!raw.TryAdd(entry.Id, entry))
            {
                problems.Add($"Entry id '{entry.Id}' is used twice.");
            }
        }

        var order = 0;
        var entries = data.Entries.Select(e => Build(e, order++, isGuess: false, raw, data.Families, problems)).ToImmutableArray();
        var guesses = data.Guesses.Select(e => Build(e, order++, isGuess: true, raw, data.Families, problems)).ToImmutableArray();
        var familyDefaults = data.Families
            .Where(f => FamilyNames.ContainsKey(f.Key))
            .ToImmutableDictionary(f => FamilyNames[f.Key], f => FamilyInfo(f.Key, f.Value, problems));
        return new Resolved(aliases, entries, guesses, familyDefaults, [.. problems]);
    }

    /// <summary>A family's own defaults as facts: what an image declared (or read) to be of that family has.</summary>
    private static BaseImageInfo FamilyInfo(string name, FamilyData data, List<string> problems)
    {
        var users = ImmutableArray.CreateBuilder<ShippedUser>();
        foreach (var user in data.Users ?? [])
        {
            if (ToShippedUser(user, "family " + name, problems) is { } shipped)
            {
                users.Add(shipped);
            }
        }

        return new BaseImageInfo
        {
            Family = FamilyNames[name],
            DefaultUser = "root",
            HasShell = data.HasShell ?? false,
            UserTools = ParseUserTools(data.UserTools ?? "none"),
            ShippedUsers = users.ToImmutable(),
            IsKnown = false,
            IsGuessed = false,
            Source = "family " + name,
            Note = data.Note ?? "",
        };
    }

    private static CatalogEntry Build(
        EntryData entry,
        int order,
        bool isGuess,
        Dictionary<string, EntryData> raw,
        Dictionary<string, FamilyData> families,
        List<string> problems)
    {
        var chain = Chain(entry, raw, problems);
        // Loops, not Select and FirstOrDefault: every scan's start-up resolves a dozen facts of every entry, and each made
        // an iterator and a closure.
        T? Inherit<T>(Func<EntryData, T?> field) where T : class
        {
            foreach (var link in chain)
            {
                if (field(link) is { } value)
                {
                    return value;
                }
            }

            return null;
        }

        T? InheritValue<T>(Func<EntryData, T?> field) where T : struct
        {
            foreach (var link in chain)
            {
                if (field(link) is { } value)
                {
                    return value;
                }
            }

            return null;
        }

        var id = entry.Id;
        // How an entry matches is its own: extends shares facts, never repositories, patterns or tags.
        var repositories = (entry.Repositories ?? []).Select(r => r.ToLowerInvariant()).ToImmutableArray();
        var patterns = (entry.Patterns ?? []).Select(p => p.ToLowerInvariant()).ToImmutableArray();
        if (!isGuess && repositories.IsEmpty && patterns.IsEmpty)
        {
            problems.Add($"Entry '{id}' has neither repositories nor patterns, so it matches nothing.");
        }

        if (isGuess && !repositories.IsEmpty)
        {
            problems.Add($"Guess '{id}' has repositories; a repository named exactly is an entry, not a guess.");
        }

        if (isGuess && patterns.IsEmpty && entry.Tags is null)
        {
            problems.Add($"Guess '{id}' has neither patterns nor tags, so it would match every image.");
        }

        var tags = ImmutableArray.CreateBuilder<TagCondition>();
        foreach (var text in entry.Tags ?? [])
        {
            if (TagCondition.TryParse(text) is { } condition)
            {
                tags.Add(condition);
            }
            else
            {
                problems.Add($"Entry '{id}': tag condition '{text}' is not valid (globs and >=, <=, >, <, = followed by a dotted number).");
            }
        }

        var familyText = Inherit(e => e.Family);
        var family = DistroFamily.Unknown;
        if (familyText is null)
        {
            problems.Add($"Entry '{id}' has no family.");
        }
        else if (!FamilyNames.TryGetValue(familyText, out family))
        {
            problems.Add($"Entry '{id}': family '{familyText}' is not a known family ({string.Join(", ", FamilyNames.Keys)}).");
        }

        var familyData = familyText is not null && families.TryGetValue(familyText, out var f) ? f : null;
        if (familyText is not null && familyData is null && FamilyNames.ContainsKey(familyText))
        {
            problems.Add($"Entry '{id}': family '{familyText}' has no defaults in 'families'.");
        }

        var userToolsText = Inherit(e => e.UserTools) ?? familyData?.UserTools ?? "none";
        var userTools = ParseUserTools(userToolsText);
        if (userToolsText is not ("shadow" or "busybox" or "none"))
        {
            problems.Add($"Entry '{id}': userTools '{userToolsText}' is not one of shadow, busybox, none.");
        }

        var users = ImmutableArray.CreateBuilder<ShippedUser>();
        foreach (var user in (Inherit(e => e.Users) ?? []).Concat(familyData?.Users ?? []))
        {
            var shipped = ToShippedUser(user, id, problems);
            if (shipped is not null && FindUser(users, shipped.Name) is null)
            {
                users.Add(shipped);
            }
        }

        var preferredName = Inherit(e => e.PreferredUser);
        var preferred = preferredName is null ? null : FindUser(users, preferredName);

        if (preferredName is not null && preferred is null)
        {
            problems.Add($"Entry '{id}': preferredUser '{preferredName}' is not one of its users.");
        }

        var defaultUser = Inherit(e => e.DefaultUser) ?? "root";
        if (defaultUser.Length == 0)
        {
            problems.Add($"Entry '{id}': defaultUser is empty; write \"root\".");
        }

        var hasShell = InheritValue(e => e.HasShell) ?? familyData?.HasShell ?? false;
        if (userTools != UserTools.None && !hasShell)
        {
            problems.Add($"Entry '{id}' has user tools but no shell: a fix could not run them.");
        }

        var info = new BaseImageInfo
        {
            Family = family,
            DefaultUser = defaultUser,
            HasShell = hasShell,
            UserTools = userTools,
            ShippedUsers = users.ToImmutable(),
            PreferredUser = preferred,
            StepsDownAtRuntime = InheritValue(e => e.StepsDownAtRuntime) ?? false,
            UnprivilegedVariant = Inherit(e => e.UnprivilegedVariant),
            NonRootHowTo = Inherit(e => e.NonRootHowTo),
            IsKnown = !isGuess,
            IsGuessed = isGuess,
            Source = id,
            Note = Inherit(e => e.Note) ?? familyData?.Note ?? "",
        };
        return new CatalogEntry(id, order, repositories, patterns, tags.ToImmutable(), [.. entry.Examples ?? []], info);
    }

    private static UserTools ParseUserTools(string text) => text switch
    {
        "shadow" => UserTools.Shadow,
        "busybox" => UserTools.BusyBox,
        _ => UserTools.None,
    };

    /// <summary>The user named <paramref name="name"/>, or null. Indexed: the builder's enumerator is an allocated iterator.</summary>
    private static ShippedUser? FindUser(ImmutableArray<ShippedUser>.Builder users, string name)
    {
        for (int i = 0; i < users.Count; i++)
        {
            if (users[i].Name == name)
            {
                return users[i];
            }
        }

        return null;
    }

    /// <summary>The entry followed by the entries it extends, nearest first; a missing target or a cycle is a problem.</summary>
    private static List<EntryData> Chain(EntryData entry, Dictionary<string, EntryData> raw, List<string> problems)
    {
        var chain = new List<EntryData> { entry };
        var current = entry;
        while (current.Extends is { } parent)
        {
            if (!raw.TryGetValue(parent, out var next))
            {
                problems.Add($"Entry '{current.Id}' extends '{parent}', which does not exist.");
                break;
            }

            if (chain.Contains(next))
            {
                problems.Add($"Entry '{entry.Id}' extends itself through '{parent}'.");
                break;
            }

            chain.Add(next);
            current = next;
        }

        return chain;
    }

    private static ShippedUser? ToShippedUser(UserData user, string id, List<string> problems)
    {
        var name = user.Name ?? user.Uid?.ToString(CultureInfo.InvariantCulture);
        if (string.IsNullOrEmpty(name))
        {
            problems.Add($"Entry '{id}' has a user with neither name nor uid.");
            return null;
        }

        if (user.Uid is < 0 || user.Gid is < 0)
        {
            problems.Add($"Entry '{id}': user '{name}' has a negative uid or gid.");
        }

        return new ShippedUser(name, user.Uid, user.Gid, user.Expression);
    }
}
