using Azure;

namespace ReviewBot.App.Azure;

/// <summary>Failures of Azure Storage that pass: outages, throttling, timeouts. The SDK wraps exhausted retries in an AggregateException.</summary>
internal static class AzureTransient
{
    public static bool Is(Exception e) => e switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        HttpRequestException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(Is),
        OperationCanceledException => true, // the SDK's network timeout; callers filter their own cancellation first
        _ => false,
    };
}
