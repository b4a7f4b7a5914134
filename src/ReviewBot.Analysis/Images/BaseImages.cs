using System.Collections.Immutable;
using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Images;

/// <summary>A base image a Dockerfile names in FROM, with the platform its FROM asks for (null: the default).</summary>
public sealed record BaseImageUse(ImageReference Image, string? Platform);

/// <summary>Which base images of a Dockerfile are worth asking a registry about. Pure: text in, references out.</summary>
public static class BaseImages
{
    /// <summary>
    /// The images the Dockerfile's stages start from (not earlier stages, not <c>scratch</c>, not a name that still
    /// holds a variable) that neither <paramref name="facts"/>' declarations nor images.json know: the ones whose
    /// user is only a guess without a registry's answer. Distinct, in file order.
    /// </summary>
    public static ImmutableArray<BaseImageUse> Unknown(string dockerfile, ImageFacts? facts = null)
    {
        var document = DockerfileDocument.Parse(dockerfile);
        var model = DockerfileModel.Build(document);
        var found = ImmutableArray.CreateBuilder<BaseImageUse>();
        foreach (var stage in model.Stages)
        {
            if (stage.Parent is not null || stage.RootImage is not { } image || image.Repository == "scratch" && image.Registry is null)
            {
                continue;
            }

            if (stage.Base.IsKnown || (facts is not null && facts.Declarations.Any(d => d.IsMatch(image))))
            {
                continue;
            }

            // --platform=$BUILDPLATFORM and the like depend on the build: the default platform is asked then.
            string? platform = stage.From.GetFlag("platform") is { } p && !p.Contains('$', StringComparison.Ordinal) ? p : null;
            var use = new BaseImageUse(image, platform);
            if (!found.Contains(use))
            {
                found.Add(use);
            }
        }

        return found.ToImmutable();
    }
}
