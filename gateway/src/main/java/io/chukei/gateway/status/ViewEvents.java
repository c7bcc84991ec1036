package io.chukei.gateway.status;

import io.chukei.gateway.relay.ClusterSnapshot;
import io.chukei.protocol.sbe.NodeState;

import java.util.HashMap;
import java.util.Map;

/**
 * Writes changes of the cluster view into {@link RecentEvents}: this node's own state changes (an
 * operator's action or a self-isolation, with the reason) and each peer's state as this node sees it
 * (SUSPECT, isolated, back to ACTIVE). A ClusterView listener: runs under the view's lock, never blocks.
 */
public final class ViewEvents
{
    private final int selfId;
    private final RecentEvents events;
    private final Map<Integer, NodeState> peers = new HashMap<>();

    /**
     * {@code current}: the view when this starts listening, so that the first change of a peer is told too (without
     * it, a peer seen ACTIVE from the start and isolated later had no state before and made no event).
     */
    public ViewEvents(final int selfId, final RecentEvents events, final ClusterSnapshot current)
    {
        this.selfId = selfId;
        this.events = events;
        for (final ClusterSnapshot.Node node : current.nodes())
        {
            if (node.nodeId() != selfId)
            {
                peers.put(node.nodeId(), node.state());
            }
        }
    }

    public void viewChanged(final ClusterSnapshot view, final NodeState ownBefore, final NodeState ownAfter,
        final String ownReason)
    {
        if (ownBefore != ownAfter)
        {
            events.add(ownReason != null && ownReason.startsWith("self-isolated") ? "self-isolation" : "state",
                "node " + selfId + ": " + ownBefore + " -> " + ownAfter + (ownReason == null || ownReason.isEmpty() ?
                    "" : " (" + ownReason + ")"));
        }
        for (final ClusterSnapshot.Node node : view.nodes())
        {
            if (node.nodeId() == selfId)
            {
                continue;
            }
            final NodeState before = peers.put(node.nodeId(), node.state());
            if (before != null && before != node.state())
            {
                events.add("peer", "node " + node.nodeId() + " seen by node " + selfId + ": " + before + " -> " + node.state());
            }
        }
    }
}
