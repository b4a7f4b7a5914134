namespace ReviewBot.GitHub.Diff;

/// <summary>
/// One hunk of a unified diff, seen from the RIGHT (new) side: the new-file lines
/// <see cref="NewStart"/>..<see cref="NewEnd"/> are all in the diff (added or context), so a review
/// comment may sit on any of them. A hunk that only deletes has <see cref="NewCount"/> 0 and no such lines.
/// </summary>
public sealed record DiffHunk(int OldStart, int OldCount, int NewStart, int NewCount)
{
    /// <summary>Last new-side line of the hunk (inclusive); less than <see cref="NewStart"/> when the hunk has none.</summary>
    public int NewEnd => NewStart + NewCount - 1;

    /// <summary>Whether new-side line <paramref name="line"/> is in this hunk.</summary>
    public bool ContainsNewLine(int line) => NewCount > 0 && line >= NewStart && line <= NewEnd;
}
