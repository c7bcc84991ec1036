package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.cardsim.Ledger;
import io.chukei.gateway.journal.Journal;
import io.chukei.gateway.journal.JournalConfig;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.RequestStatus;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.codec.MunicipalityCodes;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Card management answers after the request's deadline (the simulator's slow switch): the connector is told the
 * outcome is unknown at the deadline — not that the request failed — and from the moment card management applied
 * it, StatusQuery and a same-id resend give the real Result; it is applied exactly once. The second case runs the
 * node in its own JVM, kills it with -9 while the outcome is unknown and restarts it on the same journal.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OutcomeUnknownSystemTest
{
    private static final String MUNICIPALITY = "131016";
    private static final Duration DEADLINE = Duration.ofMillis(3000);
    private static final long UPSTREAM_SLOW_MS = 8000;

    @TempDir
    Path dataDir;

    @Test
    void aVerdictAfterTheDeadlineIsOutcomeUnknownThenTheRealResult() throws Exception
    {
        try (CardSimulator simulator = slowSimulator();
             RelayNode node = new RelayNode(NodeFixtures.config(dataDir,
                 "upstream.endpoints", "127.0.0.1:" + simulator.port()), Clock.systemUTC()).start();
             ConnectorClient raw = connector(node.connectorAddress(), Duration.ZERO);
             ConnectorClient resolving = connector(node.connectorAddress(), Duration.ofSeconds(60)))
        {
            warmUp(simulator, raw, resolving);
            final UUID id = UUID.randomUUID();
            final Answer atDeadline = raw.send(cardStatus(id, false)).answer().get(30, TimeUnit.SECONDS);

            assertThat(atDeadline).as("answer at the deadline: %s", atDeadline)
                .isInstanceOfSatisfying(Answer.Rejected.class, rejected ->
            {
                assertThat(rejected.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
                assertThat(rejected.local()).as("said by the relay at the deadline").isFalse();
            });
            assertThat(Ledger.appliedCounts(simulator.ledgerFile())).as("not applied yet when told").doesNotContainKey(id);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Ledger.appliedCounts(simulator.ledgerFile())).containsEntry(id, 1));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            {
                final RequestStatus status = raw.status(id).get(10, TimeUnit.SECONDS);
                assertThat(status.answer()).get().isInstanceOfSatisfying(Answer.Result.class,
                    result -> assertThat(result.status()).isEqualTo(OutcomeStatus.OK));
            });
            final Answer resent = raw.send(cardStatus(id, true)).answer().get(30, TimeUnit.SECONDS);
            assertThat(resent).isInstanceOfSatisfying(Answer.Result.class,
                result -> assertThat(result.status()).isEqualTo(OutcomeStatus.OK));

            // The SDK's default: the outcome-unknown answer does not end the request; the real Result does.
            final UUID second = UUID.randomUUID();
            final Answer resolved = resolving.send(cardStatus(second, false)).answer().get(60, TimeUnit.SECONDS);
            assertThat(resolved).isInstanceOf(Answer.Result.class);
            assertThat(resolving.stats().outcomeUnknown()).isEqualTo(1);

            assertThat(Ledger.appliedCounts(simulator.ledgerFile())).containsEntry(id, 1).containsEntry(second, 1);
            assertThat(node.journal().trace(id.getMostSignificantBits(), id.getLeastSignificantBits()).stream()
                .map(JournalEvent::type).toList()).startsWith(JournalEventType.ACCEPTED, JournalEventType.FORWARDED)
                .contains(JournalEventType.OUTCOME_UNKNOWN).endsWith(JournalEventType.COMPLETED)
                .doesNotContain(JournalEventType.REJECTED);
        }
    }

    @Test
    void aNodeKilledWhileTheOutcomeIsUnknownLearnsItAfterItsRestart() throws Exception
    {
        try (CardSimulator simulator = slowSimulator();
             NodeProcess node = new NodeProcess(nodeConfig(simulator), nodeData()).start();
             ConnectorClient raw = connector(new InetSocketAddress("127.0.0.1", connectorPort()), Duration.ZERO))
        {
            warmUp(simulator, raw);
            final UUID id = UUID.randomUUID();
            final Answer atDeadline = raw.send(cardStatus(id, false)).answer().get(30, TimeUnit.SECONDS);
            assertThat(((Answer.Rejected)atDeadline).code()).as("answer at the deadline: %s", atDeadline)
                .isEqualTo(ErrorCode.OUTCOME_UNKNOWN);

            node.kill();
            node.start();

            assertThat(node.log()).as("the ready line says what recovery did")
                .contains("1 recovered requests: 0 re-forwarded (deadline ahead), 1 re-forwarded to learn an unknown outcome");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            {
                final RequestStatus status = raw.status(id).get(10, TimeUnit.SECONDS);
                assertThat(status.answer()).get().isInstanceOf(Answer.Result.class);
            });
            node.stop();
            assertThat(Ledger.appliedCounts(simulator.ledgerFile())).containsEntry(id, 1);
            final List<JournalEventType> story = story(id);
            assertThat(story).contains(JournalEventType.OUTCOME_UNKNOWN).endsWith(JournalEventType.COMPLETED)
                .doesNotContain(JournalEventType.REJECTED);
            assertThat(story.stream().filter(type -> type == JournalEventType.FORWARDED))
                .as("the first forward and the one after the restart").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    /**
     * One answered request per client before card management turns slow: a cold node JVM on a loaded machine (TLS,
     * first journal cycle file) can take longer than a deadline for its first request, which tests nothing here.
     */
    private static void warmUp(final CardSimulator simulator, final ConnectorClient... clients) throws Exception
    {
        simulator.faults().slowResponses(0, 0);
        for (final ConnectorClient client : clients)
        {
            final Answer answer = client.send(SubmitRequest.builder(Operation.CARD_STATUS).cardId("123456789012")
                .timeout(Duration.ofSeconds(60)).build()).answer().get(90, TimeUnit.SECONDS);
            assertThat(answer).as("warm-up answer").isInstanceOf(Answer.Result.class);
        }
        simulator.faults().slowResponses(UPSTREAM_SLOW_MS, 1.0);
    }

    /** Every forward waits {@link #UPSTREAM_SLOW_MS} before card management decides (and writes its ledger). */
    private CardSimulator slowSimulator() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        final CardSimulator simulator = new CardSimulator(CardSimulatorConfig.builder()
            .port(0)
            .tls(pki.issueUpstream("cardsim"))
            .serviceTimeMs(1)
            .dataDirectory(dataDir.resolve("upstream"))
            .build()).start();
        simulator.faults().slowResponses(UPSTREAM_SLOW_MS, 1.0);
        return simulator;
    }

    private Path nodeConfig(final CardSimulator simulator) throws Exception
    {
        final Path config = dataDir.resolve("node.conf");
        Files.writeString(config, String.join("\n",
            "node.id=1",
            "connector.listen=127.0.0.1:" + connectorPort(),
            "admin.listen=127.0.0.1:0",
            "upstream.endpoints=127.0.0.1:" + simulator.port(),
            ""));
        return config;
    }

    private int port;

    private int connectorPort() throws Exception
    {
        if (port == 0)
        {
            port = NodeProcess.freePort();
        }
        return port;
    }

    private Path nodeData() throws Exception
    {
        return TestProcesses.nodeDataWithPki(dataDir.resolve("pki"), dataDir.resolve("node"));
    }

    private ConnectorClient connector(final InetSocketAddress node, final Duration outcomeUnknownWait) throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        return ConnectorClient.builder()
            .nodes(List.of(node))
            .sslContext(TlsContexts.client(pki.issueConnector(MUNICIPALITY), PeerPolicy.relayClient()))
            .municipalityCode(MUNICIPALITY)
            .connectorName("test/outcome-unknown")
            .defaultTimeout(DEADLINE)
            // The node's answers may be slow on a loaded machine; a move would resend and blur what is tested.
            .attemptTimeout(Duration.ofSeconds(10))
            .outcomeUnknownWait(outcomeUnknownWait)
            .build();
    }

    private static SubmitRequest cardStatus(final UUID id, final boolean resend)
    {
        final SubmitRequest.Builder builder = SubmitRequest.builder(Operation.CARD_STATUS).cardId("123456789012").requestId(id);
        return (resend ? builder.timeout(Duration.ofSeconds(20)) : builder).build();
    }

    private List<JournalEventType> story(final UUID id)
    {
        try (Journal journal = Journal.open(JournalConfig.builder().directory(dataDir.resolve("node").resolve("journal"))
            .readOnly(true).build()))
        {
            return journal.trace(id.getMostSignificantBits(), id.getLeastSignificantBits()).stream()
                .map(JournalEvent::type).toList();
        }
    }
}
