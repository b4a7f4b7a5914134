using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Analysis.Manifests;

/// <summary>
/// Reads Compose files, Kubernetes manifests and Helm values into the containers they run. Pure: text in. Every byte is
/// the pull request author's, so the YAML is first walked as a stream of events, which costs no recursion, and refused
/// past <see cref="MaxChars"/>, <see cref="MaxDepth"/>, <see cref="MaxAliases"/> or <see cref="MaxDocuments"/>, before
/// YamlDotNet builds its tree (which recurses once per level, so a deep file would end the process on a stack overflow).
/// An alias is the node it names, never a copy, and the reader only follows fixed paths (plus one level of <c>&lt;&lt;</c>
/// merge keys) except in Helm values, whose walk visits each node once: an alias bomb costs what its text costs.
/// </summary>
public static class ManifestReader
{
    /// <summary>Characters read per manifest; the largest real Compose files and values.yaml are tens of KiB.</summary>
    public const int MaxChars = 256 * 1024;

    /// <summary>YAML nesting read; a pod template's securityContext is 7 levels down, a Helm value rarely past 10.</summary>
    public const int MaxDepth = 64;

    /// <summary>Aliases per file (<c>*name</c>); real files reuse a handful of anchors, an alias bomb needs many.</summary>
    public const int MaxAliases = 256;

    /// <summary>Documents in a multi-document file (<c>---</c>); a rendered chart has tens.</summary>
    public const int MaxDocuments = 500;

    /// <summary>Containers taken from one file; the rest are an error, so nothing past it passes unread.</summary>
    public const int MaxContainers = 500;

    /// <summary>Nodes a Helm values walk visits; past it the file counts as not read.</summary>
    private const int MaxValuesNodes = 100_000;

    /// <summary>Kubernetes kinds and where their pod spec sits.</summary>
    private static readonly Dictionary<string, string[]> PodSpecPaths = new(StringComparer.Ordinal)
    {
        ["Pod"] = ["spec"],
        ["Deployment"] = ["spec", "template", "spec"],
        ["StatefulSet"] = ["spec", "template", "spec"],
        ["DaemonSet"] = ["spec", "template", "spec"],
        ["ReplicaSet"] = ["spec", "template", "spec"],
        ["Job"] = ["spec", "template", "spec"],
        ["CronJob"] = ["spec", "jobTemplate", "spec", "template", "spec"],
    };

    public static Manifest Read(ManifestKind kind, string text)
    {
        if (text.Length > MaxChars)
        {
            return Manifest.Failed(kind, $"is larger than {MaxChars / 1024} KiB");
        }

        var (stream, error) = Load(text);
        if (stream is null)
        {
            return Manifest.Failed(kind, error!);
        }

        var containers = new List<ManifestContainer>();
        try
        {
            foreach (var document in stream.Documents)
            {
                if (document.RootNode is not YamlMappingNode root)
                {
                    continue;
                }

                switch (kind)
                {
                    case ManifestKind.Compose:
                        ReadCompose(root, containers);
                        break;
                    case ManifestKind.Kubernetes:
                        ReadKubernetes(root, containers);
                        break;
                    default:
                        if (!ReadValues(root, containers))
                        {
                            return Manifest.Failed(kind, $"has more than {MaxValuesNodes} values");
                        }

                        break;
                }

                if (containers.Count > MaxContainers)
                {
                    return Manifest.Failed(kind, $"runs more than {MaxContainers} containers");
                }
            }
        }
        catch (YamlException e)
        {
            return Manifest.Failed(kind, $"is not valid YAML (line {e.Start.Line})");
        }

        return new Manifest(kind, [.. containers], null);
    }

    /// <summary>The YAML tree, or why not: bounds checked on the event stream first (no recursion there).</summary>
    public static (YamlStream? Stream, string? Error) Load(string text)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            int depth = 0, aliases = 0, documents = 0;
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart when ++depth > MaxDepth:
                        return (null, $"nests deeper than {MaxDepth} levels (line {parser.Current.Start.Line})");
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                    case AnchorAlias when ++aliases > MaxAliases:
                        return (null, $"has more than {MaxAliases} aliases (line {parser.Current.Start.Line})");
                    case DocumentStart when ++documents > MaxDocuments:
                        return (null, $"has more than {MaxDocuments} documents");
                }
            }

            YamlStream stream = [];
            stream.Load(new StringReader(text));
            return (stream, null);
        }
        catch (YamlException e)
        {
            return (null, $"is not valid YAML (line {e.Start.Line})");
        }
        catch (ArgumentException)
        {
            // YamlDotNet's mapping refuses a key twice with this, not a YamlException.
            return (null, "is not valid YAML (a key is repeated)");
        }
    }

    private static void ReadCompose(YamlMappingNode root, List<ManifestContainer> containers)
    {
        if (Get(root, "services") is not YamlMappingNode services)
        {
            return;
        }

        foreach (var (key, value) in services.Children)
        {
            if (value is not YamlMappingNode service || key is not YamlScalarNode { Value: { } name })
            {
                continue;
            }

            var build = Get(service, "build") switch
            {
                YamlScalarNode { Value: { } context } => new ComposeBuild(context, null, false),
                YamlMappingNode b => new ComposeBuild(Text(Get(b, "context")), Text(Get(b, "dockerfile")), Get(b, "dockerfile_inline") is not null),
                _ => null,
            };
            containers.Add(new ManifestContainer(
                $"service {name}",
                Line(key),
                Text(Get(service, "image")),
                build,
                Get(service, "user") is YamlScalarNode { Value: { } user } userNode ? new Setting<string>(user, Line(userNode)) : null,
                null,
                null,
                Flag(service, "privileged"),
                null,
                ComposeMounts(Get(service, "volumes"))));
        }
    }

    /// <summary>Compose <c>volumes:</c> targets: short <c>SOURCE:TARGET[:MODE]</c> or <c>TARGET</c>, long <c>{ target }</c>.</summary>
    private static ImmutableArray<string> ComposeMounts(YamlNode? volumes)
    {
        if (volumes is not YamlSequenceNode list)
        {
            return [];
        }

        var paths = new List<string>();
        foreach (var item in list.Children)
        {
            string? target = item switch
            {
                YamlScalarNode { Value: { } spec } => spec.Split(':') switch
                {
                    [var only] => only,
                    [_, var to] => to,
                    [_, var to, _] => to,
                    _ => null,
                },
                YamlMappingNode mapping => Text(Get(mapping, "target")),
                _ => null,
            };
            if (target is { Length: > 1 } && target[0] == '/')
            {
                paths.Add(target.TrimEnd('/'));
            }
        }

        return [.. paths.Distinct(StringComparer.Ordinal)];
    }

    private static void ReadKubernetes(YamlMappingNode root, List<ManifestContainer> containers)
    {
        if (Text(Get(root, "kind")) is not { } kind || !PodSpecPaths.TryGetValue(kind, out var path))
        {
            return;
        }

        YamlNode? spec = root;
        foreach (var step in path)
        {
            spec = spec is YamlMappingNode m ? Get(m, step) : null;
        }

        if (spec is not YamlMappingNode podSpec)
        {
            return;
        }

        string workload = Text(Get(Get(root, "metadata") as YamlMappingNode, "name")) is { } name ? $"{kind} {name}" : kind;
        var pod = Get(podSpec, "securityContext") as YamlMappingNode;
        foreach (var list in new[] { "initContainers", "containers" })
        {
            if (Get(podSpec, list) is not YamlSequenceNode items)
            {
                continue;
            }

            foreach (var item in items.Children.OfType<YamlMappingNode>())
            {
                var own = Get(item, "securityContext") as YamlMappingNode;
                var mounts = Get(item, "volumeMounts") is YamlSequenceNode m
                    ? m.Children.OfType<YamlMappingNode>().Select(v => Text(Get(v, "mountPath"))).OfType<string>().Where(p => p.StartsWith('/')).Select(p => p.Length > 1 ? p.TrimEnd('/') : p).Distinct(StringComparer.Ordinal).ToImmutableArray()
                    : [];
                containers.Add(Container($"{workload}, container {Text(Get(item, "name")) ?? "?"}", Line(item), Text(Get(item, "image")), pod, own, mounts));
            }
        }
    }

    /// <summary>
    /// Helm values: every mapping that holds a literal <c>securityContext</c>, <c>containerSecurityContext</c> or
    /// <c>podSecurityContext</c> is one component (the chart itself at the root, <c>controller</c>, <c>worker</c> …),
    /// whose image is its own <c>image.repository</c> (or <c>image</c>), else the root's. Each node visited once.
    /// </summary>
    private static bool ReadValues(YamlMappingNode root, List<ManifestContainer> containers)
    {
        string? rootImage = ValuesImage(root);
        var visited = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(YamlNode Node, string Path)>();
        pending.Push((root, ""));
        while (pending.TryPop(out var at))
        {
            if (!visited.Add(at.Node))
            {
                continue;
            }

            if (visited.Count > MaxValuesNodes)
            {
                return false;
            }

            if (at.Node is YamlSequenceNode sequence)
            {
                foreach (var child in sequence.Children)
                {
                    pending.Push((child, at.Path));
                }

                continue;
            }

            if (at.Node is not YamlMappingNode mapping)
            {
                continue;
            }

            var own = (Get(mapping, "securityContext") ?? Get(mapping, "containerSecurityContext")) as YamlMappingNode;
            var pod = Get(mapping, "podSecurityContext") as YamlMappingNode;
            if (own is not null || pod is not null)
            {
                containers.Add(Container(at.Path.Length == 0 ? "values" : at.Path, Line(own ?? pod!), ValuesImage(mapping) ?? rootImage, pod, own, []));
            }

            foreach (var (key, value) in mapping.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && name is not ("securityContext" or "containerSecurityContext" or "podSecurityContext"))
                {
                    pending.Push((value, at.Path.Length == 0 ? name : $"{at.Path}.{name}"));
                }
            }
        }

        return true;
    }

    /// <summary>Helm's convention: <c>image: { registry?, repository, tag }</c>, or a plain <c>image: name</c>.</summary>
    private static string? ValuesImage(YamlMappingNode mapping) => Get(mapping, "image") switch
    {
        YamlScalarNode { Value: { Length: > 0 } image } => image,
        YamlMappingNode image when Text(Get(image, "repository")) is { Length: > 0 } repository =>
            Text(Get(image, "registry")) is { Length: > 0 } registry ? $"{registry}/{repository}" : repository,
        _ => null,
    };

    /// <summary>A container as Kubernetes runs it: its own securityContext over the pod's for runAsUser and runAsNonRoot.</summary>
    private static ManifestContainer Container(string name, int line, string? image, YamlMappingNode? pod, YamlMappingNode? own, ImmutableArray<string> mounts) => new(
        name,
        line,
        image,
        null,
        null,
        Number(own, "runAsUser") ?? Number(pod, "runAsUser"),
        Flag(own, "runAsNonRoot") ?? Flag(pod, "runAsNonRoot"),
        Flag(own, "privileged"),
        Flag(own, "allowPrivilegeEscalation"),
        mounts);

    /// <summary>
    /// The value of <paramref name="key"/>, or of a YAML merge key's (<c>&lt;&lt;: *defaults</c>, which Compose files use
    /// for shared settings) one level down: YamlDotNet's tree keeps <c>&lt;&lt;</c> as a plain key.
    /// </summary>
    private static YamlNode? Get(YamlMappingNode? mapping, string key)
    {
        if (mapping is null)
        {
            return null;
        }

        if (mapping.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return value;
        }

        return mapping.Children.TryGetValue(new YamlScalarNode("<<"), out var merged) switch
        {
            true when merged is YamlMappingNode one && one.Children.TryGetValue(new YamlScalarNode(key), out var inherited) => inherited,
            true when merged is YamlSequenceNode many => many.Children.OfType<YamlMappingNode>()
                .Select(m => m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null)
                .FirstOrDefault(v => v is not null),
            _ => null,
        };
    }

    private static string? Text(YamlNode? node) => node is YamlScalarNode { Value: { } text } ? text : null;

    private static Setting<bool>? Flag(YamlMappingNode? mapping, string key) =>
        Get(mapping, key) is YamlScalarNode { Value: { } text } node && bool.TryParse(text, out var value) ? new Setting<bool>(value, Line(node)) : null;

    private static Setting<long>? Number(YamlMappingNode? mapping, string key) =>
        Get(mapping, key) is YamlScalarNode { Value: { } text } node && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? new Setting<long>(value, Line(node)) : null;

    private static int Line(YamlNode node) => (int)Math.Min(int.MaxValue, node.Start.Line);
}
