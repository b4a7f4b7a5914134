using System.Collections.Immutable;

namespace ReviewBot.Analysis.Images;

/// <summary>One resolved entry (or guess) of images.json: how it matches, and the facts it gives.</summary>
internal sealed record CatalogEntry(
    string Id,
    int Order,
    ImmutableArray<string> Repositories,
    ImmutableArray<string> Patterns,
    ImmutableArray<TagCondition> Tags,
    ImmutableArray<string> Examples,
    BaseImageInfo Info)
{
    public bool NameMatches(string name)
    {
        foreach (var pattern in Patterns)
        {
            if (Glob.IsMatch(pattern, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the entry has no tag condition, or one of its alternatives holds for <paramref name="tag"/>.</summary>
    public bool TagMatches(string? tag)
    {
        if (Tags.IsEmpty)
        {
            return true;
        }

        if (tag is null)
        {
            return false;
        }

        foreach (var condition in Tags)
        {
            if (condition.IsMatch(tag))
            {
                return true;
            }
        }

        return false;
    }
}
