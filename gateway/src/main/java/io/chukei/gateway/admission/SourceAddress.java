package io.chukei.gateway.admission;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The key a connection's source address is counted under by {@link PreHelloLimiter}: the IPv4
 * address itself, or the /64 prefix of an IPv6 address (one subscriber usually gets a whole
 * /64, so counting single IPv6 addresses would give one machine 2^64 shares). Any other kind of
 * address (an in-memory channel) is its own key.
 */
public final class SourceAddress
{
    /** Bytes of an IPv6 address that name its /64. */
    private static final int IPV6_PREFIX_BYTES = 8;

    private SourceAddress()
    {
    }

    public static Object keyOf(final SocketAddress remote)
    {
        if (!(remote instanceof InetSocketAddress))
        {
            return remote;
        }
        final InetAddress address = ((InetSocketAddress)remote).getAddress();
        if (address == null || address instanceof Inet4Address)
        {
            return address != null ? address : remote;
        }
        final byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && isIpv4Mapped(bytes))
        {
            return ipv4(Arrays.copyOfRange(bytes, 12, 16));
        }
        Arrays.fill(bytes, IPV6_PREFIX_BYTES, bytes.length, (byte)0);
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException("16 bytes are an IPv6 address", ex);
        }
    }

    /** ::ffff:a.b.c.d, as a dual-stack listener may report an IPv4 peer. */
    private static boolean isIpv4Mapped(final byte[] bytes)
    {
        for (int i = 0; i < 10; i++)
        {
            if (bytes[i] != 0)
            {
                return false;
            }
        }
        return bytes[10] == (byte)0xFF && bytes[11] == (byte)0xFF;
    }

    private static InetAddress ipv4(final byte[] bytes)
    {
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException("4 bytes are an IPv4 address", ex);
        }
    }
}
