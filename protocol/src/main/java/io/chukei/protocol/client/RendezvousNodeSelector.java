package io.chukei.protocol.client;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Picks a municipality's <em>home</em> node by rendezvous (highest-random-weight) hashing: every
 * node gets a score from the municipality code and the node's address, and nodes are tried in
 * descending score. All connectors of a municipality agree on its home node without talking to
 * each other, and removing one node moves only the municipalities whose home it was.
 *
 * <p>A node the session left for a failure (connect failure, missed heartbeats, lost connection,
 * handshake timeout, GoAway, Redirect) is avoided for {@code avoidFor}; the next usable node in
 * score order is chosen. When every node is being avoided, the best-scored one is tried anyway.
 *
 * <p>Score (specified so connectors in other languages agree): 64-bit FNV-1a over the UTF-8 bytes
 * of {@code municipalityCode + "|" + host + ":" + port} (host as written in the node list), then
 * the MurmurHash3 64-bit finaliser; compared as unsigned.
 */
public final class RendezvousNodeSelector implements NodeSelector
{
    private final List<InetSocketAddress> ranked;
    private final long[] avoidUntilMs;
    private final Clock clock;
    private final long avoidForMs;
    private int current = -1;

    public RendezvousNodeSelector(
        final String municipalityCode, final List<InetSocketAddress> nodes, final Clock clock, final Duration avoidFor)
    {
        Objects.requireNonNull(municipalityCode, "municipalityCode");
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.isEmpty())
        {
            throw new IllegalArgumentException("nodes: [] (expected: at least one relay node address)");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.avoidForMs = avoidFor.toMillis();
        final List<InetSocketAddress> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing((InetSocketAddress node) -> score(municipalityCode, node), Long::compareUnsigned)
            .reversed());
        this.ranked = List.copyOf(sorted);
        this.avoidUntilMs = new long[ranked.size()];
    }

    /** The nodes in the order this municipality tries them; the first is its home node. */
    public List<InetSocketAddress> ranking()
    {
        return ranked;
    }

    @Override
    public InetSocketAddress select(final DisconnectReason reason)
    {
        final long nowMs = clock.millis();
        if (current >= 0 && reason != DisconnectReason.NONE)
        {
            avoidUntilMs[current] = nowMs + avoidForMs;
        }
        for (int i = 0; i < ranked.size(); i++)
        {
            if (avoidUntilMs[i] <= nowMs)
            {
                current = i;
                return ranked.get(i);
            }
        }
        // Every node failed recently: try the best one rather than none.
        current = 0;
        return ranked.get(0);
    }

    /** The rendezvous score of {@code node} for {@code municipalityCode}. */
    public static long score(final String municipalityCode, final InetSocketAddress node)
    {
        final byte[] key = (municipalityCode + "|" + node.getHostString() + ":" + node.getPort())
            .getBytes(StandardCharsets.UTF_8);
        long hash = 0xcbf29ce484222325L;
        for (final byte b : key)
        {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }
}
