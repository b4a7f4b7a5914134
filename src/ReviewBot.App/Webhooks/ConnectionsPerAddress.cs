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
    private readonly Dictionary<IPAddress, int> _open = [];

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
            int open = _open.GetValueOrDefault(address);
            if (open >= max)
            {
                return false;
            }

            _open[address] = open + 1;
            return true;
        }
    }

    private void Close(IPAddress address)
    {
        lock (_open)
        {
            if (_open.TryGetValue(address, out var open) && open > 1)
            {
                _open[address] = open - 1;
            }
            else
            {
                _open.Remove(address);
            }
        }
    }
}
