package io.chukei.gateway.cluster;

import io.chukei.gateway.health.HealthListener;
import io.chukei.protocol.sbe.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the health monitor's verdicts into this node's self-isolation — unless it is the last
 * ACTIVE node in its view: isolating it would leave connectors nowhere to go, which is worse
 * than a slow node (the same reason upstream ejection never empties the pool).
 */
public final class SelfIsolation implements HealthListener
{
    private static final Logger LOG = LoggerFactory.getLogger(SelfIsolation.class);

    private final NodeStatus status;
    private final ClusterView view;

    public SelfIsolation(final NodeStatus status, final ClusterView view)
    {
        this.status = status;
        this.view = view;
    }

    @Override
    public void unhealthy(final String reason)
    {
        if (activePeers() == 0)
        {
            LOG.warn("Node {} unhealthy ({}) but no peer is ACTIVE: it stays in service", status.nodeId(), reason);
            return;
        }
        // NodeStatus words it "self-isolated: REASON"; prefixing here too doubled it in every view and alert.
        status.selfIsolate(reason);
    }

    @Override
    public void healthy()
    {
        status.selfRecovered();
    }

    private int activePeers()
    {
        int active = 0;
        for (final ClusterMember peer : view.peers())
        {
            if (view.stateOf(peer.id()) == NodeState.ACTIVE)
            {
                active++;
            }
        }
        return active;
    }
}
