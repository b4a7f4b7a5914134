using System.Collections.Concurrent;
using ReviewBot.App.Operations;

namespace ReviewBot.App.Webhooks;

/// <summary>Why the door turned a request away; the metric's <c>reason</c> tag, a closed set.</summary>
internal enum RejectionReason
{
    /// <summary>X-GitHub-Event or X-GitHub-Delivery missing or not shaped like GitHub's.</summary>
    Headers,

    /// <summary>The signature did not check out.</summary>
    Signature,

    /// <summary>A body over <see cref="WebhookEndpoint.MaxPayloadBytes"/>.</summary>
    TooLarge,

    /// <summary>A body slower than the deadline or the minimum data rate.</summary>
    TooSlow,

    /// <summary>The client address is outside Webhook:AllowedNetworks.</summary>
    Network,

    /// <summary>The client address already holds Webhook:MaxConnectionsPerAddress connections.</summary>
    Connections,

    /// <summary>A signed delivery found every work slot and every waiting place taken.</summary>
    Busy,
}

/// <summary>
/// Counts what the door turns away (metric <c>reviewbot.webhook.rejected</c>, by reason) and logs a summary at
/// most once a minute per reason, never a line per request: anyone can send requests, and a line each would let
/// them fill the log (2,000 unsigned requests were 2,000 warnings of ~1.2 KB).
/// </summary>
internal sealed class WebhookRejections(TimeProvider time, ILogger<WebhookRejections> logger)
{
    /// <summary>At most one summary line per reason in this period.</summary>
    public static readonly TimeSpan LogPeriod = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<RejectionReason, Tally> _tallies = new();

    public void Record(RejectionReason reason)
    {
        ReviewBotTelemetry.WebhookRejections.Add(1, new KeyValuePair<string, object?>("reason", Tag(reason)));
        var tally = _tallies.GetOrAdd(reason, _ => new Tally());
        var now = time.GetUtcNow();
        long count;
        DateTimeOffset since;
        lock (tally)
        {
            tally.Count++;
            if (tally.LastLogged is { } last && now - last < LogPeriod)
            {
                return;
            }

            (count, since) = (tally.Count, tally.LastLogged ?? now);
            tally.Count = 0;
            tally.LastLogged = now;
        }

        WebhookLog.Rejections(logger, count, Tag(reason), since);
    }

    /// <summary>The metric tag and log word for a reason: kebab-case, from a closed set.</summary>
    public static string Tag(RejectionReason reason) => reason switch
    {
        RejectionReason.Headers => "headers",
        RejectionReason.Signature => "signature",
        RejectionReason.TooLarge => "too-large",
        RejectionReason.TooSlow => "too-slow",
        RejectionReason.Network => "network",
        RejectionReason.Connections => "connections-per-address",
        _ => "busy",
    };

    private sealed class Tally
    {
        public long Count;
        public DateTimeOffset? LastLogged;
    }
}
