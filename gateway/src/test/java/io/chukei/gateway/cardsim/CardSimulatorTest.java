package io.chukei.gateway.cardsim;

import io.chukei.gateway.cardsim.UpstreamTestClient.ForwardSpec;
import io.chukei.gateway.cardsim.UpstreamTestClient.Outcome;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The simulator over real sockets: exactly-once, the ledger, failures, pipelining. */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CardSimulatorTest
{
    private static final String CARD = "123456789012";
    private static final String UNKNOWN_CARD = "123456780000";

    @TempDir
    Path dataDirectory;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
    }

    @Test
    void firstForwardIsAppliedAndAnsweredOk() throws Exception
    {
        final CardSimulator simulator = start(1, 0);
        final UpstreamTestClient client = connect(simulator);
        final UUID id = UUID.randomUUID();

        final Outcome outcome = answer(client.forward(ForwardSpec.of(id, Operation.CARD_ISSUE, CARD)));

        assertThat(outcome.requestId()).isEqualTo(id);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(outcome.upstreamCode()).isZero();
        assertThat(outcome.duplicate()).isFalse();
        assertThat(new String(outcome.payload(), StandardCharsets.US_ASCII)).isEqualTo("ISSUED");
        assertThat(Ledger.appliedCounts(dataDirectory)).containsExactlyEntriesOf(Map.of(id, 1));
    }

    @Test
    void resendGetsTheStoredOutcomeMarkedDuplicateAndIsNotAppliedAgain() throws Exception
    {
        final CardSimulator simulator = start(1, 0);
        final UpstreamTestClient client = connect(simulator);
        final ForwardSpec first = ForwardSpec.of(UUID.randomUUID(), Operation.CARD_STATUS, CARD);
        final Outcome original = answer(client.forward(first));

        final Outcome resent = answer(client.forward(first.resendFrom(2)));

        assertThat(resent.duplicate()).isTrue();
        assertThat(resent.status()).isEqualTo(original.status());
        assertThat(resent.upstreamCode()).isEqualTo(original.upstreamCode());
        assertThat(resent.detail()).isEqualTo(original.detail());
        assertThat(resent.payload()).isEqualTo(original.payload());
        assertThat(Ledger.appliedCounts(dataDirectory)).containsEntry(first.requestId(), 1);
        assertThat(Ledger.duplicateCount(dataDirectory)).isEqualTo(1);
        assertThat(simulator.stats().duplicates()).isEqualTo(1);
    }

    @Test
    void duplicatesArrivingWhileTheFirstIsInServiceAreAppliedOnce() throws Exception
    {
        // Long enough that all three Forwards arrive while the first is still in service.
        final CardSimulator simulator = start(2_000, 0);
        final UpstreamTestClient nodeOne = connect(simulator);
        final UpstreamTestClient nodeTwo = connect(simulator);
        final ForwardSpec first = ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, CARD);

        final CompletableFuture<Outcome> fromOne = nodeOne.forward(first);
        final CompletableFuture<Outcome> fromTwo = nodeTwo.forward(first.resendFrom(2));
        final CompletableFuture<Outcome> againFromOne = nodeOne.forward(first.resendFrom(1));
        await().until(() -> simulator.stats().received() == 3);
        final long appliedWhileAllWereWaiting = simulator.stats().applied();

        final List<Outcome> outcomes = List.of(answer(fromOne), answer(fromTwo), answer(againFromOne));

        assertThat(appliedWhileAllWereWaiting).isZero();
        assertThat(outcomes).extracting(Outcome::status).containsOnly(OutcomeStatus.OK);
        assertThat(outcomes).filteredOn(Outcome::duplicate).hasSize(2);
        assertThat(Ledger.appliedCounts(dataDirectory)).containsExactlyEntriesOf(Map.of(first.requestId(), 1));
    }

    @Test
    void errorRateOneAnswersTransientFailureAndAppliesNothing() throws Exception
    {
        final CardSimulator simulator = start(1, 0);
        final UpstreamTestClient client = connect(simulator);
        simulator.faults().errorRate(1.0);
        final ForwardSpec request = ForwardSpec.of(UUID.randomUUID(), Operation.CERT_CHANGE, CARD);

        final Outcome failed = answer(client.forward(request));

        assertThat(failed.status()).isEqualTo(OutcomeStatus.TRANSIENT_FAILURE);
        assertThat(failed.duplicate()).isFalse();
        assertThat(Ledger.appliedCounts(dataDirectory)).isEmpty();
        assertThat(simulator.stats().transientFailures()).isEqualTo(1);
    }

    @Test
    void aRetryAfterATransientFailureIsAppliedAsTheFirstApplication() throws Exception
    {
        final CardSimulator simulator = start(1, 0);
        final UpstreamTestClient client = connect(simulator);
        final ForwardSpec request = ForwardSpec.of(UUID.randomUUID(), Operation.CERT_CHANGE, CARD);
        simulator.faults().errorRate(1.0);
        answer(client.forward(request));
        simulator.faults().clear();

        final Outcome retried = answer(client.forward(request.resendFrom(1)));

        assertThat(retried.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(retried.duplicate()).isFalse();
        assertThat(Ledger.appliedCounts(dataDirectory)).containsEntry(request.requestId(), 1);
    }

    @Test
    void statusQueryForAnUnknownCardIsRefusedAndTheRefusalIsStored() throws Exception
    {
        final CardSimulator simulator = start(1, 0);
        final UpstreamTestClient client = connect(simulator);
        final ForwardSpec query = ForwardSpec.of(UUID.randomUUID(), Operation.CARD_STATUS, UNKNOWN_CARD);

        final Outcome refused = answer(client.forward(query));
        final Outcome resent = answer(client.forward(query.resendFrom(1)));

        assertThat(refused.status()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(refused.upstreamCode()).isEqualTo(404);
        assertThat(refused.detail()).isEqualTo("card not found");
        assertThat(resent.status()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(resent.duplicate()).isTrue();
        assertThat(Ledger.appliedCounts(dataDirectory)).containsEntry(query.requestId(), 1);
    }

    @Test
    void duringAStallNothingIsAnsweredNotEvenHeartbeatsAndEverythingIsAnsweredAfterIt() throws Exception
    {
        final CardSimulator simulator = start(1, 0);
        final UpstreamTestClient client = connect(simulator);
        assertThat(answer(client.heartbeat())).isPositive();
        final Duration stall = Duration.ofMillis(1_500);

        final long stallRequestedNanos = System.nanoTime();
        simulator.faults().stall(stall);
        final CompletableFuture<Outcome> sentDuringStall =
            client.forward(ForwardSpec.of(UUID.randomUUID(), Operation.CARD_SUSPEND, CARD));
        final CompletableFuture<Long> heartbeatDuringStall = client.heartbeat();
        final boolean answeredWhileStalled = sentDuringStall.isDone() || heartbeatDuringStall.isDone();
        final boolean stalledAfterSending = simulator.faults().stalled();

        final Outcome outcome = answer(sentDuringStall);
        final long heartbeatRepliedNanos = answer(heartbeatDuringStall);

        final long stallEndsNoEarlierThan = stallRequestedNanos + stall.toNanos();
        assertThat(stalledAfterSending).isTrue();
        assertThat(answeredWhileStalled).isFalse();
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(outcome.receivedNanos()).isGreaterThanOrEqualTo(stallEndsNoEarlierThan);
        assertThat(heartbeatRepliedNanos).isGreaterThanOrEqualTo(stallEndsNoEarlierThan);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void aForwardInServiceWhenTheStallBeginsIsAnsweredAfterIt() throws Exception
    {
        final CardSimulator simulator = start(1_000, 0);
        final UpstreamTestClient client = connect(simulator);
        final CompletableFuture<Outcome> inService =
            client.forward(ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, CARD));
        await().pollInterval(Duration.ofMillis(5)).until(() -> simulator.stats().snapshot().inService() == 1);

        final long stallRequestedNanos = System.nanoTime();
        simulator.faults().stall(Duration.ofMillis(1_500));
        final boolean answeredBeforeTheStall = inService.isDone();

        assertThat(answeredBeforeTheStall).isFalse();
        assertThat(answer(inService).receivedNanos()).isGreaterThanOrEqualTo(stallRequestedNanos + 1_500_000_000L);
        assertThat(Ledger.appliedCounts(dataDirectory)).hasSize(1);
    }

    @Test
    void decisionsSurviveARestartSoAResendAfterItIsADuplicate() throws Exception
    {
        final ForwardSpec request = ForwardSpec.of(UUID.randomUUID(), Operation.PREISSUE_SETUP, CARD);
        try (CardSimulator before = new CardSimulator(config(1, 0)).start();
             UpstreamTestClient client = UpstreamTestClient.connect("127.0.0.1", before.port()))
        {
            assertThat(answer(client.forward(request)).duplicate()).isFalse();
        }

        final CardSimulator after = start(1, 0);
        final Outcome resent = answer(connect(after).forward(request.resendFrom(2)));

        assertThat(resent.duplicate()).isTrue();
        assertThat(resent.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(new String(resent.payload(), StandardCharsets.US_ASCII)).isEqualTo("PREPARED");
        assertThat(Ledger.appliedCounts(dataDirectory)).containsExactlyEntriesOf(Map.of(request.requestId(), 1));
    }

    @Test
    void aForwardStillInServiceAtCloseIsNeitherAppliedNorAnswered() throws Exception
    {
        final CardSimulator simulator = new CardSimulator(config(10_000, 0)).start();
        final UpstreamTestClient client = connect(simulator);
        final CompletableFuture<Outcome> inService = client.forward(ForwardSpec.of(UUID.randomUUID(),
            Operation.CARD_ISSUE, CARD));
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.stats().snapshot().inService() == 1);

        final long closeStarted = System.nanoTime();
        simulator.close();

        // Closed without waiting for the 10 s service (its timer is stopped on the loop), nothing decided.
        assertThat(System.nanoTime() - closeStarted).isLessThan(TimeUnit.SECONDS.toNanos(8));
        // The connection closed with no Outcome for it.
        assertThat(inService).failsWithin(Duration.ofSeconds(5));
        assertThat(Ledger.read(dataDirectory)).isEmpty();
    }

    @Test
    void aThousandPipelinedForwardsOnOneConnectionAreEachAnsweredOnce() throws Exception
    {
        final CardSimulator simulator = start(1, 3);
        final UpstreamTestClient client = connect(simulator);
        final List<ForwardSpec> requests = new ArrayList<>();
        for (int i = 0; i < 1_000; i++)
        {
            requests.add(ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, CARD));
        }

        final List<CompletableFuture<Outcome>> answers = client.forwardAll(requests);
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        for (int i = 0; i < requests.size(); i++)
        {
            assertThat(answers.get(i).join().requestId()).isEqualTo(requests.get(i).requestId());
            assertThat(answers.get(i).join().status()).isEqualTo(OutcomeStatus.OK);
        }
        assertThat(client.outcomeCount()).isEqualTo(1_000);
        assertThat(Ledger.appliedCounts(dataDirectory)).hasSize(1_000).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
    }

    @Test
    void forwardsBeyondTheQueueBoundAreAnsweredTransientFailure() throws Exception
    {
        final CardSimulator simulator = start(CardSimulatorConfig.builder()
            .dataDirectory(dataDirectory).serviceTimeMs(500).concurrency(1).maxQueued(1).build());
        final UpstreamTestClient client = connect(simulator);

        final List<CompletableFuture<Outcome>> answers = client.forwardAll(List.of(
            ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, CARD),
            ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, CARD),
            ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, CARD)));

        assertThat(answer(answers.get(2)).status()).isEqualTo(OutcomeStatus.TRANSIENT_FAILURE);
        assertThat(answer(answers.get(0)).status()).isEqualTo(OutcomeStatus.OK);
        assertThat(answer(answers.get(1)).status()).isEqualTo(OutcomeStatus.OK);
        assertThat(Ledger.appliedCounts(dataDirectory)).hasSize(2);
    }

    private CardSimulatorConfig config(final long serviceTimeMs, final long jitterMs)
    {
        return CardSimulatorConfig.builder()
            .dataDirectory(dataDirectory)
            .serviceTimeMs(serviceTimeMs)
            .jitterMs(jitterMs)
            .randomSeed(42)
            .build();
    }

    private CardSimulator start(final long serviceTimeMs, final long jitterMs) throws IOException
    {
        return start(config(serviceTimeMs, jitterMs));
    }

    private CardSimulator start(final CardSimulatorConfig config) throws IOException
    {
        final CardSimulator simulator = new CardSimulator(config).start();
        resources.add(simulator);
        return simulator;
    }

    private UpstreamTestClient connect(final CardSimulator simulator) throws IOException
    {
        final UpstreamTestClient client = UpstreamTestClient.connect("127.0.0.1", simulator.port());
        resources.add(client);
        return client;
    }

    private static <T> T answer(final CompletableFuture<T> future) throws Exception
    {
        return future.get(20, TimeUnit.SECONDS);
    }
}
