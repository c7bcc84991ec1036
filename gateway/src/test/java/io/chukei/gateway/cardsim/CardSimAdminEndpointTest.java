package io.chukei.gateway.cardsim;

import io.chukei.gateway.cardsim.UpstreamTestClient.ForwardSpec;
import io.chukei.protocol.sbe.Operation;
import io.chukei.protocol.sbe.OutcomeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin HTTP endpoint's {@code endpoint=N} parameter switches one upstream endpoint alone. */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CardSimAdminEndpointTest
{
    @TempDir
    Path dataDirectory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private CardSimulator simulator;

    @BeforeEach
    void start() throws Exception
    {
        simulator = new CardSimulator(CardSimulatorConfig.builder()
            .dataDirectory(dataDirectory).endpoints(2).serviceTimeMs(1).adminPort(0).build()).start();
    }

    @AfterEach
    void stop()
    {
        simulator.close();
    }

    @Test
    void postFaultsWithAnEndpointSetsOnlyThatEndpointsErrorRate() throws Exception
    {
        final HttpResponse<String> response = post("/faults?endpoint=1&errorRate=1.0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"endpoint\":1", "\"errorRate\":1.0");
        assertThat(simulator.faults(1).errorRate()).isEqualTo(1.0);
        assertThat(simulator.faults(0).errorRate()).isZero();
        assertThat(simulator.faults().errorRate()).isZero();
        assertThat(forwardThrough(1)).isEqualTo(OutcomeStatus.TRANSIENT_FAILURE);
        assertThat(forwardThrough(0)).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void postStallWithAnEndpointStallsOnlyThatEndpointUntilItIsCleared() throws Exception
    {
        final HttpResponse<String> stalled = post("/stall?endpoint=0&seconds=120");
        final boolean endpointStalled = simulator.faults(0).stalled();
        final boolean othersStalled = simulator.faults(1).stalled() || simulator.faults().stalled();

        final HttpResponse<String> cleared = post("/faults/clear?endpoint=0");

        assertThat(stalled.statusCode()).isEqualTo(200);
        assertThat(stalled.body()).isEqualTo("{\"endpoint\":0,\"stalledForMs\":120000}");
        assertThat(endpointStalled).isTrue();
        assertThat(othersStalled).isFalse();
        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(simulator.faults(0).stalled()).isFalse();
    }

    @Test
    void clearWithAnEndpointLeavesTheOtherSwitchesAlone() throws Exception
    {
        simulator.faults().errorRate(0.5);
        simulator.faults(0).errorRate(0.5);
        simulator.faults(1).errorRate(0.5);

        post("/faults/clear?endpoint=1");

        assertThat(simulator.faults(1).errorRate()).isZero();
        assertThat(simulator.faults(0).errorRate()).isEqualTo(0.5);
        assertThat(simulator.faults().errorRate()).isEqualTo(0.5);
    }

    @Test
    void getFaultsShowsOneEndpointWithTheParameterAndEveryEndpointWithout() throws Exception
    {
        simulator.faults(1).slowResponses(200, 0.5);

        final String one = get("/faults?endpoint=1").body();
        final String all = get("/faults").body();

        assertThat(one).startsWith("{\"endpoint\":1,").contains("\"slowMs\":200", "\"slowFraction\":0.5");
        assertThat(all).contains("\"endpoints\":[{\"endpoint\":0,", "{\"endpoint\":1,\"errorRate\":0.0,\"slowMs\":200");
    }

    @Test
    void statsCountEachEndpointsForwards() throws Exception
    {
        forwardThrough(1);
        forwardThrough(1);

        final String stats = get("/stats").body();

        assertThat(stats).contains("\"received\":2,",
            "\"endpoints\":[{\"endpoint\":0,\"received\":0,", "{\"endpoint\":1,\"received\":2,");
    }

    @Test
    void anEndpointThatDoesNotExistIsRefusedAndChangesNothing() throws Exception
    {
        final HttpResponse<String> response = post("/faults?endpoint=2&errorRate=1.0");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("endpoint: 2 (expected: 0..1)");
        assertThat(simulator.faults().errorRate()).isZero();
        assertThat(post("/stall?endpoint=x&seconds=1").body()).contains("endpoint: x (expected: 0..1)");
        assertThat(simulator.faults(0).stalled()).isFalse();
    }

    private OutcomeStatus forwardThrough(final int endpoint) throws Exception
    {
        try (UpstreamTestClient client = UpstreamTestClient.connect("127.0.0.1", simulator.ports().get(endpoint)))
        {
            return client.forward(ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, "123456789012"))
                .get(10, TimeUnit.SECONDS).status();
        }
    }

    private HttpResponse<String> get(final String pathAndQuery) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(final String pathAndQuery) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String pathAndQuery)
    {
        return URI.create("http://127.0.0.1:" + simulator.adminPort() + pathAndQuery);
    }
}
