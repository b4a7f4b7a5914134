using System.ComponentModel.DataAnnotations;

namespace ReviewBot.App.Webhooks;

/// <summary>
/// How much unauthenticated traffic the webhook endpoint takes at once (section <c>Webhook</c>). Anyone can
/// post to it, so memory stays bounded: at most <see cref="MaxConcurrentRequests"/> bodies of at most
/// <see cref="WebhookEndpoint.MaxPayloadBytes"/> are read at a time, a few more wait, the rest get 503 at once.
/// </summary>
public sealed record WebhookOptions
{
    public const string Section = "Webhook";

    /// <summary>Deliveries handled at once. Each takes a few milliseconds (one state read, one enqueue, one state write).</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRequests { get; init; } = 16;

    /// <summary>Deliveries waiting for a slot before the endpoint answers 503 straight away.</summary>
    [Range(0, 10_000)]
    public int MaxQueuedRequests { get; init; } = 64;

    /// <summary>
    /// Longest time to receive a body. GitHub gives up on a delivery after 10 s, so a sender slower than that
    /// is not GitHub; it gets 408 and frees its slot.
    /// </summary>
    public TimeSpan BodyReadTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
