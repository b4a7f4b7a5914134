using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ReviewBot.App.Webhooks;

/// <summary>
/// How much unauthenticated traffic the webhook endpoint takes (section <c>Webhook</c>). Anyone can post to it, so
/// the door (<see cref="WebhookDoor"/>) reads and checks each body before the request may take one of the
/// <see cref="MaxConcurrentRequests"/> work slots: a stranger's body is read under a size cap, a deadline and a
/// minimum data rate, and its connections per client address are capped, so strangers cannot hold the slots
/// GitHub's signed deliveries need.
/// </summary>
public sealed record WebhookOptions
{
    public const string Section = "Webhook";

    /// <summary>Signed deliveries handled at once. Each takes a few milliseconds (one state read, one enqueue, one state write).</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRequests { get; init; } = 16;

    /// <summary>Signed deliveries waiting for a slot before the endpoint answers 503 straight away.</summary>
    [Range(0, 10_000)]
    public int MaxQueuedRequests { get; init; } = 64;

    /// <summary>
    /// Longest time to receive a body. GitHub gives up on a delivery after 10 s in all, and sends its body at once;
    /// a sender slower than this is not GitHub: it gets 408 and its connection is closed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:10")]
    public TimeSpan BodyReadTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Slowest body Kestrel accepts, in bytes a second, after <see cref="MinBodyDataRateGrace"/> (Kestrel's
    /// <c>MinRequestBodyDataRate</c>; its default is 240). GitHub sends a 25 MB payload within its 10 s, so 10 KiB/s
    /// is far below it, and a trickle of a few hundred bytes a second is cut off.
    /// </summary>
    [Range(1, 100 * 1024 * 1024)]
    public int MinBodyDataRate { get; init; } = 10 * 1024;

    /// <summary>How long a body may be slower than <see cref="MinBodyDataRate"/> at its start (Kestrel checks once a second, so above 1 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01.001", "00:00:10")]
    public TimeSpan MinBodyDataRateGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Open connections one client address may hold; the next one is closed at once (0: no cap). Behind a proxy
    /// (Azure Container Apps' ingress) every connection comes from the proxy, so this caps all of them.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxConnectionsPerAddress { get; init; } = 128;

    /// <summary>
    /// When set, only webhook requests from these networks (CIDR, e.g. GitHub's <c>hooks</c> ranges from
    /// <c>GET /meta</c>) are read; any other address gets 403. Empty (the default): every address. Checked on the
    /// address Kestrel sees: behind a proxy use the proxy's own allow-list instead.
    /// </summary>
    public IReadOnlyList<string> AllowedNetworks { get; init; } = [];

    /// <summary><see cref="AllowedNetworks"/> parsed; null when every address is allowed.</summary>
    internal IReadOnlyList<IPNetwork>? Networks => AllowedNetworks.Count == 0 ? null : [.. AllowedNetworks.Select(n => IPNetwork.Parse(n.Trim()))];

    internal IEnumerable<string> Validate()
    {
        foreach (var network in AllowedNetworks)
        {
            if (!IPNetwork.TryParse(network?.Trim(), out _))
            {
                yield return $"Webhook:AllowedNetworks: '{network}' is not a network in CIDR notation (e.g. 192.30.252.0/22).";
            }
        }
    }
}
