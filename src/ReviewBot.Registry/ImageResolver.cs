using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.Http;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Registry;

/// <summary>What resolving a review's base images gave: facts for the engine, and a notice per image that fell back.</summary>
public sealed record ImageResolution(ImageFacts Facts, ImmutableArray<string> Notices, int Requested, int Resolved, TimeSpan Elapsed);

/// <summary>
/// The one home of "read what the base images of these Dockerfiles run as from their registries", which the App and
/// the CLI both call. Bounded: at most <see cref="RegistryOptions.MaxImagesPerReview"/> images, each within
/// <see cref="RegistryOptions.PerImageTimeout"/>, all within <see cref="RegistryOptions.PerReviewTimeout"/>. It never
/// fails: an image that cannot be read keeps what is known about it today, and a notice names it and says why.
/// </summary>
public sealed class ImageResolver(RegistryClient client, RegistryOptions options, IImageConfigCache cache)
{
    /// <summary>Only an image's digest pins it for good; a tag's answer is kept for <see cref="RegistryOptions.TagTtl"/>.</summary>
    private static readonly TimeSpan DigestTtl = TimeSpan.FromDays(7);

    public async Task<ImageResolution> ResolveAsync(IEnumerable<string> dockerfiles, ImageFacts declared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dockerfiles);
        ArgumentNullException.ThrowIfNull(declared);
        var watch = Stopwatch.StartNew();
        var wanted = new List<BaseImageUse>();
        foreach (var text in dockerfiles)
        {
            foreach (var use in BaseImages.Unknown(text, declared))
            {
                if (!wanted.Contains(use))
                {
                    wanted.Add(use);
                }
            }
        }

        var notices = ImmutableArray.CreateBuilder<string>();
        if (wanted.Count > options.MaxImagesPerReview)
        {
            notices.Add($"{wanted.Count} base images are not in ReviewBot's table; only the first {options.MaxImagesPerReview} were read from their registries, the rest are treated as unknown ({string.Join(", ", wanted.Skip(options.MaxImagesPerReview).Select(u => u.Image))}).");
            wanted.RemoveRange(options.MaxImagesPerReview, wanted.Count - options.MaxImagesPerReview);
        }

        using var review = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        review.CancelAfter(options.PerReviewTimeout);
        var results = await Task.WhenAll(wanted.Select(use => ResolveOneAsync(use, review.Token, cancellationToken))).ConfigureAwait(false);
        var resolved = ImmutableDictionary.CreateBuilder<string, RegistryImageConfig>(StringComparer.Ordinal);
        foreach (var (use, config, notice) in results)
        {
            if (config is not null)
            {
                resolved[ImageFacts.Key(use.Image)] = config;
            }
            else
            {
                notices.Add(notice!);
            }
        }

        return new ImageResolution(declared with { Resolved = resolved.ToImmutable() }, notices.ToImmutable(), wanted.Count, resolved.Count, watch.Elapsed);
    }

    private async Task<(BaseImageUse Use, RegistryImageConfig? Config, string? Notice)> ResolveOneAsync(BaseImageUse use, CancellationToken review, CancellationToken caller)
    {
        string platform = use.Platform ?? options.DefaultPlatform;
        string key = $"{use.Image}|{platform}";
        try
        {
            if (await cache.GetAsync(key, review).ConfigureAwait(false) is { } cached)
            {
                return (use, cached, null);
            }

            using var image = CancellationTokenSource.CreateLinkedTokenSource(review);
            image.CancelAfter(options.PerImageTimeout);
            var (_, config) = await client.ReadConfigAsync(use.Image, platform, image.Token).ConfigureAwait(false);
            await cache.SetAsync(key, config, use.Image.Digest is null ? options.TagTtl : DigestTtl, review).ConfigureAwait(false);
            return (use, config, null);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            return (use, null, Notice(use, review.IsCancellationRequested ? $"the review's {options.PerReviewTimeout.TotalSeconds:0}-second budget for registries ran out" : $"its registry did not answer within {options.PerImageTimeout.TotalSeconds:0} seconds"));
        }
        catch (Exception e) when (e is RegistryException or RegistryRefusedException or HttpRequestException or System.Text.Json.JsonException)
        {
            var reason = e is HttpRequestException { InnerException: RegistryRefusedException refused } ? refused.Message
                : e is HttpRequestException http ? $"its registry could not be reached ({http.HttpRequestError})"
                : e is System.Text.Json.JsonException ? "its registry's answer is not valid JSON"
                : e.Message;
            return (use, null, Notice(use, reason));
        }
    }

    private static string Notice(BaseImageUse use, string reason) =>
        $"{use.Image} could not be read from its registry: {reason.TrimEnd('.')}. What ReviewBot knows about it is used instead.";
}
