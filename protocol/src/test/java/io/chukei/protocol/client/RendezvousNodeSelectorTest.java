package io.chukei.protocol.client;

import io.chukei.protocol.sbe.NodeState;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RendezvousNodeSelectorTest
{
    private static final List<InetSocketAddress> NODES = List.of(
        InetSocketAddress.createUnresolved("127.0.0.1", 7401),
        InetSocketAddress.createUnresolved("127.0.0.1", 7402),
        InetSocketAddress.createUnresolved("127.0.0.1", 7403));

    private final MutableClock clock = new MutableClock();

    @Test
    void everyConnectorOfAMunicipalityAgreesOnItsHomeWhateverTheListOrder()
    {
        final List<InetSocketAddress> reversed = new ArrayList<>(NODES);
        java.util.Collections.reverse(reversed);

        assertThat(selector("131016", NODES).ranking()).isEqualTo(selector("131016", reversed).ranking());
    }

    @Test
    void homesSpreadOverTheNodes()
    {
        final Map<InetSocketAddress, Integer> homes = new HashMap<>();
        for (int code = 10000; code < 11741; code++)
        {
            homes.merge(selector(Integer.toString(code) + "0", NODES).ranking().get(0), 1, Integer::sum);
        }

        assertThat(homes).hasSize(3).allSatisfy((node, count) -> assertThat(count).isBetween(480, 680));
    }

    @Test
    void removingANodeMovesOnlyTheMunicipalitiesWhoseHomeItWas()
    {
        int moved = 0;
        for (int code = 10000; code < 11741; code++)
        {
            final String municipality = Integer.toString(code) + "0";
            final InetSocketAddress before = selector(municipality, NODES).ranking().get(0);
            final InetSocketAddress after = selector(municipality, NODES.subList(0, 2)).ranking().get(0);
            if (!before.equals(after))
            {
                assertThat(before).isEqualTo(NODES.get(2));
                moved++;
            }
        }
        assertThat(moved).isPositive();
    }

    @Test
    void aFailedNodeIsAvoidedUntilItsCoolDownEndsThenHomeIsTriedAgain()
    {
        final RendezvousNodeSelector selector = selector("131016", NODES);
        final List<InetSocketAddress> ranking = selector.ranking();

        assertThat(selector.select(DisconnectReason.NONE)).isEqualTo(ranking.get(0));
        assertThat(selector.select(DisconnectReason.MISSED_HEARTBEATS)).isEqualTo(ranking.get(1));
        assertThat(selector.select(DisconnectReason.CONNECT_FAILED)).isEqualTo(ranking.get(2));

        clock.advance(Duration.ofSeconds(31));
        assertThat(selector.select(DisconnectReason.GO_AWAY)).isEqualTo(ranking.get(0));
    }

    @Test
    void whenEveryNodeFailedRecentlyTheBestOneIsTriedRatherThanNone()
    {
        final RendezvousNodeSelector selector = selector("131016", NODES);
        selector.select(DisconnectReason.NONE);
        selector.select(DisconnectReason.CONNECT_FAILED);
        selector.select(DisconnectReason.CONNECT_FAILED);

        assertThat(selector.select(DisconnectReason.CONNECT_FAILED)).isEqualTo(selector.ranking().get(0));
    }

    @Test
    void aNodeNotActiveInTheLatestViewIsSkippedUntilAViewSaysActiveAgain()
    {
        final RendezvousNodeSelector selector = selector("131016", NODES);
        final List<InetSocketAddress> ranking = selector.ranking();

        for (final NodeState notServing : List.of(NodeState.SUSPECT, NodeState.DRAINING, NodeState.ISOLATED))
        {
            selector.viewReceived(ranking.get(1), 2, List.of(entry(7, notServing, ranking.get(0))));
            assertThat(selector.home()).as("home while %s", notServing).isEqualTo(ranking.get(1));
            assertThat(selector.usable(ranking.get(0))).isFalse();
            assertThat(selector.select(DisconnectReason.NONE)).isEqualTo(ranking.get(1));
        }

        selector.viewReceived(ranking.get(1), 2, List.of(entry(7, NodeState.ACTIVE, ranking.get(0))));
        assertThat(selector.home()).isEqualTo(ranking.get(0));
    }

    @Test
    void nodesNoViewHasMentionedCountAsUsable()
    {
        final RendezvousNodeSelector selector = selector("131016", NODES);
        final List<InetSocketAddress> ranking = selector.ranking();

        selector.viewReceived(ranking.get(2), 3, List.of(entry(3, NodeState.ACTIVE, ranking.get(2))));

        assertThat(selector.home()).isEqualTo(ranking.get(0));
        assertThat(ranking).allSatisfy(node -> assertThat(selector.usable(node)).isTrue());
    }

    @Test
    void viewEntriesMatchTheNodeByIdOnceItNamedItselfWhateverAddressTheViewWrites()
    {
        final RendezvousNodeSelector selector = selector("131016", NODES);
        final List<InetSocketAddress> ranking = selector.ranking();
        selector.viewReceived(ranking.get(0), 5, List.of());

        selector.viewReceived(ranking.get(1), 6, List.of(new ClusterNode(5, NodeState.ISOLATED, "relay-a.example:7400")));

        assertThat(selector.usable(ranking.get(0))).isFalse();
    }

    @Test
    void aRebalanceIsNotAFailureAndPutsNoNodeInCoolDown()
    {
        final RendezvousNodeSelector selector = selector("131016", NODES);
        final List<InetSocketAddress> ranking = selector.ranking();
        selector.select(DisconnectReason.NONE);

        selector.select(DisconnectReason.REBALANCE);

        assertThat(ranking).allSatisfy(node -> assertThat(selector.usable(node)).isTrue());
    }

    @Test
    void whenNoNodeIsUsableThereIsNoHomeAndTheLeastRecentlyFailedNodeIsTried()
    {
        final RendezvousNodeSelector selector = selector("131016", NODES);
        final List<InetSocketAddress> ranking = selector.ranking();
        selector.viewReceived(ranking.get(1), 2,
            List.of(entry(1, NodeState.SUSPECT, ranking.get(0)), entry(2, NodeState.ACTIVE, ranking.get(1)),
                entry(3, NodeState.ACTIVE, ranking.get(2))));
        assertThat(selector.select(DisconnectReason.NONE)).isEqualTo(ranking.get(1));
        assertThat(selector.select(DisconnectReason.ATTEMPT_TIMEOUT)).isEqualTo(ranking.get(2));

        // The third fails too: the second failed longer ago than the third, and the first never, but is suspect.
        final InetSocketAddress fallback = selector.select(DisconnectReason.CONNECT_FAILED);

        assertThat(selector.home()).isNull();
        assertThat(fallback).isEqualTo(ranking.get(0));
        assertThat(selector.select(DisconnectReason.CONNECT_FAILED)).isEqualTo(ranking.get(1));
    }

    private static ClusterNode entry(final int nodeId, final NodeState state, final InetSocketAddress node)
    {
        return new ClusterNode(nodeId, state, node.getHostString() + ":" + node.getPort());
    }

    private RendezvousNodeSelector selector(final String municipality, final List<InetSocketAddress> nodes)
    {
        return new RendezvousNodeSelector(municipality, nodes, clock, Duration.ofSeconds(30));
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock
    {
        private Instant now = Instant.parse("2026-11-30T00:00:00Z");

        void advance(final Duration duration)
        {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone)
        {
            return this;
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }
}
