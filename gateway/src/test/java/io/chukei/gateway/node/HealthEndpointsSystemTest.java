package io.chukei.gateway.node;

import io.chukei.gateway.cluster.OperatorAction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readiness says whether the node takes new work; liveness only whether the process answers. */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HealthEndpointsSystemTest
{
    @TempDir
    Path dataDir;

    private final java.util.Map<RelayNode, AdminHttp> clients = new java.util.HashMap<>();


    @Test
    void anActiveNodeIsReady() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start())
        {
            final HttpResponse<String> ready = get(node, "/health/ready");

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"ready\":true", "\"state\":\"ACTIVE\"");
        }
    }

    @Test
    void anIsolatedNodeIsLiveButNotReady() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start())
        {
            node.nodeStatus().operatorAction(OperatorAction.ISOLATED, "drill");

            final HttpResponse<String> ready = get(node, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"ready\":false", "\"state\":\"ISOLATED\"", "operator isolated: drill");
            assertThat(get(node, "/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aSelfIsolatedNodeIsNotReadyAndCountsTheIsolation() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start())
        {
            node.nodeStatus().selfIsolate("event-loop lag 900 ms (bound 500 ms)");
            node.nodeStatus().selfRecovered();
            node.nodeStatus().selfIsolate("event-loop lag 900 ms (bound 500 ms)");

            assertThat(get(node, "/health/ready").statusCode()).isEqualTo(503);
            assertThat(node.metrics().scrape())
                .contains("chukei_cluster_self_isolations_total{node=\"1\"} 2.0")
                .contains("chukei_cluster_self_isolated{node=\"1\"} 1.0")
                .contains("chukei_cluster_peer_state{node=\"1\",peer=\"1\",state=\"ISOLATED\"} 1.0");
        }
    }

    @Test
    void aDrainingNodeForShutdownIsNotReady() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start())
        {
            node.nodeStatus().stopping("test");

            final HttpResponse<String> ready = get(node, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"state\":\"DRAINING\"", "stopping: test");
        }
    }

    @Test
    void aStalledCardManagementIsUnhealthyAndTheNodeNotReadyUntilItAnswersAgain() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir, "upstream.attemptTimeoutMs", "1000"),
                Clock.systemUTC()).start();
             io.chukei.protocol.client.ConnectorClient client = NodeFixtures.connector(dataDir, node.connectorAddress(),
                 "131016"))
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> get(node, "/health/ready").statusCode() == 200);
            // Connected, heartbeats answered, but no Outcome: only the waiting forward shows the stall.
            node.simulator().faults().stall(Duration.ofSeconds(30));
            final io.chukei.protocol.client.Submission waiting = client.send(NodeFixtures.cardStatus("123456789012"));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            {
                assertThat(node.metrics().scrape()).contains("chukei_upstream_healthy{node=\"1\"} 0.0");
                assertThat(get(node, "/health/ready").body()).contains("\"ready\":false", "\"upstreamHealthy\":0");
            });
            node.simulator().faults().endStall();

            assertThat(waiting.answer().get(30, TimeUnit.SECONDS)).isInstanceOf(io.chukei.protocol.client.Answer.Result.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> get(node, "/health/ready").statusCode() == 200);
        }
    }

    private HttpResponse<String> get(final RelayNode node, final String path) throws Exception
    {
        // One client per node, as a load balancer keeps one: a new client per poll is a new TLS handshake each time.
        return clients.computeIfAbsent(node, AdminHttp::viewer).get(node, path);
    }
}
