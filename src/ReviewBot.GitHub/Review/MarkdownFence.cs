namespace ReviewBot.GitHub.Review;

/// <summary>Code fences that cannot be closed early by the text inside them.</summary>
public static class MarkdownFence
{
    /// <summary>A backtick fence longer than any backtick run in <paramref name="content"/>, and at least three long.</summary>
    public static string For(string content)
    {
        int longest = 0, run = 0;
        foreach (var c in content)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return new string('`', Math.Max(3, longest + 1));
    }

    /// <summary>A fenced block: <paramref name="info"/> is the info string (suggestion, diff, dockerfile).</summary>
    public static string Block(string info, string content)
    {
        var fence = For(content);
        var body = content.Length == 0 || content.EndsWith('\n') ? content : content + "\n";
        return $"{fence}{info}\n{body}{fence}\n";
    }
}
