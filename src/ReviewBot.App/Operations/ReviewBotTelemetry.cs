using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Operations;

/// <summary>The ActivitySource and Meter named <c>ReviewBot</c>, and the instruments on it.</summary>
public static class ReviewBotTelemetry
{
    public const string Name = "ReviewBot";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "reviewbot.deliveries", "{delivery}", "Webhook deliveries, by event and HTTP status answered");

    public static readonly Counter<long> Reviews = Meter.CreateCounter<long>(
        "reviewbot.reviews", "{run}", "Review runs, by outcome (Reviewed, Superseded, Skipped, Failed, Abandoned)");

    public static readonly Histogram<double> ReviewDuration = Meter.CreateHistogram<double>(
        "reviewbot.review.duration", "s", "Time of one review run, from dequeue to the check run completed");

    public static readonly Counter<long> Findings = Meter.CreateCounter<long>(
        "reviewbot.findings", "{finding}", "Findings reported in reviewed pull requests");

    public static readonly Counter<long> GitHubCalls = Meter.CreateCounter<long>(
        "reviewbot.github.calls", "{request}", "HTTP requests to the GitHub API, by status code");

    public static readonly Histogram<double> GitHubDuration = Meter.CreateHistogram<double>(
        "reviewbot.github.duration", "s", "Latency of HTTP requests to the GitHub API");

    /// <summary>The scope every log line of one work item carries.</summary>
    public static Dictionary<string, object?> Scope(WorkItem item) => new(StringComparer.Ordinal)
    {
        ["DeliveryId"] = item.DeliveryId,
        ["Repository"] = $"{item.Owner}/{item.Repo}",
        ["PullRequest"] = item.PullNumber,
        ["HeadSha"] = item.HeadSha,
    };

    /// <summary>Starts the trace span of one review run.</summary>
    public static Activity? StartReview(WorkItem item, int attempt)
    {
        var activity = Source.StartActivity("review", ActivityKind.Consumer);
        activity?.SetTag("github.delivery", item.DeliveryId)
            .SetTag("github.repository", $"{item.Owner}/{item.Repo}")
            .SetTag("github.pull_request", item.PullNumber)
            .SetTag("reviewbot.attempt", attempt);
        return activity;
    }

    public static void RecordRun(string outcome, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        Reviews.Add(1, tag);
        ReviewDuration.Record(elapsed.TotalSeconds, tag);
        Activity.Current?.SetTag("reviewbot.outcome", outcome);
    }
}
