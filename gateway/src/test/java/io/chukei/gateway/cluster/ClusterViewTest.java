package io.chukei.gateway.cluster;

import io.chukei.gateway.relay.ClusterSnapshot;
import io.chukei.protocol.sbe.NodeState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Node 1's view of a three-node cluster: probes, peers' own word, operator overrides, listeners. */
class ClusterViewTest
{
    private static final int SUSPECT_AFTER = 3;
    private static final List<ClusterMember> CLUSTER = ClusterMember.parseList("cluster.nodes",
        "1@127.0.0.1:7400/127.0.0.1:7500,2@127.0.0.1:7410/127.0.0.1:7510,3@127.0.0.1:7420/127.0.0.1:7520");

    @TempDir
    Path dataDir;

    private final List<ClusterSnapshot> pushed = new ArrayList<>();
    private final List<String> ownChanges = new ArrayList<>();
    private NodeStatus own;
    private ClusterView view;

    @BeforeEach
    void nodeOne() throws IOException
    {
        view = view();
    }

    @Test
    void everyNodeStartsActiveWithItsConnectorAddress()
    {
        assertThat(view.snapshot().nodes()).containsExactly(
            new ClusterSnapshot.Node(1, NodeState.ACTIVE, "127.0.0.1:7400"),
            new ClusterSnapshot.Node(2, NodeState.ACTIVE, "127.0.0.1:7410"),
            new ClusterSnapshot.Node(3, NodeState.ACTIVE, "127.0.0.1:7420"));
    }

    @Test
    void aPeerIsSuspectOnlyAfterSuspectAfterMissedProbesInARow()
    {
        miss(2, SUSPECT_AFTER - 1);
        assertThat(view.stateOf(2)).isEqualTo(NodeState.ACTIVE);
        assertThat(pushed).isEmpty();

        miss(2, 1);

        assertThat(view.stateOf(2)).isEqualTo(NodeState.SUSPECT);
        assertThat(pushed).hasSize(1);
        assertThat(pushed.get(0).state(1)).isEqualTo(NodeState.SUSPECT);
    }

    @Test
    void anAnswerInBetweenStartsTheCountAgain()
    {
        miss(2, SUSPECT_AFTER - 1);
        view.probeAnswered(2, NodeState.ACTIVE, "");
        miss(2, SUSPECT_AFTER - 1);

        assertThat(view.stateOf(2)).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void aSuspectPeerThatAnswersAgainIsWhatItSaysItIs()
    {
        miss(3, SUSPECT_AFTER);

        view.probeAnswered(3, NodeState.ISOLATED, "self-isolated: woke after a stall of 5000 ms");

        assertThat(view.stateOf(3)).isEqualTo(NodeState.ISOLATED);
        assertThat(view.json()).contains("\"id\":3").contains("\"reason\":\"self-isolated: woke after a stall of 5000 ms\"");
        assertThat(pushed).extracting(snapshot -> snapshot.state(2)).containsExactly(NodeState.SUSPECT, NodeState.ISOLATED);
    }

    @Test
    void aPeerThatSaysItDrainsIsDraining()
    {
        view.probeAnswered(2, NodeState.DRAINING, "operator drain");

        assertThat(view.stateOf(2)).isEqualTo(NodeState.DRAINING);
    }

    @Test
    void anOperatorIsolationOfAPeerHoldsEvenWhileThePeerSaysItIsActive()
    {
        view.overridePeer(2, OperatorAction.ISOLATED, "hung");
        view.probeAnswered(2, NodeState.ACTIVE, "");

        assertThat(view.stateOf(2)).isEqualTo(NodeState.ISOLATED);
        assertThat(view.json()).contains("\"operator\":\"isolated\"").contains("isolated by an operator on node 1: hung");
    }

    @Test
    void anOperatorIsolationOfAPeerOutranksSuspicion()
    {
        miss(2, SUSPECT_AFTER);

        view.overridePeer(2, OperatorAction.ISOLATED, "");

        assertThat(view.stateOf(2)).isEqualTo(NodeState.ISOLATED);
    }

    @Test
    void anOverrideOfAPeerSurvivesARestartUntilReleased() throws IOException
    {
        view.overridePeer(3, OperatorAction.DRAINING, "");
        assertThat(view().stateOf(3)).isEqualTo(NodeState.DRAINING);

        view.overridePeer(3, OperatorAction.NONE, "");

        assertThat(view().stateOf(3)).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void anOverrideIsOnlyForPeers()
    {
        assertThatThrownBy(() -> view.overridePeer(1, OperatorAction.ISOLATED, ""))
            .hasMessage("node: 1 (expected: a peer of node 1, one of [2, 3])");
    }

    @Test
    void thisNodesOwnChangeIsToldWithTheViewThatShowsIt()
    {
        own.operatorAction(OperatorAction.ISOLATED, "maintenance");

        assertThat(ownChanges).containsExactly("ACTIVE->ISOLATED operator isolated: maintenance");
        assertThat(pushed).hasSize(1);
        assertThat(pushed.get(0).state(0)).isEqualTo(NodeState.ISOLATED);
        assertThat(view.snapshot().state(0)).isEqualTo(NodeState.ISOLATED);
    }

    @Test
    void aPortZeroInThisNodesEntryBecomesTheBoundPort() throws IOException
    {
        final NodeStatus alone = new NodeStatus(5, OperatorActions.load(dataDir));
        final ClusterView single = new ClusterView(ClusterMember.parseList("cluster.nodes", "5@127.0.0.1:0/127.0.0.1:0"),
            alone, OperatorActions.load(dataDir), SUSPECT_AFTER, Clock.systemUTC());

        single.selfBound(40100, 40200);

        assertThat(single.snapshot().address(0)).isEqualTo("127.0.0.1:40100");
        assertThat(single.json()).contains("\"admin\":\"127.0.0.1:40200\"");
    }

    @Test
    void aListWithoutThisNodeIsAConfigurationError() throws IOException
    {
        final NodeStatus stranger = new NodeStatus(9, OperatorActions.load(dataDir));

        assertThatThrownBy(() -> new ClusterView(CLUSTER, stranger, OperatorActions.load(dataDir), SUSPECT_AFTER,
            Clock.systemUTC())).hasMessageContaining("expected: a list that contains this node, 9");
    }

    private void miss(final int node, final int times)
    {
        for (int i = 0; i < times; i++)
        {
            view.probeMissed(node, "no answer within 250 ms");
        }
    }

    private ClusterView view() throws IOException
    {
        final OperatorActions actions = OperatorActions.load(dataDir);
        own = new NodeStatus(1, actions);
        final ClusterView next = new ClusterView(CLUSTER, own, actions, SUSPECT_AFTER,
            Clock.fixed(Instant.parse("2026-11-30T01:00:00Z"), ZoneOffset.UTC));
        pushed.clear();
        next.addListener((snapshot, ownBefore, ownAfter, ownReason) ->
        {
            pushed.add(snapshot);
            if (ownBefore != ownAfter)
            {
                ownChanges.add(ownBefore + "->" + ownAfter + " " + ownReason);
            }
        });
        return next;
    }
}
