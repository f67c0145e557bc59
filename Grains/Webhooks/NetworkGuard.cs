using System.Net;
using System.Net.Sockets;

namespace LeadScoring.Grains.Webhooks;

/// <summary>
/// Which addresses a webhook may reach: public ones only, unless the operator allows private networks. The check
/// is made on the address actually connected to, so a name that resolves to a public address when registered and
/// to an internal one later is refused too.
/// </summary>
public static class NetworkGuard
{
    /// <summary>Loopback, link-local (cloud metadata included), private, shared, unspecified, multicast and reserved addresses.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (bytes[0] & 0xFE) == 0xFC; // unique local fc00::/7
        }

        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => true,
            100 => b[1] is >= 64 and <= 127, // shared address space (carrier NAT)
            169 => b[1] == 254, // link-local, where cloud metadata services answer
            172 => b[1] is >= 16 and <= 31,
            192 => (b[1] == 168) || (b[1] == 0 && b[2] is 0 or 2),
            198 => b[1] is 18 or 19,
            >= 224 => true, // multicast and reserved
            _ => false,
        };
    }

    /// <summary>Why the URL cannot be a webhook's; null when it can (its host resolves, and only to allowed addresses).</summary>
    public static async Task<string?> RefusalAsync(Uri url, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        if (allowPrivateNetworks)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"its host '{url.Host}' does not resolve";
        }

        return addresses.Length == 0 ? $"its host '{url.Host}' does not resolve"
            : addresses.Any(IsInternal) ? $"its host '{url.Host}' is on a loopback, private, link-local or metadata address, which webhooks may not reach"
            : null;
    }
}
