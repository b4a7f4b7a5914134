using System.Net;
using Microsoft.AspNetCore.Connections;

namespace ReviewBot.App.Webhooks;

/// <summary>
/// Kestrel connection middleware: a client address holds at most <paramref name="max"/> open connections; the next
/// one is closed before a byte of HTTP is read, and counted. One address cannot take every connection the process
/// has, however slowly it talks.
/// </summary>
internal sealed class ConnectionsPerAddress(int max, WebhookRejections rejections)
{
    private readonly Operations.Counts<IPAddress> _open = new();

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (max <= 0 || address is null)
        {
            await next(connection);
            return;
        }

        if (!TryOpen(address))
        {
            rejections.Record(RejectionReason.Connections);
            connection.Abort();
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Close(address);
        }
    };

    private bool TryOpen(IPAddress address)
    {
        lock (_open)
        {
            if (_open.Of(address) >= max)
            {
                return false;
            }

            _open.Add(address);
            return true;
        }
    }

    private void Close(IPAddress address)
    {
        lock (_open)
        {
            _open.Remove(address);
        }
    }
}
