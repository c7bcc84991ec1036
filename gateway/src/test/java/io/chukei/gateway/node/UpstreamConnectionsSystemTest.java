package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.cardsim.Ledger;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.Submission;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Several connections per card-management endpoint, so upstream work spreads over the event loops. */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamConnectionsSystemTest
{
    @TempDir
    Path dataDir;

    @Test
    void eachEndpointGetsTheConfiguredConnectionsAndRequestsGoOverAllOfThem() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        try (CardSimulator cardManagement = new CardSimulator(CardSimulatorConfig.builder()
            .endpoints(2)
            .tls(pki.issueUpstream("cardsim"))
            .dataDirectory(dataDir.resolve("upstream"))
            .build()).start();
             RelayNode node = new RelayNode(NodeFixtures.config(dataDir,
                 "upstream.endpoints", "127.0.0.1:" + cardManagement.ports().get(0) + ",127.0.0.1:" + cardManagement.ports().get(1),
                 "upstream.connectionsPerEndpoint", "3"),
                 Clock.systemUTC()).start();
             ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(), "131016"))
        {
            await().atMost(Duration.ofSeconds(20))
                .until(() -> cardManagement.connections(0) == 3 && cardManagement.connections(1) == 3);

            final List<Submission> submissions = new ArrayList<>();
            for (int i = 0; i < 60; i++)
            {
                submissions.add(client.send(NodeFixtures.cardStatus(String.format("%012d", i + 1))));
            }
            for (final Submission submission : submissions)
            {
                assertThat(submission.answer().get(30, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
            }

            assertThat(Ledger.appliedCounts(cardManagement.ledgerFile())).hasSize(60)
                .allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
            assertThat(cardManagement.stats().snapshot().endpoints()).allSatisfy(endpoint ->
                assertThat(endpoint.received()).as("forwards to endpoint %d", endpoint.endpoint()).isPositive());
        }
    }
}
