namespace ReviewBot.Analysis.Images;

/// <summary>
/// Case-insensitive glob matching for image names and tags: <c>?</c> is one character, <c>*</c> any run of
/// characters except <c>/</c>, <c>**</c> any run including <c>/</c>. Inputs are short (names are capped at 255
/// characters by <see cref="ImageReference"/>, tags at 128), so simple backtracking stays cheap.
/// </summary>
internal static class Glob
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        while (!pattern.IsEmpty)
        {
            if (pattern[0] == '*')
            {
                var crossesSlash = pattern.Length > 1 && pattern[1] == '*';
                var rest = pattern[(crossesSlash ? 2 : 1)..];
                for (var i = 0; i <= text.Length; i++)
                {
                    if (IsMatch(rest, text[i..]))
                    {
                        return true;
                    }

                    if (i < text.Length && text[i] == '/' && !crossesSlash)
                    {
                        return false;
                    }
                }

                return false;
            }

            if (text.IsEmpty)
            {
                return false;
            }

            var matches = pattern[0] == '?'
                ? text[0] != '/'
                : char.ToLowerInvariant(pattern[0]) == char.ToLowerInvariant(text[0]);
            if (!matches)
            {
                return false;
            }

            pattern = pattern[1..];
            text = text[1..];
        }

        return text.IsEmpty;
    }

    /// <summary>How many literal (non-wildcard) characters a pattern has: more means more specific.</summary>
    public static int LiteralLength(string pattern) => pattern.Count(c => c is not ('*' or '?'));
}
