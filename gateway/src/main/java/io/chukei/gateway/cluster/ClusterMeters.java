package io.chukei.gateway.cluster;

import io.chukei.gateway.metrics.RelayMetrics;
import io.chukei.protocol.sbe.NodeState;
import io.micrometer.core.instrument.Gauge;


/**
 * The cluster as this node sees it, as gauges: {@code chukei_cluster_peer_state{peer,state}} is 1 for the
 * state this node holds for that node (itself included) and 0 for the others, so a hung node shows up
 * as SUSPECT in its <em>peers'</em> metrics while its own scrape fails; and whether this node isolated
 * itself ({@code chukei_cluster_self_isolated}), which an operator's isolation is not.
 */
public final class ClusterMeters
{
    private static final NodeState[] STATES = {NodeState.ACTIVE, NodeState.SUSPECT, NodeState.DRAINING, NodeState.ISOLATED};

    private ClusterMeters()
    {
    }

    public static void bind(final ClusterView view, final NodeStatus own, final RelayMetrics metrics)
    {
        for (final ClusterMember member : view.members())
        {
            for (final NodeState state : STATES)
            {
                Gauge.builder("chukei.cluster.peer.state", () -> view.stateOf(member.id()) == state ? 1 : 0)
                    .description("1 for the state this node holds for node `peer` (itself included), else 0")
                    .tag("peer", Integer.toString(member.id()))
                    .tag("state", state.name())
                    .register(metrics.registry());
            }
        }
        // Counted at the change, so a self-isolation shorter than a scrape interval is still seen (the alert uses it).
        final java.util.concurrent.atomic.AtomicLong selfIsolations = new java.util.concurrent.atomic.AtomicLong();
        own.addListener((before, after, reason) ->
        {
            if (after == NodeState.ISOLATED && before != NodeState.ISOLATED && own.selfIsolation() != null)
            {
                selfIsolations.incrementAndGet();
            }
        });
        metrics.functionCounter("chukei.cluster.self.isolations",
            "Times this node isolated itself (health checks failed); an operator's isolation is not counted",
            selfIsolations, java.util.concurrent.atomic.AtomicLong::get);
        metrics.gauge("chukei.cluster.self.isolated",
            "1 while this node's health monitor keeps it isolated (an operator's isolation is not counted here)",
            () -> own.selfIsolation() == null ? 0 : 1);
    }
}
