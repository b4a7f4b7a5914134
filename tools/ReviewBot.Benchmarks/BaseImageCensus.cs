using System.Globalization;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Benchmarks;

/// <summary>
/// <c>--base-images</c>: how many of the corpus's distinct base images ReviewBot's table (images.json) does not know,
/// i.e. how much reading registries (issue 19) can add. A base image is a stage's FROM after the engine's own ARG
/// substitution, neither an earlier stage nor <c>scratch</c>; a FROM still holding a variable is counted apart. The
/// corpus has no config of its own, so no <c>images:</c> declarations apply (<c>--images GLOB</c> adds some, repeatable).
/// </summary>
public static class BaseImageCensus
{
    public static int Run(string[] args)
    {
        var declarations = args.Select((a, i) => (a, i)).Where(p => p.a == "--images" && p.i + 1 < args.Length)
            .Select(p => new ImageDeclaration(args[p.i + 1], "declared")).ToList();
        var facts = new ImageFacts { Declarations = [.. declarations] };
        var corpus = Corpus.Instance;
        var known = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var unknownRepositories = new HashSet<string>(StringComparer.Ordinal);
        var unknownByRegistry = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        int unresolved = 0, filesWithUnknown = 0, finalUnknown = 0, files = 0;
        foreach (var text in corpus.Texts)
        {
            files++;
            var model = DockerfileModel.Build(DockerfileDocument.Parse(text));
            bool any = false;
            Stage? last = null;
            foreach (var stage in model.Stages)
            {
                last = stage;
                if (stage.Parent is not null)
                {
                    continue;
                }

                if (stage.RootImage is not { } image)
                {
                    unresolved++;
                    continue;
                }

                if (image.Repository == "scratch" && image.Registry is null)
                {
                    continue;
                }

                string key = image.ToString();
                if (declarations.Any(d => d.IsMatch(image)))
                {
                    declared.Add(key);
                }
                else if (stage.Base.IsKnown)
                {
                    known.Add(key);
                }
                else
                {
                    unknown.Add(key);
                    unknownRepositories.Add(image.FullName);
                    string registry = image.Registry ?? ImageReference.DockerHubHost;
                    (unknownByRegistry.TryGetValue(registry, out var set) ? set : unknownByRegistry[registry] = []).Add(key);
                    any = true;
                }
            }

            filesWithUnknown += any ? 1 : 0;
            finalUnknown += last is { RootImage: { } root } && !last.Base.IsKnown && !(root.Repository == "scratch" && root.Registry is null) && !declarations.Any(d => d.IsMatch(root)) ? 1 : 0;
        }

        int total = known.Count + unknown.Count + declared.Count;
        var o = Console.Out;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus: {files} Dockerfiles in {corpus.Directory}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"distinct base images (image:tag@digest as written, after ARG substitution; no stages, no scratch): {total}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  known to images.json: {known.Count}; declared by --images: {declared.Count}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  outside images.json and images:: {unknown.Count} ({Percent(unknown.Count, total)}), {unknownRepositories.Count} distinct repositories"));
        foreach (var (registry, set) in unknownByRegistry.OrderByDescending(p => p.Value.Count).ThenBy(p => p.Key, StringComparer.Ordinal).Take(10))
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {registry}: {set.Count}"));
        }

        o.WriteLine("  the first 20: " + string.Join(", ", unknown.Order(StringComparer.Ordinal).Take(20)));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FROMs still holding a variable after substitution (not resolvable): {unresolved}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Dockerfiles with at least one such image: {filesWithUnknown} ({Percent(filesWithUnknown, files)}); whose final stage's image is one: {finalUnknown} ({Percent(finalUnknown, files)})"));
        return 0;
    }

    private static string Percent(int part, int whole) => whole == 0 ? "-" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
