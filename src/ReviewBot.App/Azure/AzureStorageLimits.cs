namespace ReviewBot.App.Azure;

/// <summary>Limits of Azure Storage that our queue and state store must stay within.</summary>
internal static class AzureStorageLimits
{
    /// <summary>Azure Queue Storage: a message can be up to 64 KiB (REST "Put Message", version 2011-08-18 and later).</summary>
    public const int MaxQueueMessageBytes = 64 * 1024;

    /// <summary>Azure Queue Storage: the visibility timeout can be at most 7 days (REST "Update Message").</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    /// <summary>Azure Table Storage: a string property holds at most 64 KiB, i.e. 32 K UTF-16 characters.</summary>
    public const int MaxStringPropertyChars = 32 * 1024;

    /// <summary>Azure Table Storage: an entity is at most 1 MiB, all properties together (strings count 2 bytes a char).</summary>
    public const int MaxEntityBytes = 1024 * 1024;

    /// <summary>Azure Table Storage: an entity has at most 255 properties, 3 of them system (PartitionKey, RowKey, Timestamp).</summary>
    public const int MaxCustomProperties = 252;

    /// <summary>Azure Table Storage: PartitionKey and RowKey are at most 1 KiB each.</summary>
    public const int MaxKeyChars = 512;
}
