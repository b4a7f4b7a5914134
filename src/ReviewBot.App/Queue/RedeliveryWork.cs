namespace ReviewBot.App.Queue;

/// <summary>
/// Ask GitHub to send again the deliveries it could not deliver (<c>Redelivery:*</c>): App-wide, not an
/// installation's (installation 0), one item per interval across replicas.
/// </summary>
public sealed record RedeliveryWork(string DeliveryId, string Reason) : WorkItem(DeliveryId, 0, Reason)
{
    public override string Key => "!redelivery";
}
