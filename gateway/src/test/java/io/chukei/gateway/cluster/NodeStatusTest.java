package io.chukei.gateway.cluster;

import io.chukei.protocol.sbe.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** This node's own state: operator actions (persisted), self-isolation from health, and what listeners hear. */
class NodeStatusTest
{
    private static final int NODE = 2;

    @TempDir
    Path dataDir;

    private final List<String> changes = new ArrayList<>();

    @Test
    void aNodeWithNoRecordedActionStartsActive() throws IOException
    {
        final NodeStatus status = status();

        assertThat(status.state()).isEqualTo(NodeState.ACTIVE);
        assertThat(status.reason()).isEmpty();
        assertThat(status.operator()).isEqualTo(OperatorAction.NONE);
    }

    @Test
    void anOperatorIsolationIsPersistedAndSurvivesARestart() throws IOException
    {
        status().operatorAction(OperatorAction.ISOLATED, "disk replaced");

        final NodeStatus restarted = status();

        assertThat(restarted.state()).isEqualTo(NodeState.ISOLATED);
        assertThat(restarted.reason()).isEqualTo("operator isolated: disk replaced");
        assertThat(Files.readString(dataDir.resolve(OperatorActions.FILE_NAME)))
            .contains("node.2.action=isolated").contains("node.2.reason=disk replaced");
    }

    @Test
    void aReleaseIsPersistedToo() throws IOException
    {
        final NodeStatus status = status();
        status.operatorAction(OperatorAction.DRAINING, "");
        status.operatorAction(OperatorAction.NONE, "");

        assertThat(status().state()).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void drainingIsItsOwnState() throws IOException
    {
        final NodeStatus status = status();

        status.operatorAction(OperatorAction.DRAINING, "upgrade");

        assertThat(status.state()).isEqualTo(NodeState.DRAINING);
        assertThat(changes).containsExactly("ACTIVE->DRAINING operator drain: upgrade");
    }

    @Test
    void aSelfIsolationEndsWhenHealthRecovers() throws IOException
    {
        final NodeStatus status = status();

        status.selfIsolate("event-loop lag 800 ms");
        assertThat(status.state()).isEqualTo(NodeState.ISOLATED);
        status.selfRecovered();

        assertThat(status.state()).isEqualTo(NodeState.ACTIVE);
        assertThat(changes).containsExactly("ACTIVE->ISOLATED self-isolated: event-loop lag 800 ms", "ISOLATED->ACTIVE ");
    }

    @Test
    void aSelfIsolationIsNotPersisted() throws IOException
    {
        status().selfIsolate("event-loop lag 800 ms");

        assertThat(status().state()).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void recoveringHealthDoesNotEndAnOperatorIsolation() throws IOException
    {
        final NodeStatus status = status();
        status.operatorAction(OperatorAction.ISOLATED, "");
        status.selfIsolate("journal append 1500 ms");

        status.selfRecovered();

        assertThat(status.state()).isEqualTo(NodeState.ISOLATED);
        assertThat(status.reason()).isEqualTo("operator isolated");
    }

    @Test
    void anOperatorReleaseDoesNotEndASelfIsolation() throws IOException
    {
        final NodeStatus status = status();
        status.selfIsolate("woke after a stall of 4000 ms");
        status.operatorAction(OperatorAction.ISOLATED, "");

        status.operatorAction(OperatorAction.NONE, "");

        assertThat(status.state()).isEqualTo(NodeState.ISOLATED);
        assertThat(status.reason()).isEqualTo("self-isolated: woke after a stall of 4000 ms");
    }

    @Test
    void aSecondIsolationChangesNothingListenersHear() throws IOException
    {
        final NodeStatus status = status();
        status.operatorAction(OperatorAction.ISOLATED, "");

        status.selfIsolate("lag");

        assertThat(changes).hasSize(1);
    }

    private NodeStatus status() throws IOException
    {
        final NodeStatus status = new NodeStatus(NODE, OperatorActions.load(dataDir));
        changes.clear();
        status.addListener((before, after, reason) -> changes.add(before + "->" + after + " " + reason));
        return status;
    }
}
