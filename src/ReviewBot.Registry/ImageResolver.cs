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
    /// <param name="dockerfiles">The texts whose base images are read.</param>
    /// <param name="declared">What the config's <c>images:</c> says; those images are not asked about.</param>
    /// <param name="cancellationToken">The caller's.</param>
    /// <param name="packages">The App's installation token for its own account's images on GitHub's registry; null elsewhere.</param>
    public async Task<ImageResolution> ResolveAsync(IEnumerable<string> dockerfiles, ImageFacts declared, CancellationToken cancellationToken, GitHubPackagesAccess? packages = null)
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
        var results = await Task.WhenAll(wanted.Select(use => ResolveOneAsync(use, packages, review.Token, cancellationToken))).ConfigureAwait(false);
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

    /// <summary>A tag's cache key: the repository as the API names it, and the tag (platform-free: a tag names an index).</summary>
    public static string TagKey(ImageReference image, string scope) =>
        $"{RegistryClient.HostOf(image)}/{RegistryClient.RepositoryOf(image)}:{image.Tag ?? "latest"}{scope}";

    /// <summary>A digest's cache key: the repository, the digest and the platform picked from it.</summary>
    public static string DigestKey(ImageReference image, string digest, string platform, string scope) =>
        $"{RegistryClient.HostOf(image)}/{RegistryClient.RepositoryOf(image)}@{digest}|{platform}{scope}";

    private async Task<(BaseImageUse Use, RegistryImageConfig? Config, string? Notice)> ResolveOneAsync(BaseImageUse use, GitHubPackagesAccess? packages, CancellationToken review, CancellationToken caller)
    {
        var image = use.Image;
        string platform = use.Platform ?? options.DefaultPlatform;
        try
        {
            var credential = packages is null ? null : await packages.CredentialForAsync(image, options, review).ConfigureAwait(false);
            // What was read with an installation's token is that installation's: kept apart, so another account's
            // review never gets a private image's config from the cache.
            string scope = credential is null ? "" : $"|installation:{packages!.Owner.ToLowerInvariant()}";
            string? digest = image.Digest ?? await cache.GetDigestAsync(TagKey(image, scope), review).ConfigureAwait(false);
            if (digest is not null && await cache.GetConfigAsync(DigestKey(image, digest, platform, scope), review).ConfigureAwait(false) is { } cached)
            {
                return (use, cached, null);
            }

            using var budget = CancellationTokenSource.CreateLinkedTokenSource(review);
            budget.CancelAfter(options.PerImageTimeout);
            RegistryImageConfig? known = null;
            var (read, config) = await client.ReadConfigAsync(image, platform, budget.Token, credential, async d => known = await cache.GetConfigAsync(DigestKey(image, d, platform, scope), review).ConfigureAwait(false)).ConfigureAwait(false);
            if (known is null)
            {
                await cache.SetConfigAsync(DigestKey(image, read, platform, scope), config, review).ConfigureAwait(false);
            }

            if (image.Digest is null)
            {
                await cache.SetDigestAsync(TagKey(image, scope), read, options.TagTtl, review).ConfigureAwait(false);
            }

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
