using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using ReviewBot.Analysis.Rules;

namespace ReviewBot.Configuration.Tests;

/// <summary>
/// schema/reviewbot.schema.json (what editors validate .github/reviewbot.yml with) and the config parser (what
/// ReviewBot reads it with) cannot drift apart: the same keys, the same verdict on good and bad values, and every
/// example config in the repository passes both.
/// </summary>
public partial class ConfigSchemaTests
{
    private static readonly string Root = RepoRoot.Find();

    private static readonly string SchemaPath = Path.Combine(Root, "schema", "reviewbot.schema.json");

    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(SchemaPath));

    private static readonly string[] ConfigSections = ["rules", "fix", "paths", "review", "check", "onboarding", "images", "built_images"];

    [Fact]
    public void The_schema_and_the_parser_know_the_same_keys()
    {
        var schemaKeys = SchemaKeys(JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject(), "").Order(StringComparer.Ordinal).ToList();
        var parserKeys = ParserKeys("").Order(StringComparer.Ordinal).ToList();

        Assert.Contains("fix.uid", parserKeys); // the probe works
        Assert.Equal(parserKeys, schemaKeys);
    }

    [Fact]
    public void The_schema_names_exactly_the_rules_there_are()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaPath))!;
        var ids = schema["definitions"]!["ruleId"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());

        // Not a rule that cannot be silenced (RB007): the config may not name it, so the schema does not offer it.
        Assert.Equal(RuleRunner.Rules.Where(r => !r.CannotBeSilenced).Select(r => r.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("rules:\n")]
    [InlineData("rules: { disable: RB005 }")]
    [InlineData("rules: { disable: [RB001, RB005], severity: { RB004: notice, RB003: error } }")]
    [InlineData("fix: { user: web, group: web, uid: 65532, gid: 65532, numeric: true, chown: false }")]
    [InlineData("paths: { include: 'deploy/*.docker', exclude: [vendor/**, third_party/**] }")]
    [InlineData("review: { event: request_changes, drafts: false }")]
    [InlineData("check: { conclusion_on_error: neutral, on_error: neutral }")]
    [InlineData("check: { on_error: failure }")]
    [InlineData("check: { suppressions: base }")]
    [InlineData("check: { fail_on: all }")]
    [InlineData("check: { fail_on: new, suppressions: base }")]
    [InlineData("check: { suppressions: any, on_error: failure }")]
    [InlineData("onboarding: false")]
    [InlineData("images: [ { match: 'registry.acme.io/golden/*', user: app, distro: debian }, { match: 'ghcr.io/acme/**', user: '1000:1000' }, { match: x, user: '' } ]")]
    public void A_config_the_parser_accepts_the_schema_accepts(string yaml)
    {
        Assert.Empty(RepositoryConfig.Parse(yaml).Errors);
        AssertValid(yaml, "inline");
    }

    [Theory]
    [InlineData("unknown: 1")]
    [InlineData("rules: [RB001]")]
    [InlineData("rules: { disable: [RB999] }")]
    [InlineData("rules: { enable: [RB001] }")]
    [InlineData("rules: { severity: { RB004: fatal } }")]
    [InlineData("rules: { severity: { RB999: notice } }")]
    [InlineData("fix: { user: root }")]
    [InlineData("fix: { user: 'App User' }")]
    [InlineData("fix: { user: averyveryveryveryverylongusername12 }")]
    [InlineData("fix: { uid: 0 }")]
    [InlineData("fix: { gid: -5 }")]
    [InlineData("fix: { uid: 2147483648 }")]
    [InlineData("fix: { uid: ten }")]
    [InlineData("fix: { numeric: maybe }")]
    [InlineData("fix: { shell: /bin/sh }")]
    [InlineData("paths: { include: [[a]] }")]
    [InlineData("review: { event: approve }")]
    [InlineData("review: { drafts: sometimes }")]
    [InlineData("check: { on_error: success }")]
    [InlineData("onboarding: sometimes")]
    [InlineData("onboarding: { enabled: false }")]
    [InlineData("check: { conclusion_on_error: skipped }")]
    [InlineData("check: { on_failure: neutral }")]
    [InlineData("check: { suppressions: none }")]
    [InlineData("check: { fail_on: changed }")]
    [InlineData("check: { suppressions: [base] }")]
    [InlineData("images: [ { match: x } ]")]
    [InlineData("images: [ { match: x, user: app, distro: plan9 } ]")]
    [InlineData("images: [ { match: x, user: 'a b' } ]")]
    [InlineData("images: { match: x, user: app }")]
    [InlineData("built_images: [ { image: ghcr.io/acme/api } ]")]
    [InlineData("built_images: [ { dockerfile: Dockerfile, image: 'ghcr.io/acme/api tag' } ]")]
    [InlineData("built_images: { dockerfile: Dockerfile, image: api }")]
    public void A_config_the_parser_refuses_the_schema_refuses(string yaml)
    {
        Assert.NotEmpty(RepositoryConfig.Parse(yaml).Errors);
        Assert.False(Evaluate(yaml).IsValid, $"the schema accepts what the parser refuses: {yaml}");
    }

    [Fact]
    public void Every_example_config_in_the_repository_passes_the_schema_and_the_parser()
    {
        var examples = Examples().ToList();

        Assert.Contains(examples, e => e.Source == ".github/reviewbot.yml");
        Assert.Contains(examples, e => e.Source.StartsWith("README.md", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.Source.StartsWith("tests:", StringComparison.Ordinal));
        foreach (var (source, yaml) in examples)
        {
            var errors = RepositoryConfig.Parse(yaml).Errors;
            Assert.True(errors.IsEmpty, $"{source}: the parser says {string.Join("; ", errors)}");
            AssertValid(yaml, source);
        }
    }

    [Fact]
    public void The_repositorys_own_config_names_the_schema_for_editors()
    {
        var config = File.ReadAllText(Path.Combine(Root, ".github", "reviewbot.yml"));
        var modeline = ModelineRegex().Match(config);

        Assert.True(modeline.Success, "no '# yaml-language-server: $schema=' line");
        var target = Path.GetFullPath(Path.Combine(Root, ".github", modeline.Groups["path"].Value));
        Assert.Equal(SchemaPath, target);
    }

    private static void AssertValid(string yaml, string source)
    {
        var result = Evaluate(yaml);
        if (!result.IsValid)
        {
            var problems = (result.Details ?? []).Append(result)
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
            Assert.Fail($"{source} does not pass schema/reviewbot.schema.json: {string.Join("; ", problems)}\n{yaml}");
        }
    }

    private static EvaluationResults Evaluate(string yaml)
    {
        var json = YamlToJson.Convert(yaml)?.ToJsonString() ?? "null";
        using var document = JsonDocument.Parse(json);
        return Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    /// <summary>Dotted keys of every object the schema closes (additionalProperties: false), leaves and sections alike.</summary>
    private static IEnumerable<string> SchemaKeys(JsonObject node, string prefix)
    {
        if (node["properties"] is not JsonObject properties)
        {
            yield break;
        }

        foreach (var (name, child) in properties)
        {
            var key = prefix.Length == 0 ? name : $"{prefix}.{name}";
            yield return key;
            if (child is JsonObject obj)
            {
                foreach (var nested in SchemaKeys(obj, key))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>
    /// The keys the parser knows, found by asking it: an unknown key in a section is answered with
    /// "unknown key '…' (expected one of: …)"; a key that is not a section answers otherwise.
    /// </summary>
    private static IEnumerable<string> ParserKeys(string section)
    {
        const string Probe = "zz_probe";
        var path = section.Length == 0 ? [] : section.Split('.');
        var yaml = string.Concat(path.Select((p, i) => new string(' ', 2 * i) + p + ":\n")) + new string(' ', 2 * path.Length) + Probe + ": 1\n";
        var unknown = section.Length == 0 ? Probe : $"{section}.{Probe}";
        var answer = RepositoryConfig.Parse(yaml).Errors.Select(e => ExpectedRegex().Match(e)).FirstOrDefault(m => m.Success && m.Groups["key"].Value == unknown);
        if (answer is null)
        {
            yield break;
        }

        foreach (var key in answer.Groups["known"].Value.Split(", "))
        {
            yield return key;
            foreach (var nested in ParserKeys(key))
            {
                yield return nested;
            }
        }
    }

    /// <summary>
    /// Config examples: .github/reviewbot.yml, every ```yaml block of README.md and docs/ whose keys are config
    /// sections, any *reviewbot.yml in samples/ and tests/, and the config tests' *Example constants.
    /// </summary>
    private static IEnumerable<(string Source, string Yaml)> Examples()
    {
        yield return (".github/reviewbot.yml", File.ReadAllText(Path.Combine(Root, ".github", "reviewbot.yml")));

        var markdown = new[] { Path.Combine(Root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}rules{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in markdown)
        {
            var text = File.ReadAllText(file).ReplaceLineEndings("\n");
            foreach (Match block in YamlBlockRegex().Matches(text))
            {
                var yaml = block.Groups["body"].Value;
                if (YamlToJson.Convert(yaml) is JsonObject { Count: > 0 } top && top.All(p => ConfigSections.Contains(p.Key)))
                {
                    var line = text[..block.Index].Count(c => c == '\n') + 1;
                    yield return ($"{Path.GetRelativePath(Root, file)}:{line}", yaml);
                }
            }
        }

        foreach (var folder in new[] { "samples", "tests" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, folder), "*reviewbot.yml", SearchOption.AllDirectories)
                .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                yield return (Path.GetRelativePath(Root, file), File.ReadAllText(file));
            }
        }

        var constants = typeof(ConfigSchemaTests).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ConfigSchemaTests).Namespace)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Select(f => (Type: t, Field: f)))
            .Where(x => x.Field.IsLiteral && x.Field.FieldType == typeof(string) && x.Field.Name.EndsWith("Example", StringComparison.Ordinal));
        foreach (var (type, field) in constants)
        {
            yield return ($"tests: {type.Name}.{field.Name}", (string)field.GetRawConstantValue()!);
        }
    }

    [GeneratedRegex(@"unknown key '(?<key>[^']+)' \(expected one of: (?<known>[^)]+)\)")]
    private static partial Regex ExpectedRegex();

    [GeneratedRegex(@"^```ya?ml[^\n]*\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex YamlBlockRegex();

    [GeneratedRegex(@"^#\s*yaml-language-server:\s*\$schema=(?<path>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ModelineRegex();
}
