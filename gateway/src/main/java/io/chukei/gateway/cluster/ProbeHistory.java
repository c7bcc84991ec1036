package io.chukei.gateway.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last probes of each peer as this node saw them (answered with a state, or missed and why): what a
 * peer's evidence bundle says about a node that stopped answering. Bounded per peer; guarded by the view's lock.
 */
public final class ProbeHistory
{
    /** One probe's result. */
    public record Probe(long epochMs, boolean answered, String detail)
    {
    }

    private final int perPeer;
    private final Map<Integer, ArrayDeque<Probe>> probes = new HashMap<>();

    public ProbeHistory(final int perPeer)
    {
        this.perPeer = perPeer;
    }

    synchronized void add(final int nodeId, final Probe probe)
    {
        final ArrayDeque<Probe> kept = probes.computeIfAbsent(nodeId, id -> new ArrayDeque<>(perPeer));
        if (kept.size() == perPeer)
        {
            kept.pollFirst();
        }
        kept.addLast(probe);
    }

    /** Every peer's kept probes, oldest first. */
    public synchronized Map<Integer, List<Probe>> snapshot()
    {
        final Map<Integer, List<Probe>> copy = new HashMap<>();
        probes.forEach((id, kept) -> copy.put(id, new ArrayList<>(kept)));
        return copy;
    }
}
