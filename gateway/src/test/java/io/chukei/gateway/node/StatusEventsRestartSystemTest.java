package io.chukei.gateway.node;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
                .contains("\"kind\":\"operator\",\"text\":\"operator:alice cluster-release node 1: draining -> none")
                .contains("operator:alice cluster-drain node 1: none -> draining (reason: kernel update)")
                .contains("\"fromJournal\":true")
                .doesNotContain("\"fromJournal\":false");
            assertThat(status.indexOf("cluster-release")).as("newest first").isLessThan(status.indexOf("cluster-drain"));
        }
    }

    /** As operator {@value AdminHttp#OPERATOR}: the admin listener wants mutual TLS, and a change an operator. */
    private static int post(final RelayNode node, final String path) throws Exception
    {
        return AdminHttp.operator(node).post(node, path).statusCode();
    }

    private static String get(final RelayNode node, final String path) throws Exception
    {
        final HttpResponse<String> response = AdminHttp.viewer(node).get(node, path);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
