namespace ReviewBot.GitHub.Checks;

/// <summary>
/// Links to a repository's files at one commit (<c>https://github.com/OWNER/REPO/blob/SHA/PATH#L6</c>), so a row of the
/// check's summary opens the line it names at the commit it judged. The path is the pull request author's: each of its
/// segments is percent-encoded (RFC 3986 unreserved characters only), so no character of it can end the link, split a
/// table cell or start markup.
/// </summary>
public sealed record SourceLinks(string WebUrl, string Owner, string Repo, string Sha)
{
    /// <summary>github.com; a GitHub Enterprise Server has its own.</summary>
    public const string DefaultWebUrl = "https://github.com/";

    public string Line(string path, int line) =>
        $"{WebUrl.TrimEnd('/')}/{Uri.EscapeDataString(Owner)}/{Uri.EscapeDataString(Repo)}/blob/{Uri.EscapeDataString(Sha)}/"
        + string.Join('/', path.Split('/').Select(Uri.EscapeDataString)) + (line > 0 ? $"#L{line}" : "");
}
