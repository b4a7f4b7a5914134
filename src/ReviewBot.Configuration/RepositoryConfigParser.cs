using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Configuration;

/// <summary>
/// Reads the config through YamlDotNet's node model so every error can name its line, every unknown
/// key is reported, and a bad value falls back to its default instead of failing the whole file.
/// </summary>
internal static partial class RepositoryConfigParser
{
    /// <summary>Guards the text we pass to the shell in the fix's RUN line (useradd's NAME_REGEX, 32 chars like Linux).</summary>
    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserNameRegex();

    [GeneratedRegex("^RB[0-9]{3}$", RegexOptions.IgnoreCase)]
    private static partial Regex RuleIdRegex();

    /// <summary>The top-level keys, in the order errors name them.</summary>
    private static readonly string[] Sections = ["rules", "fix", "paths", "review", "check", "onboarding", "images", "built_images"];

    public static RepositoryConfigResult Parse(string yaml)
    {
        var errors = new List<string>();
        var root = Load(yaml, errors);
        return root is null ? new RepositoryConfigResult(RepositoryConfig.Default, [.. errors]) : Parse(root, errors);
    }

    /// <summary>The document's root mapping, or null (errors say why, except for an empty file).</summary>
    private static YamlMappingNode? Load(string yaml, List<string> errors)
    {
        YamlStream stream;
        try
        {
            stream = [];
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            errors.Add($"line {ex.Start.Line}: invalid YAML: {Innermost(ex).Message}");
            return null;
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add($"line {stream.Documents[1].RootNode.Start.Line}: only one YAML document is read; the rest is ignored");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add($"line {stream.Documents[0].RootNode.Start.Line}: the config must be a mapping with keys {string.Join(", ", Sections)}");
            return null;
        }

        return root;
    }

    public static RepositoryConfigResult ParseMerged(string? organisationYaml, string? repositoryYaml)
    {
        // Each file is checked on its own, so an error names the file and line it is on.
        var errors = new List<string>();
        var organisation = LoadChecked(organisationYaml, "the organisation's config (.github repository)", errors);
        var repository = LoadChecked(repositoryYaml, "", errors);
        var merged = organisation is null ? repository : repository is null ? organisation : Merge(organisation, repository, "");
        return merged is null ? new RepositoryConfigResult(RepositoryConfig.Default, [.. errors]) : Parse(merged, new List<string>()) with { Errors = [.. errors] };
    }

    private static YamlMappingNode? LoadChecked(string? yaml, string name, List<string> errors)
    {
        if (yaml is null)
        {
            return null;
        }

        var own = new List<string>();
        var root = Load(yaml, own);
        if (root is not null)
        {
            Parse(root, own);
        }

        errors.AddRange(name.Length == 0 ? own : own.Select(e => $"{name}: {e}"));
        return root;
    }

    /// <summary>Key by key: mappings merge, <c>images</c> lists add up (organisation first), any other value the repository sets replaces.</summary>
    private static YamlMappingNode Merge(YamlMappingNode organisation, YamlMappingNode repository, string path)
    {
        var merged = new YamlMappingNode();
        foreach (var (key, value) in organisation.Children)
        {
            merged.Add(key, value);
        }

        foreach (var (key, value) in repository.Children)
        {
            string name = key is YamlScalarNode { Value: { } k } ? k : "";
            if (!merged.Children.TryGetValue(key, out var inherited))
            {
                merged.Add(key, value);
            }
            else if (inherited is YamlMappingNode a && value is YamlMappingNode b)
            {
                merged.Children[key] = Merge(a, b, path + name + ".");
            }
            else if (path.Length == 0 && name == "images" && inherited is YamlSequenceNode orgImages && value is YamlSequenceNode repoImages)
            {
                merged.Children[key] = new YamlSequenceNode(orgImages.Children.Concat(repoImages.Children));
            }
            else if (path.Length == 0 && name == "images" && IsNull(value))
            {
                // An empty images: would drop the organisation's list without saying so: the organisation's stays.
                continue;
            }
            else
            {
                merged.Children[key] = value;
            }
        }

        return merged;
    }

    private static RepositoryConfigResult Parse(YamlMappingNode root, List<string> errors)
    {
        var config = RepositoryConfig.Default;
        var context = new Context(errors);
        foreach (var (key, value) in context.Entries(root, "", Sections))
        {
            config = key switch
            {
                "rules" => ParseRules(context, value, config),
                "fix" => ParseFix(context, value, config),
                "paths" => ParsePaths(context, value, config),
                "review" => ParseReview(context, value, config),
                "onboarding" => context.Bool(value, "onboarding") is { } onboarding ? config with { Onboarding = onboarding } : config,
                "images" => config with { Images = config.Images.AddRange(ParseImages(context, value)) },
                "built_images" => config with { BuiltImages = ParseBuiltImages(context, value) },
                _ => ParseCheck(context, value, config),
            };
        }

        return new RepositoryConfigResult(config, [.. errors]);
    }

    private static RepositoryConfig ParseRules(Context context, YamlNode node, RepositoryConfig config)
    {
        foreach (var (key, value) in context.Entries(node, "rules", ["disable", "severity"]))
        {
            if (key == "disable")
            {
                var ids = context.Strings(value, "rules.disable").Select(s => context.RuleId(s.Node, s.Value, "rules.disable")).OfType<string>();
                config = config with { DisabledRules = config.DisabledRules.Union(ids) };
            }
            else
            {
                var overrides = config.SeverityOverrides;
                foreach (var (ruleKey, severityNode) in context.DataEntries(value, "rules.severity"))
                {
                    var id = context.RuleId(ruleKey.Node, ruleKey.Value, "rules.severity");
                    var severity = context.Enum(severityNode, $"rules.severity.{ruleKey.Value}", SeverityNames);
                    if (id is not null && severity is { } s)
                    {
                        overrides = overrides.SetItem(id, s);
                    }
                }

                config = config with { SeverityOverrides = overrides };
            }
        }

        return config;
    }

    private static readonly (string Name, Severity Value)[] SeverityNames = [("error", Severity.Error), ("warning", Severity.Warning), ("notice", Severity.Notice)];

    private static RepositoryConfig ParseFix(Context context, YamlNode node, RepositoryConfig config)
    {
        foreach (var (key, value) in context.Entries(node, "fix", ["user", "group", "uid", "gid", "numeric", "chown", "openshift"]))
        {
            var path = "fix." + key;
            config = key switch
            {
                "user" => context.Name(value, path) is { } user ? config with { FixUser = user } : config,
                "group" => context.Name(value, path) is { } group ? config with { FixGroup = group } : config,
                "uid" => context.Id(value, path) is { } uid ? config with { FixUid = uid } : config,
                "gid" => context.Id(value, path) is { } gid ? config with { FixGid = gid } : config,
                "numeric" => context.Bool(value, path) is { } numeric ? config with { FixNumeric = numeric } : config,
                "openshift" => context.Bool(value, path) is { } openShift ? config with { FixOpenShift = openShift } : config,
                _ => context.Bool(value, path) is { } chown ? config with { FixChown = chown } : config,
            };
        }

        return config;
    }

    private static RepositoryConfig ParsePaths(Context context, YamlNode node, RepositoryConfig config)
    {
        foreach (var (key, value) in context.Entries(node, "paths", ["include", "exclude"]))
        {
            var globs = context.Strings(value, "paths." + key).Select(s => context.Glob(s.Node, s.Value, "paths." + key)).OfType<PathGlob>();
            config = key == "include" ? config with { Include = config.Include.AddRange(globs) } : config with { Exclude = config.Exclude.AddRange(globs) };
        }

        return config;
    }

    private static RepositoryConfig ParseReview(Context context, YamlNode node, RepositoryConfig config)
    {
        foreach (var (key, value) in context.Entries(node, "review", ["event", "drafts"]))
        {
            config = key == "event"
                ? context.Enum(value, "review.event", [("comment", ReviewEvent.Comment), ("request_changes", ReviewEvent.RequestChanges)]) is { } e ? config with { ReviewEvent = e } : config
                : context.Bool(value, "review.drafts") is { } drafts ? config with { ReviewDrafts = drafts } : config;
        }

        return config;
    }

    private static RepositoryConfig ParseCheck(Context context, YamlNode node, RepositoryConfig config)
    {
        foreach (var (key, value) in context.Entries(node, "check", ["conclusion_on_error", "on_error", "suppressions", "fail_on"]))
        {
            if (key == "fail_on")
            {
                config = context.Enum(value, "check.fail_on", [("new", FailOn.New), ("all", FailOn.All)]) is { } failOn ? config with { FailOn = failOn } : config;
            }
            else if (key == "suppressions")
            {
                config = context.Enum(value, "check.suppressions", [("any", SuppressionPolicy.Any), ("base", SuppressionPolicy.Base)]) is { } policy ? config with { Suppressions = policy } : config;
            }
            else if (context.Enum(value, "check." + key, [("failure", ErrorConclusion.Failure), ("neutral", ErrorConclusion.Neutral)]) is { } conclusion)
            {
                config = key == "on_error" ? config with { OnError = conclusion } : config with { ConclusionOnError = conclusion };
            }
        }

        return config;
    }

    /// <summary>
    /// A user an image runs as, as Docker's config.User writes it: empty (root), a name or uid, optionally with a
    /// group. Only these reach a suggested USER line; a name like useradd's, or a Windows account (ContainerUser).
    /// </summary>
    [GeneratedRegex("^([A-Za-z_][A-Za-z0-9_.-]{0,31}|[0-9]{1,10})(:([A-Za-z_][A-Za-z0-9_.-]{0,31}|[0-9]{1,10}))?$")]
    private static partial Regex ImageUserRegex();

    /// <summary>A glob over registry/repository: the characters of an image name, and * ? as wildcards.</summary>
    [GeneratedRegex("^[a-z0-9*?][a-z0-9._/:*?-]{0,254}$", RegexOptions.IgnoreCase)]
    private static partial Regex ImageGlobRegex();

    private static IEnumerable<ImageDeclaration> ParseImages(Context context, YamlNode node)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            context.Fail(node, "images must be a list of { match, user, distro } entries");
            return [];
        }

        var declarations = new List<ImageDeclaration>();
        foreach (var item in sequence.Children)
        {
            string? match = null, user = null;
            var family = DistroFamily.Unknown;
            // An entry with any error is dropped whole: half of a declaration would state a fact nobody wrote.
            int errorsBefore = context.ErrorCount;
            foreach (var (key, value) in context.Entries(item, "images[]", ["match", "user", "distro"]))
            {
                switch (key)
                {
                    case "match":
                        match = context.Text(value, "images[].match", "an image glob such as registry.example.com/golden/*");
                        if (match is not null && !ImageGlobRegex().IsMatch(match.Trim()))
                        {
                            context.Fail(value, $"images[].match: '{match}' is not an image glob (registry/repository with * and ?, no tag or digest)");
                        }

                        break;
                    case "user":
                        // YAML reads "user:" with no value as null: that is root, as an empty config.User is.
                        user = value is YamlScalarNode { Value: var u } && (u is null || IsNull(value)) ? "" : context.Text(value, "images[].user", "a user name, uid or uid:gid (\"\" or root: root)");
                        if (user is { Length: > 0 } && !ImageUserRegex().IsMatch(user.Trim()))
                        {
                            context.Fail(value, $"images[].user: '{user}' is not a user name, uid or user:group");
                        }

                        break;
                    default:
                        if (context.Text(value, "images[].distro", "a distro family") is { } distro)
                        {
                            if (ImageKnowledge.ParseFamily(distro) is { } parsed)
                            {
                                family = parsed;
                            }
                            else
                            {
                                context.Fail(value, $"images[].distro: '{distro}' is not valid (expected one of {string.Join(", ", ImageKnowledge.FamilyNames)})");
                            }
                        }

                        break;
                }
            }

            if (item is YamlMappingNode && (match is null || user is null))
            {
                context.Fail(item, "images[]: each entry needs match and user");
            }

            if (context.ErrorCount == errorsBefore && match is not null && user is not null)
            {
                declarations.Add(new ImageDeclaration(match.Trim().ToLowerInvariant(), user.Trim(), family));
            }
        }

        return declarations;
    }

    /// <summary><c>built_images: [{ dockerfile, image }]</c>: which image a Dockerfile of the repository builds, for RB008.</summary>
    private static ImmutableArray<BuiltImageDeclaration> ParseBuiltImages(Context context, YamlNode node)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            context.Fail(node, "built_images must be a list of { dockerfile, image } entries");
            return [];
        }

        var built = ImmutableArray.CreateBuilder<BuiltImageDeclaration>();
        foreach (var item in sequence.Children)
        {
            string? dockerfile = null, image = null;
            int errorsBefore = context.ErrorCount;
            foreach (var (key, value) in context.Entries(item, "built_images[]", ["dockerfile", "image"]))
            {
                if (key == "dockerfile")
                {
                    dockerfile = context.Text(value, "built_images[].dockerfile", "the Dockerfile's path from the repository's root");
                    if (dockerfile is not null && RepositoryPaths.Resolve("", dockerfile.Trim()) is null)
                    {
                        context.Fail(value, $"built_images[].dockerfile: '{dockerfile}' is not a path inside the repository");
                    }
                }
                else
                {
                    image = context.Text(value, "built_images[].image", "the image's name as manifests write it, such as ghcr.io/acme/api");
                    if (image is not null && !ImageGlobRegex().IsMatch(image.Trim()))
                    {
                        context.Fail(value, $"built_images[].image: '{image}' is not an image name (registry/repository, no tag or digest)");
                    }
                }
            }

            if (item is YamlMappingNode && (dockerfile is null || image is null))
            {
                context.Fail(item, "built_images[]: each entry needs dockerfile and image");
            }

            if (context.ErrorCount == errorsBefore && dockerfile is not null && image is not null)
            {
                built.Add(new BuiltImageDeclaration(RepositoryPaths.Resolve("", dockerfile.Trim())!, image.Trim()));
            }
        }

        return built.ToImmutable();
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;

    private readonly record struct Scalar(YamlNode Node, string Value);

    private sealed class Context(List<string> errors)
    {
        private void Error(YamlNode node, string message) => errors.Add($"line {node.Start.Line}: {message}");

        public void Fail(YamlNode node, string message) => Error(node, message);

        public int ErrorCount => errors.Count;

        /// <summary>A string value (quoted or not), or null with an error.</summary>
        public string? Text(YamlNode node, string path, string expected) => node is YamlScalarNode { Value: { } value } ? value : ScalarValueOrError(node, path, expected);

        private string? ScalarValueOrError(YamlNode node, string path, string expected)
        {
            Error(node, $"{path} must be {expected}");
            return null;
        }

        /// <summary>The entries of a mapping; with <paramref name="known"/>, other keys are errors and skipped. A null value is an empty section.</summary>
        public IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode node, string path, string[]? known) =>
            EntriesWithNodes(node, path, known).Select(e => (e.Key.Value, e.Value));

        /// <summary>The entries of a mapping whose keys are data (rule ids), with the key nodes for error lines.</summary>
        public IEnumerable<(Scalar Key, YamlNode Value)> DataEntries(YamlNode node, string path) =>
            EntriesWithNodes(node, path, null);

        private IEnumerable<(Scalar Key, YamlNode Value)> EntriesWithNodes(YamlNode node, string path, string[]? known)
        {
            if (IsNull(node))
            {
                yield break;
            }

            if (node is not YamlMappingNode mapping)
            {
                Error(node, known is null ? $"{path} must be a mapping" : $"{(path.Length == 0 ? "the config" : path)} must be a mapping with keys {string.Join(", ", known)}");
                yield break;
            }

            foreach (var (keyNode, value) in mapping.Children)
            {
                var name = Dotted(path, keyNode is YamlScalarNode { Value: { } k } ? k : "?");
                if (keyNode is not YamlScalarNode { Value: { } key })
                {
                    Error(keyNode, $"{(path.Length == 0 ? "top-level" : path)} keys must be plain names");
                }
                else if (known is not null && !known.Contains(key, StringComparer.Ordinal))
                {
                    Error(keyNode, $"unknown key '{name}' (expected one of: {string.Join(", ", known.Select(k => Dotted(path, k)))})");
                }
                else
                {
                    yield return (new Scalar(keyNode, key), value);
                }
            }
        }

        private static string Dotted(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

        /// <summary>A list of strings; a single string is taken as a list of one.</summary>
        public IEnumerable<Scalar> Strings(YamlNode node, string path)
        {
            if (IsNull(node))
            {
                yield break;
            }

            if (node is YamlScalarNode { Value: { } single })
            {
                yield return new Scalar(node, single);
                yield break;
            }

            if (node is not YamlSequenceNode sequence)
            {
                Error(node, $"{path} must be a list of strings, e.g. [a, b]");
                yield break;
            }

            foreach (var item in sequence.Children)
            {
                if (item is YamlScalarNode { Value: { } value } && !IsNull(item))
                {
                    yield return new Scalar(item, value);
                }
                else
                {
                    Error(item, $"{path} items must be strings");
                }
            }
        }

        public string? RuleId(YamlNode node, string value, string path)
        {
            var id = value.Trim().ToUpperInvariant();
            if (!RuleIdRegex().IsMatch(id))
            {
                Error(node, $"{path}: '{value}' is not a rule id (RB001, RB002 …)");
                return null;
            }

            // Until the rule catalog is loaded (it is empty only in a build without rules), the id's shape is all we can check.
            if (!RuleRunner.Rules.IsEmpty && !RuleRunner.Rules.Any(r => string.Equals(r.Id, id, StringComparison.Ordinal)))
            {
                Error(node, $"{path}: unknown rule '{value}' (known: {string.Join(", ", RuleRunner.Rules.Where(r => !r.CannotBeSilenced).Select(r => r.Id))})");
                return null;
            }

            if (RuleRunner.Find(id) is { CannotBeSilenced: true })
            {
                Error(node, $"{path}: {id} cannot be disabled or downgraded: it keeps files that are not Dockerfiles from passing unread");
                return null;
            }

            return id;
        }

        public PathGlob? Glob(YamlNode node, string value, string path)
        {
            var glob = PathGlob.TryCreate(value, out var reason);
            if (glob is null)
            {
                Error(node, $"{path}: '{value}': {reason}");
            }

            return glob;
        }

        private string? ScalarValue(YamlNode node, string path, string expected)
        {
            if (node is YamlScalarNode { Value: { } value } && !IsNull(node))
            {
                return value;
            }

            Error(node, $"{path} must be {expected}");
            return null;
        }

        public T? Enum<T>(YamlNode node, string path, (string Name, T Value)[] choices)
            where T : struct
        {
            var expected = string.Join(" or ", choices.Select(c => c.Name));
            var value = ScalarValue(node, path, expected);
            if (value is null)
            {
                return null;
            }

            foreach (var (name, choice) in choices)
            {
                if (string.Equals(name, value.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return choice;
                }
            }

            Error(node, $"{path}: '{value}' is not valid (expected {expected})");
            return null;
        }

        public bool? Bool(YamlNode node, string path)
        {
            var value = ScalarValue(node, path, "true or false");
            switch (value?.Trim().ToLowerInvariant())
            {
                case null:
                    return null;
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    Error(node, $"{path}: '{value}' is not valid (expected true or false)");
                    return null;
            }
        }

        /// <summary>A uid or gid for the created user: not 0 (root), within what Linux and Kubernetes accept.</summary>
        public int? Id(YamlNode node, string path)
        {
            var value = ScalarValue(node, path, "a number");
            if (value is null)
            {
                return null;
            }

            if (!long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > MaxId)
            {
                Error(node, $"{path}: '{value}' is not valid (expected a whole number from 1 to {MaxId})");
                return null;
            }

            if (number == 0)
            {
                Error(node, $"{path}: 0 is root; the fix needs a non-root id (e.g. 10001)");
                return null;
            }

            return (int)number;
        }

        /// <summary>Kubernetes runAsUser/runAsGroup are int64 but container runtimes reject ids above 2^31-1 (uid_t is signed in parts of the stack).</summary>
        private const long MaxId = int.MaxValue;

        public string? Name(YamlNode node, string path)
        {
            var value = ScalarValue(node, path, "a user or group name");
            if (value is null)
            {
                return null;
            }

            if (!UserNameRegex().IsMatch(value))
            {
                Error(node, $"{path}: '{value}' is not a valid name (lower-case letters, digits, _ and -, starting with a letter or _, at most 32 characters)");
                return null;
            }

            if (value == "root")
            {
                Error(node, $"{path}: 'root' would keep the container running as root");
                return null;
            }

            return value;
        }
    }
}
