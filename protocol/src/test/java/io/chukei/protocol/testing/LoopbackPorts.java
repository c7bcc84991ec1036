package io.chukei.protocol.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers whose addresses must be known before they start (a cluster list).
 * Taken below Linux's ephemeral range (32768–60999): a port from {@code new ServerSocket(0)} comes
 * from that range, and between closing it and the server binding it, any outgoing connection of a
 * test may get it as its local port — "Address already in use" (seen in CI).
 */
public final class LoopbackPorts
{
    private static final int LOWEST = 20_000;
    private static final int BELOW = 32_000;

    private LoopbackPorts()
    {
    }

    /** {@code count} different ports that could be bound on 127.0.0.1 just now. */
    public static int[] free(final int count) throws IOException
    {
        final Set<Integer> taken = new HashSet<>();
        final int[] ports = new int[count];
        for (int i = 0; i < count; i++)
        {
            ports[i] = one(taken);
        }
        return ports;
    }

    private static int one(final Set<Integer> taken) throws IOException
    {
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW);
            if (taken.contains(port))
            {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress()))
            {
                taken.add(port);
                return socket.getLocalPort();
            }
            catch (final IOException inUse)
            {
                // Someone has it: try another.
            }
        }
        throw new IOException("no free loopback port in " + LOWEST + ".." + BELOW + " after 1,000 tries");
    }
}
