package io.chukei.gateway.cluster;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.relay.ClusterSnapshot;
import io.chukei.protocol.sbe.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This node's view of every node in the cluster list, the one connectors get in Welcome,
 * ClusterView, Redirect and GoAway.
 *
 * <ul>
 *   <li>This node: its own {@link NodeStatus}.</li>
 *   <li>A peer: ISOLATED when an operator isolated it here (persisted); else SUSPECT after
 *       {@code suspectAfterMissed} probes in a row went unanswered (a hung node cannot speak for
 *       itself); else the more severe of what it says of itself and an operator drain recorded
 *       here. A peer counts as ACTIVE until probes say otherwise: the static list is the
 *       operator's word that it serves, and suspicion needs evidence.</li>
 * </ul>
 *
 * Listeners run under the view's lock, in change order, and must not block (they queue work
 * on event loops). Never call into {@link NodeStatus}'s changing methods while holding it.
 */
public final class ClusterView
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

    /** Told about every change of any node's state (or address), with this node's own change, if any. */
    @FunctionalInterface
    public interface Listener
    {
        void viewChanged(ClusterSnapshot view, NodeState ownBefore, NodeState ownAfter, String ownReason);
    }

    /** What probes said of one peer. */
    private static final class Probes
    {
        NodeState reported = NodeState.ACTIVE;
        String reportedReason = "";
        int missed;
        long lastAnsweredEpochMs = -1;
        String lastMiss = "";
    }

    private final int selfId;
    private final NodeStatus own;
    private final OperatorActions actions;
    private final int suspectAfterMissed;
    private final Clock clock;
    private final Map<Integer, ClusterMember> members = new LinkedHashMap<>();
    private final Map<Integer, Probes> probes = new LinkedHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** 40 probes: 10 s at the default 250 ms interval, the span in which a peer is declared SUSPECT and acted on. */
    private final ProbeHistory history = new ProbeHistory(40);
    private NodeState ownState;
    private volatile ClusterSnapshot snapshot;

    public ClusterView(
        final List<ClusterMember> cluster,
        final NodeStatus own,
        final OperatorActions actions,
        final int suspectAfterMissed,
        final Clock clock)
    {
        this.selfId = own.nodeId();
        this.own = own;
        this.actions = actions;
        this.suspectAfterMissed = suspectAfterMissed;
        this.clock = clock;
        for (final ClusterMember member : cluster)
        {
            members.put(member.id(), member);
            if (member.id() != selfId)
            {
                probes.put(member.id(), new Probes());
            }
        }
        if (!members.containsKey(selfId))
        {
            throw new IllegalArgumentException("cluster: " + cluster + " (expected: a list that contains this node, " +
                selfId + ")");
        }
        synchronized (this)
        {
            ownState = own.state();
            snapshot = compute(ownState);
        }
        own.addListener((before, after, reason) -> refresh());
    }

    /** The current view; a volatile read. */
    /** The last probes of each peer (evidence bundles). */
    public ProbeHistory probeHistory()
    {
        return history;
    }

    public ClusterSnapshot snapshot()
    {
        return snapshot;
    }

    public int selfId()
    {
        return selfId;
    }

    public void addListener(final Listener listener)
    {
        listeners.add(listener);
    }

    public synchronized boolean isMember(final int nodeId)
    {
        return members.containsKey(nodeId);
    }

    public synchronized List<ClusterMember> members()
    {
        return List.copyOf(members.values());
    }

    public synchronized List<ClusterMember> peers()
    {
        final List<ClusterMember> peers = new ArrayList<>(members.values());
        peers.removeIf(member -> member.id() == selfId);
        return peers;
    }

    /** A node's state in this view; null when it is not a member. */
    public synchronized NodeState stateOf(final int nodeId)
    {
        if (nodeId == selfId)
        {
            return own.state();
        }
        final Probes p = probes.get(nodeId);
        return p == null ? null : peerState(nodeId, p);
    }

    /**
     * Once the listeners are bound: a port 0 in this node's own entry becomes the bound port (tests and
     * single-node set-ups bind to any free port).
     */
    public synchronized void selfBound(final int connectorPort, final int adminPort)
    {
        final ClusterMember self = members.get(selfId);
        final HostPort connector = self.connector().port() == 0 ? new HostPort(self.connector().host(), connectorPort) :
            self.connector();
        final HostPort admin = self.admin().port() == 0 ? new HostPort(self.admin().host(), adminPort) : self.admin();
        members.put(selfId, new ClusterMember(selfId, connector, admin));
        changed(ownState);
    }

    /** A peer answered its probe with its own state. */
    public synchronized void probeAnswered(final int nodeId, final NodeState reported, final String reason)
    {
        final Probes p = probes.get(nodeId);
        if (p == null)
        {
            return;
        }
        p.reported = reported == NodeState.SUSPECT ? NodeState.ACTIVE : reported;
        p.reportedReason = reason == null ? "" : reason;
        p.missed = 0;
        p.lastAnsweredEpochMs = clock.millis();
        history.add(nodeId, new ProbeHistory.Probe(p.lastAnsweredEpochMs, true, String.valueOf(reported)));
        changed(ownState);
    }

    /** A peer's probe failed or timed out; {@code why} says how. */
    public synchronized void probeMissed(final int nodeId, final String why)
    {
        final Probes p = probes.get(nodeId);
        if (p == null)
        {
            return;
        }
        p.missed++;
        p.lastMiss = why;
        history.add(nodeId, new ProbeHistory.Probe(clock.millis(), false, why));
        changed(ownState);
    }

    /**
     * An operator's isolate, drain or release (NONE) of a peer, recorded here and persisted. For this
     * node itself use {@link NodeStatus#operatorAction}. Returns the entry it replaced.
     */
    public synchronized OperatorActions.Entry overridePeer(final int nodeId, final OperatorAction action, final String reason)
    {
        if (!probes.containsKey(nodeId))
        {
            throw new IllegalArgumentException("node: " + nodeId + " (expected: a peer of node " + selfId + ", one of " +
                probes.keySet() + ")");
        }
        final OperatorActions.Entry before = actions.record(nodeId, action, reason);
        changed(ownState);
        return before;
    }

    /** {@code GET /cluster}: this node's id and every node it knows of. */
    @JsonPropertyOrder({"node", "nodes"})
    public record ViewJson(int node, List<NodeJson> nodes)
    {
    }

    /** One node in {@code GET /cluster}; {@code lastProbeMs} is null for this node and for a peer never answered. */
    @JsonPropertyOrder({"id", "connector", "admin", "state", "lastProbeMs", "missedProbes", "operator", "reason"})
    public record NodeJson(int id, String connector, String admin, String state, Long lastProbeMs, int missedProbes,
        String operator, String reason)
    {
    }

    /** {@code GET /cluster}: every node with its addresses, state, probe record, operator action and reason. */
    public String json()
    {
        return Json.write(view());
    }

    /** The view as {@code GET /cluster} shows it. */
    public synchronized ViewJson view()
    {
        final List<NodeJson> nodes = new ArrayList<>(members.size());
        for (final ClusterMember member : members.values())
        {
            final Probes p = probes.get(member.id());
            final OperatorActions.Entry operator = actions.get(member.id());
            nodes.add(new NodeJson(member.id(), member.connector().toString(), member.admin().toString(),
                (p == null ? own.state() : peerState(member.id(), p)).name(),
                p == null || p.lastAnsweredEpochMs < 0 ? null : p.lastAnsweredEpochMs,
                p == null ? 0 : p.missed,
                operator.action().label(),
                p == null ? own.reason() : peerReason(member.id(), p)));
        }
        return new ViewJson(selfId, nodes);
    }

    private void refresh()
    {
        synchronized (this)
        {
            changed(ownState);
        }
    }

    /** Recomputes; tells the listeners when any state or address changed. Caller holds the lock. */
    private void changed(final NodeState ownBefore)
    {
        // Own state read once, before the snapshot: read again after it, a change in between (an isolation on
        // another thread) would reach the listeners with a view that still shows this node ACTIVE.
        final NodeState ownAfter = own.state();
        final ClusterSnapshot next = compute(ownAfter);
        ownState = ownAfter;
        if (next.nodes().equals(snapshot.nodes()) && ownBefore == ownAfter)
        {
            return;
        }
        logPeerChanges(snapshot, next);
        snapshot = next;
        for (final Listener listener : listeners)
        {
            listener.viewChanged(next, ownBefore, ownAfter, own.reason());
        }
    }

    /**
     * What this node sees of its peers, in its own log: a peer going SUSPECT, isolated or drained and coming
     * back ACTIVE is the first sign of a hung or cut-off node, and the on-duty operator reads it here.
     */
    private void logPeerChanges(final ClusterSnapshot before, final ClusterSnapshot after)
    {
        for (final ClusterSnapshot.Node node : after.nodes())
        {
            final Probes p = probes.get(node.nodeId());
            if (p == null)
            {
                continue;
            }
            final NodeState was = stateIn(before, node.nodeId());
            if (was != null && was != node.state())
            {
                final String reason = peerReason(node.nodeId(), p);
                if (node.state() == NodeState.ACTIVE)
                {
                    LOG.atInfo().addKeyValue("event", "peer-state")
                        .log("Node {} sees peer {}: {} -> ACTIVE{}", selfId, node.nodeId(), was,
                            reason.isEmpty() ? "" : " (" + reason + ")");
                }
                else
                {
                    LOG.atWarn().addKeyValue("event", "peer-state")
                        .log("Node {} sees peer {}: {} -> {} ({})", selfId, node.nodeId(), was, node.state(), reason);
                }
            }
        }
    }

    private static NodeState stateIn(final ClusterSnapshot view, final int nodeId)
    {
        for (final ClusterSnapshot.Node node : view.nodes())
        {
            if (node.nodeId() == nodeId)
            {
                return node.state();
            }
        }
        return null;
    }

    private ClusterSnapshot compute(final NodeState ownNow)
    {
        final List<ClusterSnapshot.Node> nodes = new ArrayList<>(members.size());
        for (final ClusterMember member : members.values())
        {
            final Probes p = probes.get(member.id());
            nodes.add(new ClusterSnapshot.Node(member.id(), p == null ? ownNow : peerState(member.id(), p),
                member.connector().toString()));
        }
        return new ClusterSnapshot(nodes);
    }

    private NodeState peerState(final int nodeId, final Probes p)
    {
        final OperatorAction operator = actions.get(nodeId).action();
        if (operator == OperatorAction.ISOLATED)
        {
            return NodeState.ISOLATED;
        }
        if (p.missed >= suspectAfterMissed)
        {
            return NodeState.SUSPECT;
        }
        return severity(p.reported) >= severity(operator.state()) ? p.reported : operator.state();
    }

    private String peerReason(final int nodeId, final Probes p)
    {
        final OperatorActions.Entry operator = actions.get(nodeId);
        final NodeState state = peerState(nodeId, p);
        if (state == operator.action().state() && operator.action() != OperatorAction.NONE)
        {
            return (operator.action() == OperatorAction.ISOLATED ? "isolated" : "drained") + " by an operator on node " +
                selfId + (operator.reason().isBlank() ? "" : ": " + operator.reason());
        }
        if (state == NodeState.SUSPECT)
        {
            return p.missed + " probes missed in a row; last: " + p.lastMiss;
        }
        return p.reportedReason;
    }

    private static int severity(final NodeState state)
    {
        switch (state)
        {
            case ISOLATED: return 2;
            case DRAINING: return 1;
            default: return 0;
        }
    }
}
