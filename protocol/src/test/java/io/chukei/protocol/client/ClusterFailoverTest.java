package io.chukei.protocol.client;

import io.chukei.protocol.sbe.NodeState;
import io.chukei.protocol.sbe.Operation;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover of the SDK across three fake relays on 127.0.0.1: the home node by rendezvous
 * hashing, a move on each trigger with every unresolved request resubmitted under the same id,
 * and the lazy return home.
 */
@Tag("system")
@Timeout(30)
class ClusterFailoverTest
{
    private static final String MUNICIPALITY = "131016";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<FakeRelay> relays = new ArrayList<>();
    /** The relays in the order {@link #MUNICIPALITY} prefers them: home first. */
    private FakeRelay home;
    private FakeRelay second;
    private FakeRelay third;

    @BeforeEach
    void startThreeRelays()
    {
        for (int nodeId = 1; nodeId <= 3; nodeId++)
        {
            final FakeRelay relay = new FakeRelay(nodeId);
            resources.add(relay);
            relays.add(relay);
        }
        final List<FakeRelay> ranked = ranked(MUNICIPALITY);
        home = ranked.get(0);
        second = ranked.get(1);
        third = ranked.get(2);
    }

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
    }

    @Test
    void eachMunicipalityIsServedByItsHomeNodeAndHomesSpreadOverTheNodes() throws Exception
    {
        final EventLoopGroup shared = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        resources.add(() -> shared.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        final Set<Integer> servingNodes = new HashSet<>();

        for (int code = 100000; code < 100030; code++)
        {
            final String municipality = Integer.toString(code);
            final int expectedHome = ranked(municipality).get(0).nodeId;
            for (int connector = 0; connector < 2; connector++)
            {
                final ConnectorClient client = client(municipality, builder -> builder.eventLoopGroup(shared));
                final Answer answer = client.submit(cardStatus()).get(10, TimeUnit.SECONDS);
                assertThat(answer.nodeId()).as("municipality %s, connector %d", municipality, connector)
                    .isEqualTo(expectedHome);
                servingNodes.add(answer.nodeId());
            }
        }

        assertThat(servingNodes).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void goAwayMovesTheAcceptedRequestToTheNextNodeWithTheSameIdAsPossibleDuplicate() throws Exception
    {
        home.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(MUNICIPALITY, builder -> builder);
        final Submission submission = client.send(cardStatus());
        assertThat(submission.accepted().get(10, TimeUnit.SECONDS).orElseThrow().nodeId()).isEqualTo(home.nodeId);
        home.nextSubmit();

        home.sendGoAway(view(NodeState.DRAINING, NodeState.ACTIVE, NodeState.ACTIVE)).get(10, TimeUnit.SECONDS);

        assertResubmitted(second.nextSubmit(), submission.requestId(), 2);
        assertThat(submission.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(second.nodeId);
        assertThat(home.submits).isEmpty();
    }

    @Test
    void aRedirectForOneRequestMovesTheWholeSessionWithEveryUnresolvedRequest() throws Exception
    {
        home.mode = FakeRelay.Mode.SILENT;
        final ConnectorClient client = client(MUNICIPALITY, builder -> builder);
        final Submission redirected = client.send(cardStatus());
        final Submission other = client.send(cardStatus());
        home.nextSubmit();
        home.nextSubmit();

        home.sendRedirect(redirected.requestId(), view(NodeState.DRAINING, NodeState.ACTIVE, NodeState.ACTIVE))
            .get(10, TimeUnit.SECONDS);

        final Set<UUID> resubmitted = new HashSet<>();
        for (int i = 0; i < 2; i++)
        {
            final FakeRelay.ReceivedSubmit resend = second.nextSubmit();
            assertThat(resend.possibleDuplicate()).isTrue();
            assertThat(resend.attempt()).isEqualTo(2);
            resubmitted.add(resend.requestId());
        }
        assertThat(resubmitted).containsExactlyInAnyOrder(redirected.requestId(), other.requestId());
        assertThat(redirected.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(second.nodeId);
        assertThat(other.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(second.nodeId);
    }

    @Test
    void missedHeartbeatsMoveTheAcceptedRequestToTheNextNode() throws Exception
    {
        home.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(MUNICIPALITY, builder -> builder.heartbeatInterval(Duration.ofMillis(100)));
        final Submission submission = client.send(cardStatus());
        submission.accepted().get(10, TimeUnit.SECONDS);

        home.freeze();

        assertResubmitted(second.nextSubmit(), submission.requestId(), 2);
        assertThat(submission.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(second.nodeId);
    }

    @Test
    void aNodeThatKeepsTheSessionAliveButAcceptsNothingIsLeftAfterTheAttemptTimeout() throws Exception
    {
        home.mode = FakeRelay.Mode.SILENT;
        final ConnectorClient client = client(MUNICIPALITY, builder -> builder
            .heartbeatInterval(Duration.ofMillis(50))
            // Long enough that the healthy second node never trips it on a busy machine.
            .attemptTimeout(Duration.ofSeconds(1)));
        final Submission submission = client.send(cardStatus());
        home.nextSubmit();

        assertResubmitted(second.nextSubmit(), submission.requestId(), 2);
        assertThat(submission.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(second.nodeId);
        assertThat(client.stats().attemptTimeouts()).isEqualTo(1);
    }

    @Test
    void anAcceptedRequestIsNotSubjectToTheAttemptTimeout() throws Exception
    {
        home.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(MUNICIPALITY, builder -> builder.attemptTimeout(Duration.ofSeconds(1)));
        final Submission submission = client.send(cardStatus());
        submission.accepted().get(10, TimeUnit.SECONDS);
        // Status round trips until well past the attempt timeout: the session is still the same.
        final long waitUntilNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        while (System.nanoTime() < waitUntilNs)
        {
            client.status(submission.requestId()).get(10, TimeUnit.SECONDS);
        }

        home.sendResult(submission.requestId(), "slow but sure").get(10, TimeUnit.SECONDS);

        assertThat(submission.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(home.nodeId);
        assertThat(client.stats().attemptTimeouts()).isZero();
        assertThat(client.stats().resubmitted()).isZero();
    }

    @Test
    void aRefusedConnectMovesAtOnceToTheNextNodeAndTheRequestIsAFirstAttempt() throws Exception
    {
        home.stopListening();
        final ConnectorClient client = client(MUNICIPALITY, builder -> builder);

        final Answer answer = client.submit(cardStatus()).get(10, TimeUnit.SECONDS);

        assertThat(answer.nodeId()).isEqualTo(second.nodeId);
        final FakeRelay.ReceivedSubmit submit = second.nextSubmit();
        assertThat(submit.attempt()).isEqualTo(1);
        assertThat(submit.possibleDuplicate()).isFalse();
    }

    @Test
    void viewMarkingTheCurrentNodeIsolatedLetsItFinishItsWorkThenTheIdleSessionMovesAway() throws Exception
    {
        home.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(MUNICIPALITY, builder -> builder);
        final Submission submission = client.send(cardStatus());
        submission.accepted().get(10, TimeUnit.SECONDS);

        home.sendClusterView(view(NodeState.ISOLATED, NodeState.ACTIVE, NodeState.ACTIVE)).get(10, TimeUnit.SECONDS);
        home.sendResult(submission.requestId(), "finished where it started").get(10, TimeUnit.SECONDS);

        assertThat(submission.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(home.nodeId);
        assertThat(second.hellos.poll(10, TimeUnit.SECONDS)).startsWith(MUNICIPALITY);
        assertThat(client.submit(cardStatus()).get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(second.nodeId);
        assertThat(client.stats().resubmitted()).isZero();
        assertThat(client.stats().rebalances()).isEqualTo(1);
    }

    @Test
    void aNodeSuspectInTheViewIsSkippedByTheNextSession() throws Exception
    {
        home.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(MUNICIPALITY, builder -> builder);
        final Submission submission = client.send(cardStatus());
        submission.accepted().get(10, TimeUnit.SECONDS);

        // The home node says it is leaving, and that the second-ranked node is suspect.
        home.sendGoAway(view(NodeState.DRAINING, NodeState.SUSPECT, NodeState.ACTIVE)).get(10, TimeUnit.SECONDS);

        assertResubmitted(third.nextSubmit(), submission.requestId(), 2);
        assertThat(second.hellos).isEmpty();
    }

    @Test
    void aLateDuplicateAnswerAfterAMoveIsDroppedCountedAndNeverDeliveredTwice() throws Exception
    {
        home.mode = FakeRelay.Mode.ACCEPT_ONLY;
        second.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(MUNICIPALITY, builder -> builder);
        final Submission submission = client.send(cardStatus());
        submission.accepted().get(10, TimeUnit.SECONDS);
        home.sendGoAway(view(NodeState.DRAINING, NodeState.ACTIVE, NodeState.ACTIVE)).get(10, TimeUnit.SECONDS);
        second.nextSubmit();
        second.sendResult(submission.requestId(), "first").get(10, TimeUnit.SECONDS);
        final Answer first = submission.answer().get(10, TimeUnit.SECONDS);

        second.sendResult(submission.requestId(), "late duplicate").get(10, TimeUnit.SECONDS);

        awaitStats(client, stats -> stats.lateAnswersDropped() == 1);
        assertThat(submission.answer().getNow(null)).isSameAs(first);
        assertThat(((Answer.Result)first).detail()).isEqualTo("first");
    }

    @Test
    void afterTheHomeNodeReturnsAnIdleSessionGoesBackHome() throws Exception
    {
        home.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(MUNICIPALITY, builder -> builder.nodeCoolDown(Duration.ofMillis(200)));
        final Submission submission = client.send(cardStatus());
        submission.accepted().get(10, TimeUnit.SECONDS);
        home.hellos.clear();
        second.view = view(NodeState.SUSPECT, NodeState.ACTIVE, NodeState.ACTIVE);
        home.stopListening();
        assertThat(submission.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(second.nodeId);
        home.listen();
        home.mode = FakeRelay.Mode.ACCEPT_AND_RESULT;

        second.sendClusterView(view(NodeState.ACTIVE, NodeState.ACTIVE, NodeState.ACTIVE)).get(10, TimeUnit.SECONDS);

        assertThat(home.hellos.poll(10, TimeUnit.SECONDS)).startsWith(MUNICIPALITY);
        assertThat(client.submit(cardStatus()).get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(home.nodeId);
        assertThat(client.stats().rebalances()).isEqualTo(1);
    }

    private static void assertResubmitted(final FakeRelay.ReceivedSubmit resend, final UUID requestId, final int attempt)
    {
        assertThat(resend.requestId()).isEqualTo(requestId);
        assertThat(resend.possibleDuplicate()).isTrue();
        assertThat(resend.attempt()).isEqualTo(attempt);
    }

    /** A view giving the home, second and third node these states. */
    private List<ClusterNode> view(final NodeState homeState, final NodeState secondState, final NodeState thirdState)
    {
        return List.of(home.inState(homeState), second.inState(secondState), third.inState(thirdState));
    }

    /** The relays in the order {@code municipality} prefers them. */
    private List<FakeRelay> ranked(final String municipality)
    {
        final List<InetSocketAddress> ranking =
            new RendezvousNodeSelector(municipality, addresses(), Clock.systemUTC(), Duration.ZERO).ranking();
        final List<FakeRelay> ranked = new ArrayList<>();
        for (final InetSocketAddress address : ranking)
        {
            ranked.add(relays.stream().filter(relay -> relay.address().equals(address)).findFirst().orElseThrow());
        }
        return ranked;
    }

    private List<InetSocketAddress> addresses()
    {
        return relays.stream().map(FakeRelay::address).toList();
    }

    private static SubmitRequest cardStatus()
    {
        return SubmitRequest.builder(Operation.CARD_STATUS).cardId("123456789012").build();
    }

    /** Spins until the client's counters satisfy {@code condition} (they are updated on its event loop). */
    private static ConnectorStats awaitStats(final ConnectorClient client, final Predicate<ConnectorStats> condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ConnectorStats stats = client.stats();
        while (!condition.test(stats))
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new AssertionError("stats never reached the expected state: " + stats);
            }
            Thread.onSpinWait();
            stats = client.stats();
        }
        return stats;
    }

    private ConnectorClient client(final String municipality, final UnaryOperator<ConnectorClientBuilder> tweak)
    {
        final ConnectorClient client = tweak.apply(ConnectorClient.builder()
                .nodes(addresses())
                .plaintext()
                .municipalityCode(municipality)
                .connectorName("failover-test/1.0")
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)))
            .build();
        resources.add(client);
        return client;
    }
}
