namespace ReviewBot.Analysis.Images;

// The shape of images.json. Field meanings are in the file's "schema" block; ImageDataResolver fills in what an
// entry leaves out. Properties are settable so the source-generated reader leaves absent fields at their defaults.

internal sealed class ImageDataFile
{
    public int Version { get; set; }
    public List<string>? Schema { get; set; }
    public List<AliasData> Aliases { get; set; } = [];
    public Dictionary<string, FamilyData> Families { get; set; } = [];
    public List<EntryData> Entries { get; set; } = [];
    public List<EntryData> Guesses { get; set; } = [];
}

internal sealed class AliasData
{
    public string From { get; set; } = "";
    public string To { get; set; } = "";
    public string? Note { get; set; }
}

internal sealed class FamilyData
{
    public bool? HasShell { get; set; }
    public string? UserTools { get; set; }
    public List<UserData>? Users { get; set; }
    public string? Note { get; set; }
}

internal sealed class UserData
{
    public string? Name { get; set; }
    public int? Uid { get; set; }
    public int? Gid { get; set; }
    public string? Expression { get; set; }
}

internal sealed class EntryData
{
    public string Id { get; set; } = "";
    public string? Extends { get; set; }
    public List<string>? Repositories { get; set; }
    public List<string>? Patterns { get; set; }
    public List<string>? Tags { get; set; }
    public string? Family { get; set; }
    public string? DefaultUser { get; set; }
    public bool? HasShell { get; set; }
    public string? UserTools { get; set; }
    public List<UserData>? Users { get; set; }
    public string? PreferredUser { get; set; }
    public bool? StepsDownAtRuntime { get; set; }
    public string? UnprivilegedVariant { get; set; }
    public string? NonRootHowTo { get; set; }
    public string? Note { get; set; }
    public List<string>? Examples { get; set; }
}
