namespace ReviewBot.Cli.Review;

/// <summary>Git could not do what the review needs (not a repository, an unknown ref, git missing); the command exits 2 with the message.</summary>
public sealed class GitException(string message) : Exception(message);
