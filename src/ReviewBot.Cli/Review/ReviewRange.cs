namespace ReviewBot.Cli.Review;

/// <summary>
/// What a local review compares: <see cref="Head"/> against <see cref="Base"/>. The diff runs from their
/// merge-base (<c>BASE...HEAD</c>, as a pull request shows it); the config is read at <see cref="Base"/> itself.
/// </summary>
public sealed record ReviewRange(string Base, string BaseLabel, string Head, string HeadLabel);
