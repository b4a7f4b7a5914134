namespace ReviewBot.Cli.Review;

/// <summary>One file changed between two commits, as <c>git diff --name-status</c> reports it; <see cref="PreviousPath"/> is set for a rename.</summary>
public sealed record ChangedPath(char Status, string Path, string? PreviousPath);
