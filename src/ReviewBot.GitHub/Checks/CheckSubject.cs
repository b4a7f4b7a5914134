namespace ReviewBot.GitHub.Checks;

/// <summary>
/// What a check speaks of, in its words: a pull request's changed Dockerfiles (a review), or every Dockerfile of a
/// commit (the default branch's check, where "this pull request changes" would be wrong).
/// </summary>
/// <param name="Noun">"pull request" or "commit".</param>
/// <param name="Run">What ReviewBot does to it: "review" or "check".</param>
/// <param name="Has">The verb for its Dockerfiles: "changes" or "has".</param>
/// <param name="Changed">Before "Dockerfile" when the files are a diff's: "changed " or "".</param>
/// <param name="ConfigAt">Where its config is read: "at the base commit" (never by the branch's name) or "in this commit".</param>
public sealed record CheckSubject(string Noun, string Run, string Has, string Changed, string ConfigAt)
{
    public static CheckSubject PullRequest { get; } = new("pull request", "review", "changes", "changed ", "at the base commit");

    public static CheckSubject Commit { get; } = new("commit", "check", "has", "", "in this commit");
}
