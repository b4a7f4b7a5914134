using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Azure;

/// <summary>
/// The JSON text of a queue message: the small <see cref="WorkItem"/>, never the webhook payload. Every kind is written
/// in the one flat format messages have always had (<see cref="WorkMessage"/>), so messages queued by an older version
/// read as the right type after an upgrade, and an older replica still reads what a newer one queued while both run.
/// </summary>
internal static class WorkItemMessage
{
    public static string Serialize(WorkItem item)
    {
        var text = JsonSerializer.Serialize(ToMessage(item), WorkItemJsonContext.Default.WorkMessage);
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > AzureStorageLimits.MaxQueueMessageBytes)
        {
            throw new ArgumentException(
                $"Work item for {item.Key} is {bytes} bytes, over the Azure queue message limit of 64 KiB ({AzureStorageLimits.MaxQueueMessageBytes} bytes).",
                nameof(item));
        }

        return text;
    }

    /// <summary>The work item, or null with the reason when the text is not one.</summary>
    public static WorkItem? TryDeserialize(string text, out string? error)
    {
        try
        {
            var message = JsonSerializer.Deserialize(text, WorkItemJsonContext.Default.WorkMessage);
            error = message is null ? "the message is JSON null" : null;
            return message is null ? null : ToItem(message);
        }
        catch (JsonException e)
        {
            error = "the message is not a work item: " + e.Message;
            return null;
        }
    }

    public static string SerializePoison(PoisonMessage message) =>
        JsonSerializer.Serialize(message, WorkItemJsonContext.Default.PoisonMessage);

    private static WorkMessage ToMessage(WorkItem item) => item switch
    {
        ReviewWork r => new(r.Occurrence, r.InstallationId, r.Owner, r.Repo, r.PullNumber, r.HeadSha, r.Reason, r.BaseRef, r.Draft, BaseSha: r.BaseSha)
        {
            RequestedAt = r.RequestedAt,
            RepositoryId = r.RepositoryId,
        },
        BranchCheckWork b => new(b.Occurrence, b.InstallationId, b.Owner, b.Repo, 0, b.HeadSha, b.Reason, b.Branch, Kind: WorkKind.BranchCheck)
        {
            RequestedAt = b.RequestedAt,
            RepositoryId = b.RepositoryId,
        },
        OnboardWork o => new(o.Occurrence, o.InstallationId, o.Owner, o.Repo, 0, "", o.Reason, Kind: WorkKind.Onboard) { RepositoryId = o.RepositoryId },
        InstallationPageWork p => new(p.Occurrence, p.InstallationId, p.Account, "", p.Page, "", p.Reason, Kind: WorkKind.OnboardInstallation, Repositories: p.Repositories)
        {
            RepositoryIds = p.RepositoryIds,
        },
        RedeliveryWork d => new(d.Occurrence, 0, "app", "", 0, "", d.Reason, Kind: WorkKind.Redeliver),
        _ => throw new ArgumentException($"{item.GetType().Name} has no queue message format.", nameof(item)),
    };

    private static WorkItem ToItem(WorkMessage m)
    {
        var (delivery, continuation) = SplitOccurrence(m.DeliveryId);
        WorkItem item = m.Kind switch
        {
            WorkKind.BranchCheck => new BranchCheckWork(delivery, m.InstallationId, m.Owner, m.Repo, m.BaseRef ?? "", m.HeadSha, m.Reason)
            {
                RequestedAt = m.RequestedAt,
                RepositoryId = m.RepositoryId,
            },
            WorkKind.Onboard => new OnboardWork(delivery, m.InstallationId, m.Owner, m.Repo, m.Reason) { RepositoryId = m.RepositoryId },
            WorkKind.OnboardInstallation => new InstallationPageWork(delivery, m.InstallationId, m.Owner, m.PullNumber, m.Reason, m.Repositories)
            {
                RepositoryIds = m.RepositoryIds,
            },
            WorkKind.Redeliver => new RedeliveryWork(delivery, m.Reason),
            _ => new ReviewWork(delivery, m.InstallationId, m.Owner, m.Repo, m.PullNumber, m.HeadSha, m.Reason, m.BaseRef, m.Draft, m.BaseSha)
            {
                RequestedAt = m.RequestedAt,
                RepositoryId = m.RepositoryId,
            },
        };
        return item with { Continuation = continuation };
    }

    /// <summary>"{delivery}~{n}" as the delivery and its continuation; an id without a number after the mark is a delivery id as it is.</summary>
    private static (string DeliveryId, int Continuation) SplitOccurrence(string occurrence)
    {
        int mark = occurrence.IndexOf(WorkItem.ContinuationMark, StringComparison.Ordinal);
        return mark >= 0 && int.TryParse(occurrence.AsSpan(mark + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? (occurrence[..mark], n)
            : (occurrence, 0);
    }
}

/// <summary>What a message asks for; absent from the oldest messages, which were all reviews.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkKind>))]
internal enum WorkKind
{
    Review,
    BranchCheck,
    Onboard,
    OnboardInstallation,
    Redeliver,
}

/// <summary>
/// A queue message as it is written: one flat record for every kind, its fields optional and trailing in the order
/// they were added, so every message ever written still reads. The continuation rides in the delivery id
/// (<see cref="WorkItem.Occurrence"/>), as it always has. <c>pullNumber</c> is the page of an installation's list.
/// </summary>
internal sealed record WorkMessage(
    string DeliveryId,
    long InstallationId,
    string Owner,
    string Repo,
    int PullNumber,
    string HeadSha,
    string Reason,
    string? BaseRef = null,
    bool? Draft = null,
    WorkKind Kind = WorkKind.Review,
    IReadOnlyList<string>? Repositories = null,
    string? BaseSha = null)
{
    public DateTimeOffset? RequestedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? RepositoryId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? RepositoryIds { get; init; }
}

/// <summary>What the poison queue keeps: the original message text and why it was set aside.</summary>
internal sealed record PoisonMessage(string OriginalMessage, string Reason, long DequeueCount, DateTimeOffset DeadLetteredAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(WorkMessage))]
[JsonSerializable(typeof(PoisonMessage))]
internal sealed partial class WorkItemJsonContext : JsonSerializerContext;
