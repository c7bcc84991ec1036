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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** One system of record behind several endpoints: shared dedup and ledger, faults per endpoint. */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CardSimulatorEndpointsTest
{
    private static final String CARD = "123456789012";
    /** Longer than any test: stalls in these tests end when the test ends them. */
    private static final Duration UNTIL_ENDED = Duration.ofSeconds(120);

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
    void everyEndpointListensOnItsOwnPort() throws Exception
    {
        final CardSimulator simulator = start(3, 1);

        assertThat(simulator.endpointCount()).isEqualTo(3);
        assertThat(simulator.ports()).hasSize(3).doesNotHaveDuplicates().doesNotContain(0);
        assertThat(simulator.port()).isEqualTo(simulator.ports().get(0));
        assertThat(simulator.upstreamAddresses()).extracting(address -> address.getPort()).isEqualTo(simulator.ports());
    }

    @Test
    void aRequestIdAppliedThroughOneEndpointIsADuplicateThroughAnother() throws Exception
    {
        final CardSimulator simulator = start(2, 1);
        final UpstreamTestClient viaFirst = connect(simulator, 0);
        final UpstreamTestClient viaSecond = connect(simulator, 1);
        final ForwardSpec request = ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, CARD);

        final Outcome original = answer(viaFirst.forward(request));
        final Outcome retried = answer(viaSecond.forward(request.resendFrom(2)));

        assertThat(original.duplicate()).isFalse();
        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(retried.payload()).isEqualTo(original.payload());
        assertThat(Ledger.appliedCounts(dataDirectory)).containsExactlyEntriesOf(Map.of(request.requestId(), 1));
        assertThat(Ledger.duplicateCount(dataDirectory)).isEqualTo(1);
        assertThat(simulator.stats().endpoint(0).received()).isEqualTo(1);
        assertThat(simulator.stats().endpoint(1).received()).isEqualTo(1);
    }

    @Test
    void aStalledEndpointAnswersNothingWhileTheOtherAnswersForwardsAndHeartbeats() throws Exception
    {
        final CardSimulator simulator = start(2, 1);
        final UpstreamTestClient stalled = connect(simulator, 0);
        final UpstreamTestClient healthy = connect(simulator, 1);
        assertThat(answer(stalled.heartbeat())).isPositive();

        simulator.faults(0).stall(UNTIL_ENDED);
        final CompletableFuture<Outcome> forwardToStalled =
            stalled.forward(ForwardSpec.of(UUID.randomUUID(), Operation.CARD_SUSPEND, CARD));
        final CompletableFuture<Long> heartbeatToStalled = stalled.heartbeat();
        final Outcome fromHealthy = answer(healthy.forward(ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, CARD)));
        final long heartbeatFromHealthy = answer(healthy.heartbeat());
        final boolean stalledAnsweredMeanwhile = forwardToStalled.isDone() || heartbeatToStalled.isDone();
        final boolean onlyTheEndpointStalled = simulator.faults(0).stalled() && !simulator.faults(1).stalled()
            && !simulator.faults().stalled();

        final long stallEndedNanos = System.nanoTime();
        simulator.faults(0).endStall();

        assertThat(fromHealthy.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(heartbeatFromHealthy).isPositive();
        assertThat(stalledAnsweredMeanwhile).isFalse();
        assertThat(onlyTheEndpointStalled).isTrue();
        assertThat(answer(forwardToStalled).receivedNanos()).isGreaterThanOrEqualTo(stallEndedNanos);
        assertThat(answer(heartbeatToStalled)).isGreaterThanOrEqualTo(stallEndedNanos);
        assertThat(stalled.isConnected()).isTrue();
        assertThat(Ledger.appliedCounts(dataDirectory)).hasSize(2);
    }

    @Test
    void aForwardInServiceWhenItsEndpointStallsIsDecidedAndItsRetryThroughAnotherEndpointGetsTheDecision() throws Exception
    {
        final CardSimulator simulator = start(2, 500);
        final UpstreamTestClient stalled = connect(simulator, 0);
        final UpstreamTestClient healthy = connect(simulator, 1);
        final ForwardSpec request = ForwardSpec.of(UUID.randomUUID(), Operation.CERT_CHANGE, CARD);
        final CompletableFuture<Outcome> original = stalled.forward(request);
        await().pollInterval(Duration.ofMillis(5)).until(() -> simulator.stats().snapshot().inService() == 1);

        simulator.faults(0).stall(UNTIL_ENDED);
        final Outcome failedOver = answer(healthy.forward(request.resendFrom(2)));
        await().until(() -> simulator.stats().endpoint(0).held() == 1);
        final boolean originalAnsweredDuringStall = original.isDone();
        simulator.faults(0).endStall();

        assertThat(failedOver.duplicate()).isTrue();
        assertThat(failedOver.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(originalAnsweredDuringStall).isFalse();
        assertThat(answer(original).duplicate()).isFalse();
        assertThat(simulator.stats().endpoint(0).held()).isZero();
        assertThat(Ledger.appliedCounts(dataDirectory)).containsExactlyEntriesOf(Map.of(request.requestId(), 1));
    }

    @Test
    void theErrorRateOfOneEndpointFailsOnlyItsForwardsAndTheRetryElsewhereIsApplied() throws Exception
    {
        final CardSimulator simulator = start(2, 1);
        final UpstreamTestClient failing = connect(simulator, 0);
        final UpstreamTestClient healthy = connect(simulator, 1);
        simulator.faults(0).errorRate(1.0);
        final ForwardSpec request = ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, CARD);

        final Outcome failed = answer(failing.forward(request));
        final Outcome retried = answer(healthy.forward(request.resendFrom(2)));

        assertThat(failed.status()).isEqualTo(OutcomeStatus.TRANSIENT_FAILURE);
        assertThat(retried.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(retried.duplicate()).isFalse();
        assertThat(simulator.faults().errorRate()).isZero();
        assertThat(simulator.faults(1).errorRate()).isZero();
        assertThat(Ledger.appliedCounts(dataDirectory)).containsExactlyEntriesOf(Map.of(request.requestId(), 1));
    }

    @Test
    void whenTheSimulatorWideStallEndsAnEndpointStillStalledOnItsOwnKeepsHoldingItsAnswers() throws Exception
    {
        final CardSimulator simulator = start(2, 1);
        final UpstreamTestClient stalled = connect(simulator, 0);
        final UpstreamTestClient healthy = connect(simulator, 1);
        simulator.faults().stall(UNTIL_ENDED);
        simulator.faults(0).stall(UNTIL_ENDED);
        final CompletableFuture<Long> heartbeatToStalled = stalled.heartbeat();
        final CompletableFuture<Long> heartbeatToHealthy = healthy.heartbeat();
        final boolean answeredDuringBothStalls = heartbeatToStalled.isDone() || heartbeatToHealthy.isDone();

        simulator.faults().endStall();
        final long fromHealthy = answer(heartbeatToHealthy);
        final boolean stalledAnsweredMeanwhile = heartbeatToStalled.isDone();
        final long endpointStallEndedNanos = System.nanoTime();
        simulator.faults(0).endStall();

        assertThat(answeredDuringBothStalls).isFalse();
        assertThat(fromHealthy).isPositive();
        assertThat(stalledAnsweredMeanwhile).isFalse();
        assertThat(answer(heartbeatToStalled)).isGreaterThanOrEqualTo(endpointStallEndedNanos);
    }

    @Test
    void clearingTheFaultsClearsEveryEndpointsSwitchesToo() throws Exception
    {
        final CardSimulator simulator = start(2, 1);
        simulator.faults(1).errorRate(0.5).slowResponses(100, 1.0).stall(UNTIL_ENDED);

        simulator.faults().clear();

        assertThat(simulator.faults(1).errorRate()).isZero();
        assertThat(simulator.faults(1).slowMs()).isZero();
        assertThat(simulator.faults(1).stalled()).isFalse();
        assertThat(answer(connect(simulator, 1).heartbeat())).isPositive();
    }

    @Test
    void anEndpointThatDoesNotExistIsNamed() throws Exception
    {
        final CardSimulator simulator = start(2, 1);

        assertThatThrownBy(() -> simulator.faults(2))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("endpoint: 2 (expected: 0..1)");
    }

    private CardSimulator start(final int endpoints, final long serviceTimeMs) throws IOException
    {
        final CardSimulator simulator = new CardSimulator(CardSimulatorConfig.builder()
            .dataDirectory(dataDirectory)
            .endpoints(endpoints)
            .serviceTimeMs(serviceTimeMs)
            .randomSeed(42)
            .build()).start();
        resources.add(simulator);
        return simulator;
    }

    private UpstreamTestClient connect(final CardSimulator simulator, final int endpoint) throws IOException
    {
        final UpstreamTestClient client = UpstreamTestClient.connect("127.0.0.1", simulator.ports().get(endpoint));
        resources.add(client);
        return client;
    }

    private static <T> T answer(final CompletableFuture<T> future) throws Exception
    {
        return future.get(20, TimeUnit.SECONDS);
    }
}
