using System.Net;
using System.Net.Sockets;

namespace ReviewBot.Registry;

/// <summary>
/// Every connection the registry client makes (registry, token realm, blob redirect) goes through
/// <see cref="ConnectAsync"/>: the host is resolved once, every address is checked, and the socket connects to a
/// checked address, so a FROM naming (or a registry redirecting to) the cloud's metadata service, a loopback or a
/// private network address is refused before any byte is sent, and a DNS answer cannot change between check and use.
/// </summary>
public sealed class AddressPolicy(RegistryOptions options)
{
    /// <summary>True when <paramref name="address"/> is one a pull request must never make the App reach.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // Link-local fe80::/10, site-local, unique local fc00::/7, multicast.
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (address.GetAddressBytes()[0] & 0xFE) == 0xFC;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10                                 // RFC 1918
            || (b[0] == 172 && (b[1] & 0xF0) == 16)       // RFC 1918
            || (b[0] == 192 && b[1] == 168)               // RFC 1918
            || (b[0] == 169 && b[1] == 254)               // link-local, the metadata service 169.254.169.254
            || (b[0] == 100 && (b[1] & 0xC0) == 64)       // RFC 6598 carrier-grade NAT
            || b[0] == 0 || b[0] >= 224;                  // "this network", multicast, reserved
    }

    /// <summary>Whether a connection to <paramref name="host"/> may reach a private address (listed as insecure).</summary>
    private bool MayBePrivate(string host, int port) =>
        options.InsecureRegistries.Contains(host) || options.InsecureRegistries.Contains($"{host}:{port}");

    /// <summary>The SocketsHttpHandler.ConnectCallback that enforces the policy.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        IPAddress[] addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        bool mayBePrivate = MayBePrivate(endpoint.Host, endpoint.Port);
        var allowed = addresses.Where(a => mayBePrivate || !IsForbidden(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new RegistryRefusedException($"{endpoint.Host} resolves to a private, loopback or link-local address, which ReviewBot does not reach unless the host is listed as an insecure registry.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A registry (or an address it leads to) that the policy does not let ReviewBot reach; no request was sent.</summary>
public sealed class RegistryRefusedException(string message) : Exception(message);
