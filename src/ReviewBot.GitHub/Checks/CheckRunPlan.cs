using System.Collections.Immutable;

namespace ReviewBot.GitHub.Checks;

/// <summary>How a completed check run ends (GitHub's <c>conclusion</c>).</summary>
public enum CheckConclusion
{
    Success,
    Neutral,
    Failure,
}

/// <summary>GitHub's annotation levels.</summary>
public enum AnnotationLevel
{
    Notice,
    Warning,
    Failure,
}

/// <summary>One check-run annotation: a line range of a file, always shown (unlike inline comments, not limited to the diff).</summary>
public sealed record CheckAnnotation(string Path, int StartLine, int EndLine, AnnotationLevel Level, string Title, string Message);

/// <summary>What the check run on the head commit says once the review is done.</summary>
public sealed record CheckRunPlan(CheckConclusion Conclusion, string Title, string Summary, ImmutableArray<CheckAnnotation> Annotations)
{
    /// <summary>The check's name: branch protection requires it by this exact name.</summary>
    public const string Name = "ReviewBot / non-root";

    /// <summary>The annotations in request-sized batches: the first goes with the create/complete call, the rest as updates.</summary>
    public IEnumerable<ImmutableArray<CheckAnnotation>> AnnotationBatches() => Annotations.Chunk(GitHubLimits.AnnotationsPerRequest).Select(ImmutableArray.Create);
}
