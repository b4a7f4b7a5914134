using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.GitHub.Configuration;

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

    public static RepositoryConfigResult Parse(string yaml)
    {
        var errors = new List<string>();
        var config = RepositoryConfig.Default;
        YamlStream stream;
        try
        {
            stream = [];
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            errors.Add($"line {ex.Start.Line}: invalid YAML: {Innermost(ex).Message}");
            return new RepositoryConfigResult(config, [.. errors]);
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return new RepositoryConfigResult(config, []);
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add($"line {stream.Documents[1].RootNode.Start.Line}: only one YAML document is read; the rest is ignored");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add($"line {stream.Documents[0].RootNode.Start.Line}: the config must be a mapping with keys rules, fix, paths, review, check, onboarding");
            return new RepositoryConfigResult(config, [.. errors]);
        }

        var context = new Context(errors);
        foreach (var (key, value) in context.Entries(root, "", ["rules", "fix", "paths", "review", "check", "onboarding"]))
        {
            config = key switch
            {
                "rules" => ParseRules(context, value, config),
                "fix" => ParseFix(context, value, config),
                "paths" => ParsePaths(context, value, config),
                "review" => ParseReview(context, value, config),
                "onboarding" => context.Bool(value, "onboarding") is { } onboarding ? config with { Onboarding = onboarding } : config,
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
        foreach (var (key, value) in context.Entries(node, "fix", ["user", "group", "uid", "gid", "numeric", "chown"]))
        {
            var path = "fix." + key;
            config = key switch
            {
                "user" => context.Name(value, path) is { } user ? config with { FixUser = user } : config,
                "group" => context.Name(value, path) is { } group ? config with { FixGroup = group } : config,
                "uid" => context.Id(value, path) is { } uid ? config with { FixUid = uid } : config,
                "gid" => context.Id(value, path) is { } gid ? config with { FixGid = gid } : config,
                "numeric" => context.Bool(value, path) is { } numeric ? config with { FixNumeric = numeric } : config,
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
        foreach (var (key, value) in context.Entries(node, "check", ["conclusion_on_error", "on_error", "suppressions"]))
        {
            if (key == "suppressions")
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

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;

    private readonly record struct Scalar(YamlNode Node, string Value);

    private sealed class Context(List<string> errors)
    {
        private void Error(YamlNode node, string message) => errors.Add($"line {node.Start.Line}: {message}");

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
