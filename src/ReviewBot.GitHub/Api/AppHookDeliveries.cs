using System.Text.Json.Serialization;

namespace ReviewBot.GitHub.Api;

/// <summary>One attempt GitHub made to deliver an event to the App's webhook (a "simple webhook delivery").</summary>
/// <param name="Id">The attempt's id: what a redelivery names.</param>
/// <param name="Guid">The event's id (X-GitHub-Delivery), shared by every attempt, redeliveries included.</param>
/// <param name="StatusCode">Our answer's status; 0 when GitHub got none (down, timed out).</param>
public sealed record HookDelivery(long Id, string Guid, DateTimeOffset DeliveredAt, bool Redelivery, int StatusCode, string? Status, string? Event)
{
    /// <summary>GitHub counts a delivery as delivered when we answered 2xx.</summary>
    [JsonIgnore]
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// The App's webhook deliveries, with the App's JWT: GET /app/hook/deliveries (newest first, paged by cursor through
/// the Link header) and POST /app/hook/deliveries/{delivery_id}/attempts (ask for one again). GitHub never sends a
/// failed delivery again by itself; this is how GitHub's docs say to do it ("Automatically redelivering failed
/// deliveries for a GitHub App webhook").
/// </summary>
public static class AppHookDeliveries
{
    /// <summary>Our bound on one listing: 100 pages of 100 attempts.</summary>
    public const int MaxDeliveries = GitHubHttp.MaxPages * GitHubLimits.PageSize;

    /// <summary>The attempts made since <paramref name="since"/> (and the rest of the page that reached back past it), newest first.</summary>
    public static async Task<IReadOnlyList<HookDelivery>> ListDeliveriesAsync(this GitHubAppClient app, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var all = await app.AppHttp.GetPagesAsync("app/hook/deliveries", HookDeliveryJson.Default.ListHookDelivery, page => page, MaxDeliveries, cancellationToken,
            enough: page => page.Count == 0 || page.Any(d => d.DeliveredAt < since)).ConfigureAwait(false);
        return [.. all.Where(d => d.DeliveredAt >= since)];
    }

    /// <summary>Asks GitHub to deliver the attempt's event again (202). Never repeated by the pipeline: a repeat would be a second delivery.</summary>
    public static async Task RedeliverAsync(this GitHubAppClient app, long deliveryId, CancellationToken cancellationToken)
    {
        var http = app.AppHttp;
        var uri = new Uri(http.BaseAddress, $"app/hook/deliveries/{deliveryId}/attempts");
        using var response = await http.SendAsync(() => GitHubHttp.NewRequest(HttpMethod.Post, uri, null), cancellationToken).ConfigureAwait(false);
        await http.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<HookDelivery>))]
internal sealed partial class HookDeliveryJson : JsonSerializerContext;
