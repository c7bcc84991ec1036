package io.chukei.protocol.client;

import io.chukei.protocol.sbe.NodeState;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Picks a municipality's <em>home</em> node by rendezvous (highest-random-weight) hashing: every
 * node gets a score from the municipality code and the node's address, and the usable node with
 * the highest score is chosen. All connectors of a municipality agree on its home node without
 * talking to each other, and removing one node moves only the municipalities whose home it was.
 *
 * <p>A node is <em>usable</em> when the latest cluster view that mentions it says
 * {@link NodeState#ACTIVE} (a node no view has mentioned yet counts as usable) and it is not in
 * its local cool-down: a node the session left for a failure ({@link DisconnectReason#isFailure()})
 * is avoided for {@code coolDown}. The view decides for the whole cluster what the relays agree on;
 * the cool-down covers what only this connector saw (a refused connect, a silent node before its
 * peers noticed). When no node is usable, the least recently failed one is tried: the client
 * never stops trying.
 *
 * <p>View entries are matched to the configured nodes by node id once known (the node a session
 * is open with names its own id in Welcome), else by address ({@code host:port}, case-insensitive,
 * host as written in the node list).
 *
 * <p>Score (specified so connectors in other languages agree): 64-bit FNV-1a over the UTF-8 bytes
 * of {@code municipalityCode + "|" + host + ":" + port} (host as written in the node list), then
 * the MurmurHash3 64-bit finaliser; compared as unsigned.
 */
public final class RendezvousNodeSelector implements NodeSelector
{
    private static final int UNKNOWN_ID = Integer.MIN_VALUE;

    private final List<InetSocketAddress> ranked;
    private final String[] addresses;
    private final int[] nodeIds;
    /** The state in the latest view that mentioned the node; null until one does. */
    private final NodeState[] viewStates;
    private final long[] coolUntilMs;
    /** Order of the last failure (0: never failed), for the least-recently-failed fallback. */
    private final long[] lastFailure;
    private final Clock clock;
    private final long coolDownMs;
    private long failures;
    private int current = -1;

    public RendezvousNodeSelector(
        final String municipalityCode, final List<InetSocketAddress> nodes, final Clock clock, final Duration coolDown)
    {
        Objects.requireNonNull(municipalityCode, "municipalityCode");
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.isEmpty())
        {
            throw new IllegalArgumentException("nodes: [] (expected: at least one relay node address)");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.coolDownMs = Objects.requireNonNull(coolDown, "coolDown").toMillis();
        final List<InetSocketAddress> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing((InetSocketAddress node) -> score(municipalityCode, node), Long::compareUnsigned)
            .reversed());
        this.ranked = List.copyOf(sorted);
        this.addresses = new String[ranked.size()];
        for (int i = 0; i < addresses.length; i++)
        {
            addresses[i] = address(ranked.get(i));
        }
        this.nodeIds = new int[ranked.size()];
        Arrays.fill(nodeIds, UNKNOWN_ID);
        this.viewStates = new NodeState[ranked.size()];
        this.coolUntilMs = new long[ranked.size()];
        this.lastFailure = new long[ranked.size()];
    }

    /** The nodes in the order this municipality prefers them; the first is its home node when all are usable. */
    public List<InetSocketAddress> ranking()
    {
        return ranked;
    }

    @Override
    public InetSocketAddress select(final DisconnectReason reason)
    {
        final long nowMs = clock.millis();
        if (current >= 0 && reason.isFailure())
        {
            coolUntilMs[current] = nowMs + coolDownMs;
            lastFailure[current] = ++failures;
        }
        int chosen = firstUsable(nowMs);
        if (chosen < 0)
        {
            chosen = leastRecentlyFailed();
        }
        current = chosen;
        return ranked.get(chosen);
    }

    @Override
    public void viewReceived(final InetSocketAddress source, final int sourceNodeId, final List<ClusterNode> view)
    {
        final int sourceIndex = ranked.indexOf(source);
        if (sourceIndex >= 0)
        {
            bind(sourceIndex, sourceNodeId);
        }
        for (final ClusterNode node : view)
        {
            final int index = indexOf(node);
            if (index >= 0)
            {
                bind(index, node.nodeId());
                viewStates[index] = node.state();
            }
        }
    }

    @Override
    public boolean usable(final InetSocketAddress node)
    {
        final int index = ranked.indexOf(node);
        return index < 0 || usable(index, clock.millis());
    }

    @Override
    public InetSocketAddress home()
    {
        final int index = firstUsable(clock.millis());
        return index < 0 ? null : ranked.get(index);
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

    private boolean usable(final int index, final long nowMs)
    {
        final NodeState state = viewStates[index];
        return (state == null || state == NodeState.ACTIVE) && coolUntilMs[index] <= nowMs;
    }

    private int firstUsable(final long nowMs)
    {
        for (int i = 0; i < ranked.size(); i++)
        {
            if (usable(i, nowMs))
            {
                return i;
            }
        }
        return -1;
    }

    private int leastRecentlyFailed()
    {
        int chosen = 0;
        for (int i = 1; i < ranked.size(); i++)
        {
            if (lastFailure[i] < lastFailure[chosen])
            {
                chosen = i;
            }
        }
        return chosen;
    }

    private int indexOf(final ClusterNode node)
    {
        for (int i = 0; i < nodeIds.length; i++)
        {
            if (nodeIds[i] == node.nodeId())
            {
                return i;
            }
        }
        final String address = node.address().toLowerCase(Locale.ROOT);
        for (int i = 0; i < addresses.length; i++)
        {
            if (addresses[i].equals(address))
            {
                return i;
            }
        }
        return -1;
    }

    /** Node ids are unique: an id seen at a new address (a relay moved) no longer names the old one. */
    private void bind(final int index, final int nodeId)
    {
        for (int i = 0; i < nodeIds.length; i++)
        {
            if (nodeIds[i] == nodeId)
            {
                nodeIds[i] = UNKNOWN_ID;
            }
        }
        nodeIds[index] = nodeId;
    }

    private static String address(final InetSocketAddress node)
    {
        return (node.getHostString() + ":" + node.getPort()).toLowerCase(Locale.ROOT);
    }
}
