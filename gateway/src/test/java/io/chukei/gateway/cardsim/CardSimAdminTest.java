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
import static org.awaitility.Awaitility.await;

/** The admin HTTP endpoint switches the same faults as the Java API and reports stats and the ledger. */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CardSimAdminTest
{
    @TempDir
    Path dataDirectory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private CardSimulator simulator;
    private UpstreamTestClient client;

    @BeforeEach
    void start() throws Exception
    {
        simulator = new CardSimulator(CardSimulatorConfig.builder()
            .dataDirectory(dataDirectory).serviceTimeMs(1).adminPort(0).build()).start();
        client = UpstreamTestClient.connect("127.0.0.1", simulator.port());
    }

    @AfterEach
    void stop()
    {
        client.close();
        simulator.close();
    }

    @Test
    void postFaultsSetsTheErrorRateAndForwardsFail() throws Exception
    {
        final HttpResponse<String> response = post("/faults?errorRate=1.0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"errorRate\":1.0");
        assertThat(simulator.faults().errorRate()).isEqualTo(1.0);
        assertThat(forward().status()).isEqualTo(OutcomeStatus.TRANSIENT_FAILURE);
    }

    @Test
    void postFaultsSetsSlowResponsesAndGetFaultsShowsThem() throws Exception
    {
        post("/faults?slowMs=200&slowFraction=0.5");

        final HttpResponse<String> response = get("/faults");

        assertThat(response.body()).contains("\"slowMs\":200", "\"slowFraction\":0.5", "\"errorRate\":0.0");
        assertThat(simulator.faults().slowMs()).isEqualTo(200);
    }

    @Test
    void clearSwitchesEveryFaultOff() throws Exception
    {
        simulator.faults().errorRate(1.0).slowResponses(500, 1.0);

        final HttpResponse<String> response = post("/faults/clear");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(simulator.faults().errorRate()).isZero();
        assertThat(simulator.faults().slowMs()).isZero();
        assertThat(forward().status()).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void anOutOfRangeValueIsRefusedWithItsNameAndChangesNothing() throws Exception
    {
        final HttpResponse<String> response = post("/faults?errorRate=2&slowMs=100");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("errorRate: 2 (expected: 0.0..1.0)");
        assertThat(simulator.faults().slowMs()).isZero();
    }

    @Test
    void postStallStallsForTheGivenTimeThenResumes() throws Exception
    {
        final HttpResponse<String> response = post("/stall?seconds=0.5");

        assertThat(response.statusCode()).isEqualTo(200);
        await().until(() -> simulator.faults().stalled());
        await().until(() -> !simulator.faults().stalled());
        assertThat(forward().status()).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void statsCountWhatHappened() throws Exception
    {
        final ForwardSpec request = ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, "123456789012");
        client.forward(request).get(10, TimeUnit.SECONDS);
        client.forward(request.resendFrom(2)).get(10, TimeUnit.SECONDS);

        final HttpResponse<String> response = get("/stats");

        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).contains("\"received\":2", "\"applied\":1", "\"duplicates\":1", "\"inService\":0");
    }

    @Test
    void ledgerListsEachAppliedRequestIdWithItsCount() throws Exception
    {
        final ForwardSpec request = ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, "123456789012");
        client.forward(request).get(10, TimeUnit.SECONDS);
        client.forward(request.resendFrom(2)).get(10, TimeUnit.SECONDS);

        assertThat(get("/ledger").body()).isEqualTo(request.requestId() + " 1\n");
    }

    @Test
    void anUnknownPathIsNotFound() throws Exception
    {
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void aStallMustBePosted() throws Exception
    {
        assertThat(get("/stall?seconds=1").statusCode()).isEqualTo(405);
        assertThat(simulator.faults().stalled()).isFalse();
    }

    private UpstreamTestClient.Outcome forward() throws Exception
    {
        return client.forward(ForwardSpec.of(UUID.randomUUID(), Operation.CARD_ISSUE, "123456789012"))
            .get(10, TimeUnit.SECONDS);
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
