using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReviewBot.App.Queue;

namespace ReviewBot.App.Azure;

/// <summary>The JSON text of a queue message: the small <see cref="WorkItem"/>, never the webhook payload.</summary>
internal static class WorkItemMessage
{
    public static string Serialize(WorkItem item)
    {
        var text = JsonSerializer.Serialize(item, WorkItemJsonContext.Default.WorkItem);
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > AzureStorageLimits.MaxQueueMessageBytes)
        {
            throw new ArgumentException(
                $"Work item for {item.PullRequestKey} is {bytes} bytes, over the Azure queue message limit of 64 KiB ({AzureStorageLimits.MaxQueueMessageBytes} bytes).",
                nameof(item));
        }

        return text;
    }

    /// <summary>The work item, or null with the reason when the text is not one.</summary>
    public static WorkItem? TryDeserialize(string text, out string? error)
    {
        try
        {
            var item = JsonSerializer.Deserialize(text, WorkItemJsonContext.Default.WorkItem);
            error = item is null ? "the message is JSON null" : null;
            return item;
        }
        catch (JsonException e)
        {
            error = "the message is not a work item: " + e.Message;
            return null;
        }
    }

    public static string SerializePoison(PoisonMessage message) =>
        JsonSerializer.Serialize(message, WorkItemJsonContext.Default.PoisonMessage);
}

/// <summary>What the poison queue keeps: the original message text and why it was set aside.</summary>
internal sealed record PoisonMessage(string OriginalMessage, string Reason, long DequeueCount, DateTimeOffset DeadLetteredAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(WorkItem))]
[JsonSerializable(typeof(PoisonMessage))]
internal sealed partial class WorkItemJsonContext : JsonSerializerContext;
