package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.Ledger;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.client.Submission;
import io.chukei.protocol.sbe.Durability;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real node with {@code journal.durability=off} (benchmarks only): it relays, and never claims durability. */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalOffSystemTest
{
    @TempDir
    Path dataDir;

    @Test
    void requestsAreAnsweredEndToEndAndAcceptedSaysNothingWasJournaled() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "journal.durability", "off"), Clock.systemUTC()).start();
             ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(), "131016"))
        {
            final List<Submission> submissions = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                submissions.add(client.send(NodeFixtures.cardStatus(String.format("%012d", i + 1))));
            }
            for (final Submission submission : submissions)
            {
                assertThat(submission.accepted().get(30, TimeUnit.SECONDS)).hasValueSatisfying(acceptance ->
                    assertThat(acceptance.durability()).isEqualTo(Durability.NONE));
                assertThat(submission.answer().get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(Answer.Result.class,
                    result -> assertThat(result.status()).isEqualTo(OutcomeStatus.OK));
            }
            assertThat(dataDir.resolve("journal")).doesNotExist();
        }
    }

    @Test
    void aResendInTheSameRunGetsTheStoredResultWithoutASecondForward() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "journal.durability", "off"), Clock.systemUTC()).start();
             ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(), "131016"))
        {
            final UUID id = UUID.randomUUID();
            final Answer first = client.submit(cardStatus(id)).get(30, TimeUnit.SECONDS);
            final Answer second = client.submit(cardStatus(id)).get(30, TimeUnit.SECONDS);

            assertThat(first).isInstanceOf(Answer.Result.class);
            assertThat(second).isInstanceOfSatisfying(Answer.Result.class, result ->
                assertThat(result.status()).isEqualTo(((Answer.Result)first).status()));
            assertThat(Ledger.appliedCounts(node.simulator().ledgerFile())).containsEntry(id, 1);
        }
    }

    @Test
    void theReadyLineSaysTheJournalIsOffAndTheNodeStillReportsReady() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "journal.durability", "off"), Clock.systemUTC()).start())
        {
            assertThat(node.readyLine()).contains(", journal off,");

            final AdminHttp viewer = AdminHttp.viewer(node);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(viewer.get(node, "/health/ready").statusCode()).isEqualTo(200));
        }
    }

    private static SubmitRequest cardStatus(final UUID id)
    {
        return SubmitRequest.builder(Operation.CARD_STATUS).requestId(id).cardId("123456789012").build();
    }
}
