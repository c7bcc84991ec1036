package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.cardsim.Ledger;
import io.chukei.gateway.journal.JournalEvent;
import io.chukei.gateway.journal.JournalEventType;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.Submission;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Upstream errors are retried on another endpoint with the same id; a deadline ends what cannot be served. */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UpstreamFailuresSystemTest
{
    @TempDir
    Path dataDir;

    @Test
    void anEndpointThatFailsEverythingIsRoutedAroundWithoutLossOrDuplicates() throws Exception
    {
        try (CardSimulator failing = simulator("failing");
             CardSimulator healthy = simulator("healthy");
             RelayNode node = new RelayNode(NodeFixtures.config(dataDir,
                 "upstream.endpoints", "127.0.0.1:" + failing.port() + ",127.0.0.1:" + healthy.port()),
                 Clock.systemUTC()).start();
             ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(), "131016"))
        {
            failing.faults().errorRate(1.0);
            final List<Submission> submissions = new ArrayList<>();
            for (int i = 0; i < 100; i++)
            {
                submissions.add(client.send(NodeFixtures.cardStatus(String.format("%012d", i + 1))));
            }
            for (final Submission submission : submissions)
            {
                assertThat(submission.answer().get(60, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
            }

            assertThat(Ledger.appliedCounts(failing.ledgerFile())).isEmpty();
            final Map<UUID, Integer> applied = Ledger.appliedCounts(healthy.ledgerFile());
            assertThat(applied).hasSize(100).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
            final long retried = submissions.stream().filter(s -> forwards(node, s.requestId()) > 1).count();
            assertThat(retried).as("requests that met the failing endpoint first").isPositive();
        }
    }

    @Test
    void aRequestNoEndpointCanServeIsRejectedAtItsDeadlineNeverLeftSilent() throws Exception
    {
        try (CardSimulator failing = simulator("failing");
             RelayNode node = new RelayNode(NodeFixtures.config(dataDir,
                 "upstream.endpoints", "127.0.0.1:" + failing.port()), Clock.systemUTC()).start();
             ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(), "131016"))
        {
            failing.faults().errorRate(1.0);
            final Submission submission = client.send(SubmitRequest.builder(Operation.CARD_STATUS)
                .cardId("123456789012").timeout(Duration.ofMillis(1500)).build());

            final Answer answer = submission.answer().get(30, TimeUnit.SECONDS);
            assertThat(answer).isInstanceOfSatisfying(Answer.Rejected.class, rejected ->
            {
                assertThat(rejected.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
                assertThat(rejected.local()).as("decided by the relay, not by the SDK's own timer").isFalse();
            });
            final UUID id = submission.requestId();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(node.journal().trace(id.getMostSignificantBits(), id.getLeastSignificantBits())
                    .stream().map(JournalEvent::type).toList())
                    .startsWith(JournalEventType.ACCEPTED).endsWith(JournalEventType.REJECTED)
                    .contains(JournalEventType.FORWARDED));
            assertThat(Ledger.appliedCounts(failing.ledgerFile())).isEmpty();
        }
    }

    private static long forwards(final RelayNode node, final UUID id)
    {
        return node.journal().trace(id.getMostSignificantBits(), id.getLeastSignificantBits()).stream()
            .filter(event -> event.type() == JournalEventType.FORWARDED).count();
    }

    private CardSimulator simulator(final String name) throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        return new CardSimulator(CardSimulatorConfig.builder()
            .port(0)
            .tls(pki.issueUpstream("cardsim"))
            .dataDirectory(dataDir.resolve(name))
            .build()).start();
    }

    @Test
    void aStalledEndpointIsFoundByItsMissedHeartbeatsAndItsRequestsCompleteElsewhereOnce() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        try (CardSimulator cardManagement = new CardSimulator(CardSimulatorConfig.builder()
            .endpoints(2)
            .tls(pki.issueUpstream("cardsim"))
            .serviceTimeMs(20)
            .dataDirectory(dataDir.resolve("upstream"))
            .build()).start();
             RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "upstream.endpoints",
                 "127.0.0.1:" + cardManagement.ports().get(0) + ",127.0.0.1:" + cardManagement.ports().get(1)),
                 Clock.systemUTC()).start();
             ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(), "131016"))
        {
            assertThat(client.submit(NodeFixtures.cardStatus("123456789012")).get(30, TimeUnit.SECONDS))
                .isInstanceOf(Answer.Result.class);
            cardManagement.faults(0).stall(Duration.ofSeconds(120));
            final long stalledAt = System.nanoTime();
            final List<Submission> submissions = new ArrayList<>();
            for (int i = 0; i < 100; i++)
            {
                submissions.add(client.send(NodeFixtures.cardStatus(String.format("%012d", i + 1))));
            }
            for (final Submission submission : submissions)
            {
                assertThat(submission.answer().get(60, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
            }
            System.out.printf("upstream stall: 100 requests answered %d ms after endpoint 0 stalled%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledAt));

            final Map<UUID, Integer> applied = Ledger.appliedCounts(cardManagement.ledgerFile());
            assertThat(applied.values()).allSatisfy(count -> assertThat(count).isEqualTo(1));
            assertThat(applied.keySet()).containsAll(submissions.stream().map(Submission::requestId).toList());
            cardManagement.faults(0).endStall();
        }
    }
}
