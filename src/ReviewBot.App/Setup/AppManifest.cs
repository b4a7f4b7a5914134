using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.App.Setup;

/// <summary>app-manifest.yml as the JSON GitHub's manifest flow takes, with this service's URLs filled in.</summary>
internal static class AppManifest
{
    public const string WebhookPath = "/api/github/webhooks";
    public const string CallbackPath = "/setup/callback";

    /// <param name="onboarding">Onboarding is on (<c>Onboarding:Enabled</c>): only then is <c>contents: write</c> asked
    /// for, so an App that only reviews keeps <c>contents: read</c>.</param>
    public static JsonObject Load(string yaml, Uri publicUrl, bool onboarding = false)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new InvalidOperationException($"app-manifest.yml is not valid YAML: {e.Message}", e);
        }

        if (stream.Documents.Count != 1 || ToJson(stream.Documents[0].RootNode) is not JsonObject manifest)
        {
            throw new InvalidOperationException("app-manifest.yml must be one YAML mapping.");
        }

        var root = publicUrl.GetLeftPart(UriPartial.Authority) + publicUrl.AbsolutePath.TrimEnd('/');
        if (manifest["hook_attributes"] is not JsonObject hook)
        {
            manifest["hook_attributes"] = hook = new JsonObject();
        }

        hook["url"] = root + WebhookPath;
        manifest["redirect_url"] = root + CallbackPath;
        if (onboarding)
        {
            if (manifest["default_permissions"] is not JsonObject permissions)
            {
                manifest["default_permissions"] = permissions = new JsonObject();
            }

            permissions["contents"] = Onboarding.OnboardingOptions.ContentsPermission;
        }

        return manifest;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unsupported YAML node at {node.Start}."),
    };

    /// <summary>Plain true/false and integers keep their type (GitHub wants <c>"public": false</c>); everything else is text.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "true" or "false")
        {
            return JsonValue.Create(text == "true");
        }

        if (text is "" or "~" or "null")
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }
}
