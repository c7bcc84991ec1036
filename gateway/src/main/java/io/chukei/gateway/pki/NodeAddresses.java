package io.chukei.gateway.pki;

import org.bouncycastle.util.IPAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The IP addresses a dev-PKI node certificate names: 127.0.0.1, and every address the node
 * listens on, so connectors and peers that reach it on a non-loopback address (another host,
 * or a network namespace in a test) can verify it by that address.
 */
public final class NodeAddresses
{
    private NodeAddresses()
    {
    }

    /** {@link DevPki#DEFAULT_IP_ADDRESSES} plus each listen host that is a specific IP literal (not a wildcard or a name). */
    public static List<String> forListenHosts(final List<String> listenHosts)
    {
        final List<String> addresses = new ArrayList<>(DevPki.DEFAULT_IP_ADDRESSES);
        for (final String host : listenHosts)
        {
            if (host == null || !IPAddress.isValid(host))
            {
                continue;
            }
            final InetAddress address = literal(host);
            if (!address.isAnyLocalAddress() && !addresses.contains(address.getHostAddress()))
            {
                addresses.add(address.getHostAddress());
            }
        }
        return List.copyOf(addresses);
    }

    private static InetAddress literal(final String host)
    {
        try
        {
            // A valid literal: no lookup happens.
            return InetAddress.getByName(host);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("host: " + host + " (expected: an IP literal)", ex);
        }
    }
}
