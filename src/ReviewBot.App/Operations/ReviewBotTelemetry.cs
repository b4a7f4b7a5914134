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

    public static readonly Counter<long> WebhookRejections = Meter.CreateCounter<long>(
        "reviewbot.webhook.rejected", "{request}", "Webhook requests and connections the door turned away, by reason");

    public static readonly Counter<long> Redeliveries = Meter.CreateCounter<long>(
        "reviewbot.redeliveries", "{delivery}", "Failed webhook deliveries GitHub was asked to deliver again");

    public static readonly Counter<long> Reviews = Meter.CreateCounter<long>(
        "reviewbot.reviews", "{run}", "Runs of work items, by outcome (Reviewed, Checked, Onboarded, Queued, Redelivered, Superseded, Skipped, Deferred, Failed, Abandoned)");

    public static readonly Histogram<double> ReviewDuration = Meter.CreateHistogram<double>(
        "reviewbot.review.duration", "s", "Time of one review run, from dequeue to the check run completed");

    public static readonly Counter<long> Findings = Meter.CreateCounter<long>(
        "reviewbot.findings", "{finding}", "Findings reported in reviewed pull requests");

    public static readonly Counter<long> GitHubCalls = Meter.CreateCounter<long>(
        "reviewbot.github.calls", "{request}", "HTTP requests to the GitHub API, by status code");

    public static readonly Histogram<double> GitHubDuration = Meter.CreateHistogram<double>(
        "reviewbot.github.duration", "s", "Latency of HTTP requests to the GitHub API");

    /// <summary>
    /// The scope every log line of one work item carries: a review names its pull request and head, a branch check
    /// its branch and commit (it has no pull request), onboarding its repository, an installation's fan-out its account and page.
    /// </summary>
    public static Dictionary<string, object?> Scope(WorkItem item)
    {
        var scope = new Dictionary<string, object?>(StringComparer.Ordinal) { ["DeliveryId"] = item.DeliveryId };
        switch (item)
        {
            case InstallationPageWork page:
                scope["Account"] = page.Account;
                scope["Page"] = page.Page;
                return scope;
            case RepositoryWork repository:
                scope["Repository"] = $"{repository.Owner}/{repository.Repo}";
                break;
            default:
                scope["Repository"] = "app/";
                break;
        }

        switch (item)
        {
            case ReviewWork review:
                scope["PullRequest"] = review.PullNumber;
                scope["HeadSha"] = review.HeadSha;
                break;
            case BranchCheckWork check:
                scope["Branch"] = check.Branch;
                scope["CommitSha"] = check.HeadSha;
                break;
        }

        return scope;
    }

    /// <summary>Starts the trace span of one work item's run, named for its kind ("review", "branch-check", …).</summary>
    public static Activity? StartReview(WorkItem item, int attempt)
    {
        var activity = Source.StartActivity(SpanName(item), ActivityKind.Consumer);
        activity?.SetTag("github.delivery", item.DeliveryId)
            .SetTag("github.repository", item switch
            {
                RepositoryWork repository => $"{repository.Owner}/{repository.Repo}",
                InstallationPageWork page => $"{page.Account}/",
                _ => "app/",
            })
            .SetTag("reviewbot.attempt", attempt);
        switch (item)
        {
            case ReviewWork review:
                activity?.SetTag("github.pull_request", review.PullNumber);
                break;
            case BranchCheckWork check:
                activity?.SetTag("github.branch", check.Branch).SetTag("github.commit", check.HeadSha);
                break;
        }

        return activity;
    }

    /// <summary>The span name per kind: a branch check is about a commit, never a pull request.</summary>
    public static string SpanName(WorkItem item) => item switch
    {
        BranchCheckWork => "branch-check",
        OnboardWork => "onboard",
        InstallationPageWork => "onboard-installation",
        RedeliveryWork => "redelivery",
        _ => "review",
    };

    public static void RecordRun(string outcome, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        Reviews.Add(1, tag);
        ReviewDuration.Record(elapsed.TotalSeconds, tag);
        Activity.Current?.SetTag("reviewbot.outcome", outcome);
    }
}
