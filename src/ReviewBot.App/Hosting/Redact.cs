namespace ReviewBot.App.Hosting;

/// <summary>
/// What a record's ToString shows for a secret: whether it is set, never its value. Records print every
/// property by default, so options holding secrets write their own PrintMembers with this.
/// </summary>
public static class Redact
{
    public const string Set = "(set)";
    public const string NotSet = "(not set)";

    public static string Secret(string? value) => string.IsNullOrEmpty(value) ? NotSet : Set;
}
