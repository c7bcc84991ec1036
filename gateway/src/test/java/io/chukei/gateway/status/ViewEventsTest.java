package io.chukei.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.chukei.gateway.relay.ClusterSnapshot;
import io.chukei.protocol.sbe.NodeState;

class ViewEventsTest
{
    private final RecentEvents events = new RecentEvents(Clock.systemUTC(), 10);

    /**
     * A peer ACTIVE from the start and isolated later: the first change the listener hears is that one, and it is an
     * event (it was not when the listener knew no state before its first call: the status page showed "none
     * recorded").
     */
    @Test
    void theFirstChangeOfAPeerSeenActiveFromTheStartIsAnEvent()
    {
        final ViewEvents view = new ViewEvents(1, events, snapshot(NodeState.ACTIVE, NodeState.ACTIVE));

        view.viewChanged(snapshot(NodeState.ACTIVE, NodeState.ISOLATED), NodeState.ACTIVE, NodeState.ACTIVE, null);

        assertThat(events.list()).extracting(RecentEvents.Event::text)
            .containsExactly("node 2 seen by node 1: ACTIVE -> ISOLATED");
    }

    @Test
    void aChangeOfAddressOnlyIsNoEvent()
    {
        final ViewEvents view = new ViewEvents(1, events, snapshot(NodeState.ACTIVE, NodeState.SUSPECT));

        view.viewChanged(snapshot(NodeState.ACTIVE, NodeState.SUSPECT), NodeState.ACTIVE, NodeState.ACTIVE, null);

        assertThat(events.list()).isEmpty();
    }

    private static ClusterSnapshot snapshot(final NodeState self, final NodeState peer)
    {
        return new ClusterSnapshot(List.of(new ClusterSnapshot.Node(1, self, "127.0.0.1:7401"),
            new ClusterSnapshot.Node(2, peer, "127.0.0.1:7402")));
    }
}
