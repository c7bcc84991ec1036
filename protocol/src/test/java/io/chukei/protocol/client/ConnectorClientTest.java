package io.chukei.protocol.client;

import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.RequestState;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SDK against fake relays over real (plaintext) sockets on 127.0.0.1. */
@Tag("system")
@Timeout(30)
class ConnectorClientTest
{
    private static final String MUNICIPALITY = "131016";

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
    }

    /**
     * A node that is not ACTIVE welcomes a connector and redirects its Submits. With no other node to go to, the
     * connector backs off between reconnects; it used to start the back-off afresh at each Welcome and reconnect every
     * ~50 ms (a TLS handshake each: ~170 in the 10 s of one `chukei send` to an isolated node).
     */
    @Test
    void aConnectorRedirectedByItsOnlyNodeBacksOffInsteadOfReconnectingInALoop() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.view = List.of(new ClusterNode(1, io.chukei.protocol.sbe.NodeState.ISOLATED,
            relay.address().getHostString() + ":" + relay.address().getPort()));
        relay.mode = FakeRelay.Mode.REDIRECT;
        final ConnectorClient client = client(relay, builder -> builder.reconnectBackoff(Duration.ofMillis(100),
            Duration.ofSeconds(5)).random(new java.util.SplittableRandom(17)));

        final Submission submission = client.send(SubmitRequest.builder(Operation.CARD_STATUS).cardId("123456789012")
            .timeout(Duration.ofSeconds(3)).build());
        final Answer answer = submission.answer().get(15, TimeUnit.SECONDS);

        assertThat(answer).isInstanceOf(Answer.Rejected.class);
        assertThat(((Answer.Rejected)answer).local()).as("decided by the client at the deadline").isTrue();
        // Full-jitter back-off from 100 ms doubling to 5 s: about ten sessions fit in 3 s at the very most.
        assertThat(relay.hellos).as("sessions opened in the request's 3 s").hasSizeBetween(2, 12);
    }

    @Test
    void submitIsAcceptedThenAnsweredWithTheResult() throws Exception
    {
        final FakeRelay relay = relay(1);
        final ConnectorClient client = client(relay);

        final Submission submission = client.send(cardStatus());

        final Acceptance acceptance = submission.accepted().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(acceptance.nodeId()).isEqualTo(1);
        assertThat(acceptance.durability()).isEqualTo(Durability.PROCESS);
        final Answer answer = submission.answer().get(10, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOf(Answer.Result.class);
        final Answer.Result result = (Answer.Result)answer;
        assertThat(result.requestId()).isEqualTo(submission.requestId());
        assertThat(result.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(result.detail()).isEqualTo("done by 1");
        assertThat(result.payload()).containsExactly(7);
    }

    @Test
    void theFirstSendIsAttemptOneNotAPossibleDuplicateAndCarriesTheSessionsMunicipality() throws Exception
    {
        final FakeRelay relay = relay(1);
        final ConnectorClient client = client(relay);

        client.submit(cardStatus()).get(10, TimeUnit.SECONDS);

        assertThat(relay.hellos.poll(10, TimeUnit.SECONDS)).isEqualTo(MUNICIPALITY + " test-connector/1.0");
        final FakeRelay.ReceivedSubmit submit = relay.nextSubmit();
        assertThat(submit.municipalityCode()).isEqualTo(MUNICIPALITY);
        assertThat(submit.attempt()).isEqualTo(1);
        assertThat(submit.possibleDuplicate()).isFalse();
        assertThat(submit.priority()).isEqualTo("INTERACTIVE");
    }

    @Test
    void fiveHundredPipelinedRequestsAreEachAnsweredOnce() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.maxInFlight = 64;
        final ConnectorClient client = client(relay);

        final List<Submission> submissions = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            submissions.add(client.send(cardStatus()));
        }
        CompletableFuture.allOf(submissions.stream().map(Submission::answer).toArray(CompletableFuture[]::new))
            .get(20, TimeUnit.SECONDS);

        final Set<UUID> answered = new HashSet<>();
        for (final Submission submission : submissions)
        {
            final Answer answer = submission.answer().getNow(null);
            assertThat(answer.kind()).isEqualTo(Answer.Kind.RESULT);
            assertThat(answer.requestId()).isEqualTo(submission.requestId());
            answered.add(answer.requestId());
        }
        assertThat(answered).hasSize(500);
        assertThat(relay.submits).hasSize(500);
        final ConnectorStats stats = client.stats();
        assertThat(stats.unresolved()).isZero();
        assertThat(stats.resubmitted()).isZero();
        assertThat(stats.lateAnswersDropped()).isZero();
    }

    @Test
    void requestsBeyondTheRelaysMaxInFlightWaitLocallyUntilAnswersFreeSlots() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.mode = FakeRelay.Mode.SILENT;
        relay.maxInFlight = 8;
        final ConnectorClient client = client(relay);

        final List<Submission> submissions = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            submissions.add(client.send(cardStatus()));
        }
        final List<UUID> firstWave = receive(relay, 8);

        final ConnectorStats stats = awaitStats(client, s -> s.submitted() == 20);
        assertThat(stats.inFlight()).isEqualTo(8);
        assertThat(stats.queued()).isEqualTo(12);
        firstWave.forEach(id -> relay.sendResult(id, "ok"));
        final List<UUID> secondWave = receive(relay, 8);
        assertThat(secondWave).doesNotContainAnyElementsOf(firstWave);
        assertThat(submissions.get(7).answer().get(10, TimeUnit.SECONDS).kind()).isEqualTo(Answer.Kind.RESULT);
    }

    @Test
    void overTheLocalQueueBoundASubmitFailsFastWithLocalOverloaded() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.mode = FakeRelay.Mode.SILENT;
        relay.maxInFlight = 1;
        final ConnectorClient client = client(relay, builder -> builder.maxQueued(2));
        client.send(cardStatus());
        relay.nextSubmit();
        client.send(cardStatus());
        client.send(cardStatus());

        final Answer answer = client.submit(cardStatus()).get(10, TimeUnit.SECONDS);

        assertThat(answer).isInstanceOfSatisfying(Answer.Rejected.class, rejected ->
        {
            assertThat(rejected.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(rejected.local()).isTrue();
        });
    }

    @Test
    void afterAConnectionDropTheAcceptedRequestIsResubmittedAsPossibleDuplicateAndAnsweredOnce() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(relay);
        final Submission submission = client.send(cardStatus());
        assertThat(submission.accepted().get(10, TimeUnit.SECONDS)).isPresent();
        final FakeRelay.ReceivedSubmit first = relay.nextSubmit();

        relay.mode = FakeRelay.Mode.ACCEPT_AND_RESULT;
        relay.dropConnections();

        final FakeRelay.ReceivedSubmit resend = relay.nextSubmit();
        assertThat(resend.requestId()).isEqualTo(first.requestId()).isEqualTo(submission.requestId());
        assertThat(resend.possibleDuplicate()).isTrue();
        assertThat(resend.attempt()).isEqualTo(2);
        assertThat(resend.deadlineEpochMs()).isEqualTo(first.deadlineEpochMs());
        assertThat(submission.answer().get(10, TimeUnit.SECONDS).kind()).isEqualTo(Answer.Kind.RESULT);
        assertThat(client.stats().resubmitted()).isEqualTo(1);
        assertThat(client.stats().reconnects()).isPositive();
    }

    @Test
    void anOutcomeUnknownAnswerDoesNotEndTheRequestTheLaterResultDoes() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(relay);
        final Submission submission = client.send(cardStatus());
        assertThat(submission.accepted().get(10, TimeUnit.SECONDS)).isPresent();

        relay.sendOutcomeUnknown(submission.requestId()).get(10, TimeUnit.SECONDS);
        relay.sendResult(submission.requestId(), "issued late").get(10, TimeUnit.SECONDS);

        // Frames of one connection are read in order: had OUTCOME_UNKNOWN ended it, the answer would be that.
        final Answer answer = submission.answer().get(10, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOfSatisfying(Answer.Result.class,
            result -> assertThat(result.detail()).isEqualTo("issued late"));
        assertThat(client.stats().outcomeUnknown()).isEqualTo(1);
        assertThat(client.stats().unresolved()).isZero();
    }

    @Test
    void afterAMoveAnOutcomeUnknownRequestIsResentWithTheSameIdAndANewDeadline() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(relay);
        final Submission submission = client.send(cardStatus());
        final FakeRelay.ReceivedSubmit first = relay.nextSubmit();
        relay.sendOutcomeUnknown(submission.requestId()).get(10, TimeUnit.SECONDS);
        awaitStats(client, stats -> stats.outcomeUnknown() == 1);

        relay.mode = FakeRelay.Mode.ACCEPT_AND_RESULT;
        relay.dropConnections();

        final FakeRelay.ReceivedSubmit resend = relay.nextSubmit();
        assertThat(resend.requestId()).isEqualTo(submission.requestId());
        assertThat(resend.possibleDuplicate()).isTrue();
        assertThat(resend.deadlineEpochMs()).as("the first deadline is gone").isGreaterThan(first.deadlineEpochMs());
        assertThat(submission.answer().get(10, TimeUnit.SECONDS).kind()).isEqualTo(Answer.Kind.RESULT);
    }

    @Test
    void withoutAVerdictWithinTheWaitTheAnswerIsOutcomeUnknownNeverAPlainFailure() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(relay, builder -> builder.outcomeUnknownWait(Duration.ofMillis(200)));
        final Submission submission = client.send(cardStatus());
        assertThat(submission.accepted().get(10, TimeUnit.SECONDS)).isPresent();

        relay.sendOutcomeUnknown(submission.requestId()).get(10, TimeUnit.SECONDS);

        assertThat(submission.answer().get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Answer.Rejected.class, rejected ->
        {
            assertThat(rejected.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
            assertThat(rejected.local()).isTrue();
            assertThat(rejected.detail()).contains("no verdict within outcomeUnknownWait");
        });
    }

    @Test
    void withAZeroWaitTheRelaysOutcomeUnknownIsTheAnswerAtOnce() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final ConnectorClient client = client(relay, builder -> builder.outcomeUnknownWait(Duration.ZERO));
        final Submission submission = client.send(cardStatus());
        assertThat(submission.accepted().get(10, TimeUnit.SECONDS)).isPresent();

        relay.sendOutcomeUnknown(submission.requestId()).get(10, TimeUnit.SECONDS);

        assertThat(submission.answer().get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Answer.Rejected.class, rejected ->
        {
            assertThat(rejected.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
            assertThat(rejected.local()).isFalse();
        });
    }

    @Test
    void aLateDuplicateResultIsDroppedAndCounted() throws Exception
    {
        final FakeRelay relay = relay(1);
        final ConnectorClient client = client(relay);
        final Submission submission = client.send(cardStatus());
        final Answer first = submission.answer().get(10, TimeUnit.SECONDS);

        relay.sendResult(submission.requestId(), "late duplicate").get(10, TimeUnit.SECONDS);
        // The duplicate is on the wire before the next Submit leaves: once that is answered, the duplicate was read.
        client.submit(cardStatus()).get(10, TimeUnit.SECONDS);

        assertThat(client.stats().lateAnswersDropped()).isEqualTo(1);
        assertThat(submission.answer().getNow(null)).isSameAs(first);
        assertThat(((Answer.Result)first).detail()).isEqualTo("done by 1");
    }

    @Test
    void aDeadlinePassingWithNoAnswerGivesALocalDeadlineExceeded() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.mode = FakeRelay.Mode.SILENT;
        final ConnectorClient client = client(relay);

        final Submission submission = client.send(SubmitRequest.builder(Operation.CARD_STATUS)
            .cardId("123456789012").timeout(Duration.ofMillis(300)).build());

        final Answer answer = submission.answer().get(10, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOfSatisfying(Answer.Rejected.class, rejected ->
        {
            assertThat(rejected.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
            assertThat(rejected.field()).isEqualTo(FieldId.DEADLINE);
            assertThat(rejected.local()).isTrue();
            assertThat(rejected.nodeId()).isEqualTo(Answer.LOCAL_NODE_ID);
        });
        assertThat(submission.accepted().getNow(null)).isEqualTo(Optional.empty());
        assertThat(client.stats().deadlinesExpired()).isEqualTo(1);
        assertThat(client.stats().unresolved()).isZero();
    }

    @Test
    void aResultArrivingAfterTheLocalDeadlineIsDroppedAndFreesItsSlot() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.mode = FakeRelay.Mode.SILENT;
        relay.maxInFlight = 1;
        final ConnectorClient client = client(relay);
        final Submission expired = client.send(SubmitRequest.builder(Operation.CARD_STATUS)
            .cardId("123456789012").timeout(Duration.ofMillis(200)).build());
        relay.nextSubmit();
        expired.answer().get(10, TimeUnit.SECONDS);
        final Submission next = client.send(cardStatus());
        // The relay still carries the expired request, so it still holds the only slot.
        assertThat(awaitStats(client, s -> s.submitted() == 2).queued()).isEqualTo(1);

        relay.sendResult(expired.requestId(), "too late");

        final FakeRelay.ReceivedSubmit nextSent = relay.nextSubmit();
        assertThat(nextSent.requestId()).isEqualTo(next.requestId());
        assertThat(client.stats().lateAnswersDropped()).isEqualTo(1);
    }

    @Test
    void aHungRelayIsDetectedByMissedHeartbeatsAndTheRequestMovesToTheNextNode() throws Exception
    {
        final FakeRelay hung = relay(1);
        hung.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final FakeRelay healthy = relay(2);
        final ConnectorClient client = inListOrder(List.of(hung.address(), healthy.address()),
            builder -> builder.heartbeatInterval(Duration.ofMillis(100)));
        final Submission submission = client.send(cardStatus());
        assertThat(submission.accepted().get(10, TimeUnit.SECONDS).orElseThrow().nodeId()).isEqualTo(1);

        hung.freeze();

        final FakeRelay.ReceivedSubmit resend = healthy.nextSubmit();
        assertThat(resend.requestId()).isEqualTo(submission.requestId());
        assertThat(resend.possibleDuplicate()).isTrue();
        assertThat(resend.attempt()).isEqualTo(2);
        assertThat(submission.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(2);
        assertThat(client.stats().reconnects()).isPositive();
    }

    @Test
    void goAwayMovesUnresolvedRequestsToTheNextNode() throws Exception
    {
        final FakeRelay draining = relay(1);
        draining.mode = FakeRelay.Mode.ACCEPT_ONLY;
        final FakeRelay healthy = relay(2);
        final ConnectorClient client = inListOrder(List.of(draining.address(), healthy.address()), builder -> builder);
        final Submission submission = client.send(cardStatus());
        submission.accepted().get(10, TimeUnit.SECONDS);

        draining.sendGoAway().get(10, TimeUnit.SECONDS);

        final FakeRelay.ReceivedSubmit resend = healthy.nextSubmit();
        assertThat(resend.requestId()).isEqualTo(submission.requestId());
        assertThat(resend.possibleDuplicate()).isTrue();
        assertThat(submission.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(2);
    }

    @Test
    void statusAsksTheRelayAboutARequestId() throws Exception
    {
        final FakeRelay relay = relay(1);
        final ConnectorClient client = client(relay);
        final UUID requestId = UUID.fromString("0190c6a8-52e4-7b31-9a55-3f0e2c4d5e6f");

        final RequestStatus status = client.status(requestId).get(10, TimeUnit.SECONDS);

        assertThat(relay.statusQueries.poll(10, TimeUnit.SECONDS)).isEqualTo(requestId);
        assertThat(status.requestId()).isEqualTo(requestId);
        assertThat(status.state()).isEqualTo(RequestState.FORWARDED);
        assertThat(status.answer()).isEmpty();
    }

    @Test
    void closeCompletesUnresolvedRequestsWithLocalShuttingDown() throws Exception
    {
        final FakeRelay relay = relay(1);
        relay.mode = FakeRelay.Mode.SILENT;
        final ConnectorClient client = client(relay);
        final Submission submission = client.send(cardStatus());
        relay.nextSubmit();

        client.close();

        final Answer answer = submission.answer().get(10, TimeUnit.SECONDS);
        assertThat(answer).isInstanceOfSatisfying(Answer.Rejected.class, rejected ->
        {
            assertThat(rejected.code()).isEqualTo(ErrorCode.SHUTTING_DOWN);
            assertThat(rejected.local()).isTrue();
        });
        assertThat(client.submit(cardStatus()).get(10, TimeUnit.SECONDS))
            .isInstanceOfSatisfying(Answer.Rejected.class, rejected -> assertThat(rejected.code()).isEqualTo(ErrorCode.SHUTTING_DOWN));
    }

    @Test
    void aRedirectMovesTheRequestToTheNextNode() throws Exception
    {
        final FakeRelay draining = relay(1);
        draining.mode = FakeRelay.Mode.SILENT;
        final FakeRelay healthy = relay(2);
        final ConnectorClient client = inListOrder(List.of(draining.address(), healthy.address()), builder -> builder);
        final Submission submission = client.send(cardStatus());
        draining.nextSubmit();

        draining.sendRedirect(submission.requestId()).get(10, TimeUnit.SECONDS);

        assertThat(healthy.nextSubmit().requestId()).isEqualTo(submission.requestId());
        assertThat(submission.answer().get(10, TimeUnit.SECONDS).nodeId()).isEqualTo(2);
    }

    @Test
    void noWelcomeWithinTheHandshakeTimeoutMovesToTheNextNodeWithoutSendingSubmits() throws Exception
    {
        final FakeRelay mute = relay(1);
        mute.welcomes = false;
        final FakeRelay healthy = relay(2);
        final ConnectorClient client = inListOrder(List.of(mute.address(), healthy.address()),
            builder -> builder.handshakeTimeout(Duration.ofMillis(200)));

        final Answer answer = client.submit(cardStatus()).get(10, TimeUnit.SECONDS);

        assertThat(mute.hellos).hasSize(1);
        assertThat(mute.submits).isEmpty();
        assertThat(answer.nodeId()).isEqualTo(2);
        final FakeRelay.ReceivedSubmit submit = healthy.nextSubmit();
        assertThat(submit.attempt()).isEqualTo(1);
        assertThat(submit.possibleDuplicate()).isFalse();
    }

    @Test
    void overTlsHelloFollowsTheHandshakeAndRequestsAreAnswered() throws Exception
    {
        final SslContext serverTls = SslContextBuilder.forServer(resource("tls/relay-cert.pem"), resource("tls/relay-key.pem"))
            .sslProvider(SslProvider.JDK).protocols("TLSv1.3").build();
        final SslContext clientTls = SslContextBuilder.forClient().trustManager(resource("tls/relay-cert.pem"))
            .sslProvider(SslProvider.JDK).protocols("TLSv1.3").build();
        final FakeRelay relay = new FakeRelay(1, serverTls);
        resources.add(relay);
        final ConnectorClient client = ConnectorClient.builder()
            .nodes(List.of(relay.address()))
            .sslContext(clientTls)
            .municipalityCode(MUNICIPALITY)
            .build();
        resources.add(client);

        final Answer answer = client.submit(cardStatus()).get(10, TimeUnit.SECONDS);

        assertThat(answer.kind()).isEqualTo(Answer.Kind.RESULT);
        assertThat(relay.hellos.poll(10, TimeUnit.SECONDS)).startsWith(MUNICIPALITY);
    }

    @Test
    void aClientRunsOnTheCallersGroupWithTheChannelTypeGiven() throws Exception
    {
        final FakeRelay relay = relay(1);
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        resources.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        final ConnectorClient client = client(relay, builder -> builder.eventLoopGroup(group, NioSocketChannel.class));

        final Answer answer = client.submit(cardStatus()).get(10, TimeUnit.SECONDS);

        assertThat(answer.kind()).isEqualTo(Answer.Kind.RESULT);
        assertThat(group.isShuttingDown()).as("the caller's group is the caller's to shut down").isFalse();
        client.close();
        assertThat(group.isShuttingDown()).isFalse();
    }

    @Test
    void aGroupWithoutAChannelTypeIsRefused()
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try
        {
            assertThatThrownBy(() -> ConnectorClient.builder().eventLoopGroup(group, null))
                .isInstanceOf(NullPointerException.class).hasMessage("channelType");
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static InputStream resource(final String name)
    {
        return ConnectorClientTest.class.getClassLoader().getResourceAsStream(name);
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

    private static List<UUID> receive(final FakeRelay relay, final int count) throws InterruptedException
    {
        final List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            ids.add(relay.nextSubmit().requestId());
        }
        return ids;
    }

    private FakeRelay relay(final int nodeId)
    {
        final FakeRelay relay = new FakeRelay(nodeId);
        resources.add(relay);
        return relay;
    }

    private ConnectorClient client(final FakeRelay relay)
    {
        return client(List.of(relay.address()), builder -> builder);
    }

    private ConnectorClient client(final FakeRelay relay, final UnaryOperator<ConnectorClientBuilder> tweak)
    {
        return client(List.of(relay.address()), tweak);
    }

    /** Tries the nodes in list order (round-robin) rather than by rendezvous score: see ClusterFailoverTest for that. */
    private ConnectorClient inListOrder(
        final List<InetSocketAddress> nodes,
        final UnaryOperator<ConnectorClientBuilder> tweak)
    {
        return client(nodes, builder -> tweak.apply(builder.nodeSelector(new RoundRobinNodeSelector(nodes))));
    }

    private ConnectorClient client(
        final List<InetSocketAddress> nodes,
        final UnaryOperator<ConnectorClientBuilder> tweak)
    {
        final ConnectorClient client = tweak.apply(ConnectorClient.builder()
                .nodes(nodes)
                .plaintext()
                .municipalityCode(MUNICIPALITY)
                .connectorName("test-connector/1.0")
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                // Silent fake relays here stand for slow answers, not hung nodes (ClusterFailoverTest covers those):
                // a busy machine must not turn them into an attempt timeout and a move.
                .attemptTimeout(Duration.ofSeconds(30)))
            .build();
        resources.add(client);
        return client;
    }
}
