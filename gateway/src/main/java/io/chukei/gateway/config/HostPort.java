package io.chukei.gateway.config;

import java.net.InetSocketAddress;

/** A host and port from the configuration, written {@code host:port}. */
public record HostPort(String host, int port)
{
    public HostPort
    {
        if (host == null || host.isBlank())
        {
            throw new IllegalArgumentException("host: '" + host + "' (expected: a host name or address)");
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
    }

    /** Parses {@code host:port}; {@code what} names the setting in the error message. */
    public static HostPort parse(final String what, final String text)
    {
        final int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException(what + ": '" + text + "' (expected: host:port)");
        }
        try
        {
            return new HostPort(text.substring(0, colon).trim(), Integer.parseInt(text.substring(colon + 1).trim()));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(what + ": '" + text + "' (expected: host:port with a numeric port)", ex);
        }
    }

    public InetSocketAddress toSocketAddress()
    {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString()
    {
        return host + ":" + port;
    }
}
