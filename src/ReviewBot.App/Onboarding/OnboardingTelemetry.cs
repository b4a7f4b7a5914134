using System.Diagnostics.Metrics;
using ReviewBot.App.Operations;

namespace ReviewBot.App.Onboarding;

/// <summary>Onboarding's progress as metrics on the ReviewBot meter: what a 500-repository install is doing, and what it skipped.</summary>
public static class OnboardingTelemetry
{
    public static readonly Counter<long> Queued = ReviewBotTelemetry.Meter.CreateCounter<long>(
        "reviewbot.onboarding.queued", "{repository}", "Repositories queued for onboarding by installation events");

    public static readonly Counter<long> Scanned = ReviewBotTelemetry.Meter.CreateCounter<long>(
        "reviewbot.onboarding.scanned", "{repository}", "Repositories whose default branch was scanned");

    public static readonly Counter<long> Waiting = ReviewBotTelemetry.Meter.CreateCounter<long>(
        "reviewbot.onboarding.waiting", "{repository}", "Times a repository was put back in the queue to wait for the write budget");

    public static readonly Counter<long> PullRequestsOpened = ReviewBotTelemetry.Meter.CreateCounter<long>(
        "reviewbot.onboarding.pull_requests", "{pull_request}", "Onboarding pull requests opened or refreshed, by action");

    public static readonly Counter<long> Skipped = ReviewBotTelemetry.Meter.CreateCounter<long>(
        "reviewbot.onboarding.skipped", "{repository}", "Repositories or installations onboarding skipped, by reason");

    public static void RecordSkipped(string reason, long count = 1) =>
        Skipped.Add(count, new KeyValuePair<string, object?>("reason", reason));
}
