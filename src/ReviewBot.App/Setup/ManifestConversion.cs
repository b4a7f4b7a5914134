using System.Text.Json.Serialization;

namespace ReviewBot.App.Setup;

/// <summary>
/// GitHub's answer to <c>POST /app-manifests/{code}/conversions</c>: the new App's identity and secrets.
/// Shown once to the operator; never logged or stored by the service.
/// </summary>
internal sealed record ManifestConversion(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("slug")] string? Slug,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("html_url")] string? HtmlUrl,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("webhook_secret")] string? WebhookSecret,
    [property: JsonPropertyName("pem")] string? Pem)
{
    /// <summary>The new App's webhook secret and key are shown to the operator only: ToString never prints them.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Id = {Id}, Slug = {Slug}, Name = {Name}, HtmlUrl = {HtmlUrl}, ClientId = {ClientId}, ")
            .Append($"WebhookSecret = {Hosting.Redact.Secret(WebhookSecret)}, Pem = {Hosting.Redact.Secret(Pem)}");
        return true;
    }
}

[JsonSerializable(typeof(ManifestConversion))]
internal sealed partial class SetupJsonContext : JsonSerializerContext;
