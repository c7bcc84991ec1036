package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.cardsim.Ledger;
import io.chukei.gateway.config.HostPort;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.Submission;
import io.micrometer.core.instrument.Counter;
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

/** A stalled endpoint among three is ejected after its attempts fail in a row; requests keep completing elsewhere, once. */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UpstreamEjectionSystemTest
{
    private static final int BATCH = 10;
    private static final int MAX_BATCHES = 40;

    @TempDir
    Path dataDir;

    private int nextCard = 1;

    @Test
    void aStalledEndpointIsEjectedWhileRequestsKeepCompleting() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        try (CardSimulator cardManagement = new CardSimulator(CardSimulatorConfig.builder()
            .endpoints(3)
            .tls(pki.issueUpstream("cardsim"))
            .serviceTimeMs(5)
            .dataDirectory(dataDir.resolve("upstream"))
            .build()).start();
             RelayNode node = new RelayNode(NodeFixtures.config(dataDir,
                 "upstream.endpoints", endpoints(cardManagement),
                 // Attempts time out before the stalled endpoint's missed heartbeats close its link.
                 "upstream.attemptTimeoutMs", "300"),
                 Clock.systemUTC()).start();
             ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(), "131016"))
        {
            final HostPort stalled = new HostPort("127.0.0.1", cardManagement.ports().get(0));
            completeBatch(client, new ArrayList<>());
            cardManagement.faults(0).stall(Duration.ofSeconds(120));

            final List<Submission> submissions = new ArrayList<>();
            for (int batch = 0; batch < MAX_BATCHES && ejections(node, stalled) == 0; batch++)
            {
                completeBatch(client, submissions);
            }
            assertThat(ejections(node, stalled)).as("ejections of the stalled endpoint").isPositive();
            completeBatch(client, submissions);

            final Map<UUID, Integer> applied = Ledger.appliedCounts(cardManagement.ledgerFile());
            assertThat(applied.keySet()).containsAll(submissions.stream().map(Submission::requestId).toList());
            assertThat(applied.values()).allSatisfy(count -> assertThat(count).isEqualTo(1));
            System.out.printf("upstream ejection: stalled endpoint ejected after %d requests%n", submissions.size());
            cardManagement.faults(0).endStall();
        }
    }

    private void completeBatch(final ConnectorClient client, final List<Submission> into) throws Exception
    {
        final List<Submission> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++)
        {
            batch.add(client.send(NodeFixtures.cardStatus(String.format("%012d", nextCard++))));
        }
        for (final Submission submission : batch)
        {
            assertThat(submission.answer().get(30, TimeUnit.SECONDS)).isInstanceOf(Answer.Result.class);
        }
        into.addAll(batch);
    }

    private static double ejections(final RelayNode node, final HostPort endpoint)
    {
        return node.metrics().registry().find("chukei.upstream.ejections").tag("endpoint", endpoint.toString())
            .counters().stream().mapToDouble(Counter::count).sum();
    }

    private static String endpoints(final CardSimulator cardManagement)
    {
        final List<String> endpoints = new ArrayList<>();
        for (final int port : cardManagement.ports())
        {
            endpoints.add("127.0.0.1:" + port);
        }
        return String.join(",", endpoints);
    }
}
