package io.chukei.gateway.cluster;

import io.chukei.protocol.sbe.NodeState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Node 1 of three turns health verdicts into self-isolation, never as the last ACTIVE node. */
class SelfIsolationTest
{
    private static final List<ClusterMember> CLUSTER = ClusterMember.parseList("cluster.nodes",
        "1@127.0.0.1:7400/127.0.0.1:7500,2@127.0.0.1:7410/127.0.0.1:7510,3@127.0.0.1:7420/127.0.0.1:7520");

    @TempDir
    Path dataDir;

    private NodeStatus own;
    private ClusterView view;
    private SelfIsolation selfIsolation;

    @BeforeEach
    void nodeOne() throws IOException
    {
        final OperatorActions actions = OperatorActions.load(dataDir);
        own = new NodeStatus(1, actions);
        view = new ClusterView(CLUSTER, own, actions, 1, Clock.fixed(Instant.parse("2026-11-30T01:00:00Z"), ZoneOffset.UTC));
        selfIsolation = new SelfIsolation(own, view);
    }

    @Test
    void anUnhealthyNodeIsolatesItselfAndRejoinsWhenHealthy()
    {
        selfIsolation.unhealthy("event-loop lag 812 ms (bound 500 ms)");

        assertThat(own.state()).isEqualTo(NodeState.ISOLATED);
        assertThat(own.reason()).startsWith("self-isolated: event-loop lag 812 ms");
        assertThat(view.stateOf(1)).isEqualTo(NodeState.ISOLATED);

        selfIsolation.healthy();

        assertThat(own.state()).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void theLastActiveNodeStaysInService()
    {
        view.probeMissed(2, "connection refused");
        view.probeAnswered(3, NodeState.ISOLATED, "operator");

        selfIsolation.unhealthy("woke after a stall of 5000 ms");

        assertThat(own.state()).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void healthDoesNotEndAnOperatorsIsolation()
    {
        own.operatorAction(OperatorAction.ISOLATED, "maintenance");
        selfIsolation.unhealthy("journal append 1500 ms (bound 1000 ms)");

        selfIsolation.healthy();

        assertThat(own.state()).isEqualTo(NodeState.ISOLATED);
        assertThat(own.operator()).isEqualTo(OperatorAction.ISOLATED);
    }
}
