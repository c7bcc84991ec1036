package io.chukei.gateway.node;

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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator actions listed on the status page outlive a restart: the node reads them back from its journal. */
@Tag("system")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatusEventsRestartSystemTest
{
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void anOperatorsActionsBeforeARestartAreStillListed() throws Exception
    {
        try (RelayNode node = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start())
        {
            assertThat(post(node, "/cluster/drain?node=1&reason=kernel%20update")).isEqualTo(200);
            assertThat(post(node, "/cluster/release?node=1")).isEqualTo(200);
            assertThat(get(node, "/status.json")).contains("cluster-drain").contains("\"fromJournal\":false");
        }

        try (RelayNode restarted = new RelayNode(NodeFixtures.config(dataDir), Clock.systemUTC()).start())
        {
            final String status = get(restarted, "/status.json");

            assertThat(status)
                .contains("\"kind\":\"operator\",\"text\":\"admin-http cluster-release node 1: draining -> none")
                .contains("admin-http cluster-drain node 1: none -> draining (reason: kernel update)")
                .contains("\"fromJournal\":true")
                .doesNotContain("\"fromJournal\":false");
            assertThat(status.indexOf("cluster-release")).as("newest first").isLessThan(status.indexOf("cluster-drain"));
        }
    }

    private int post(final RelayNode node, final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminAddress().getPort() + path))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String get(final RelayNode node, final String path) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.adminAddress().getPort() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
