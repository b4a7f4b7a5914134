using System.Collections.Immutable;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Checks;
using ReviewBot.Configuration;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Tests.Api;

/// <summary>Small review plans for the client's tests, with real fingerprint markers in their bodies.</summary>
internal static class TestPlans
{
    public const string InlineFingerprint = "0123456789abcdef0123";
    public const string FileFingerprint = "fedcba9876543210fedc";

    public static CheckRunPlan Check(int annotations = 1) =>
        new(CheckConclusion.Failure, "1 problem", "Summary", [.. Enumerable.Range(1, annotations).Select(i => new CheckAnnotation("Dockerfile", i, i, AnnotationLevel.Failure, "RB001", "runs as root"))]);

    public static ReviewPlan WithInlineComment() => new(
        ReviewEvent.Comment,
        "ReviewBot found 1 problem.",
        [new InlineComment("Dockerfile", null, 6, "Runs as root.\n" + Fingerprint.Marker(InlineFingerprint), InlineFingerprint, "RB001", Severity.Error, "runs as root")],
        [],
        [],
        Check(),
        [InlineFingerprint]);

    public static ReviewPlan WithFileCommentOnly() => new(
        ReviewEvent.Comment,
        "ReviewBot found 1 problem outside the diff.",
        [],
        [],
        [new FileComment("Dockerfile", "**line 1**: runs as root\n" + Fingerprint.Marker(FileFingerprint), [FileFingerprint])],
        Check(),
        [FileFingerprint]);
}
