package io.chukei.gateway.cardsim;

import io.chukei.gateway.cardsim.UpstreamTestClient.ForwardSpec;
import io.chukei.gateway.reconcile.AppliedExport;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record faults over admin HTTP: acknowledged without applying, applied with the Outcome lost; what the export
 * then says; bad switches refused by name. (Dropping a batch member is proven end to end in ReconcileSystemTest.)
 * One service slot, so Forwards are decided in the order sent and an answered later Forward shows an earlier one
 * was decided.
 */
@Tag("system")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CardSimRecordFaultsTest
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
            .dataDirectory(dataDirectory).serviceTimeMs(1).concurrency(1).adminPort(0).build()).start();
        client = UpstreamTestClient.connect("127.0.0.1", simulator.port());
    }

    @AfterEach
    void stop()
    {
        client.close();
        simulator.close();
    }

    @Test
    void acknowledgedWithoutApplyingIsAnsweredButNeitherWrittenNorExported() throws Exception
    {
        assertThat(post("/record-faults?ackWithoutApply=2").statusCode()).isEqualTo(200);
        final List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (final UUID id : ids)
        {
            assertThat(forward(id).get(10, TimeUnit.SECONDS).status()).isEqualTo(OutcomeStatus.OK);
        }

        assertThat(Ledger.appliedCounts(simulator.ledgerFile())).containsOnlyKeys(ids.get(2));
        assertThat(exportedIds()).containsExactly(ids.get(2));
        assertThat(get("/record-faults/affected")).isEqualTo(
            "ACK_WITHOUT_APPLY 131016 " + ids.get(0) + "\nACK_WITHOUT_APPLY 131016 " + ids.get(1) + "\n");
        assertThat(simulator.recordFaults().remaining(RecordFaults.Kind.ACK_WITHOUT_APPLY)).isZero();
    }

    @Test
    void aLostOutcomeIsAppliedAndNeverAnsweredNotEvenToAResend() throws Exception
    {
        assertThat(post("/record-faults?loseOutcome=1").body()).contains("\"loseOutcome\":{\"remaining\":1");
        final UUID lost = UUID.randomUUID();
        final CompletableFuture<UpstreamTestClient.Outcome> first = forward(lost);
        final CompletableFuture<UpstreamTestClient.Outcome> resent = client.forward(
            ForwardSpec.of(lost, Operation.CARD_ISSUE, "123456789012").resendFrom(2));
        final UUID after = UUID.randomUUID();
        assertThat(forward(after).get(10, TimeUnit.SECONDS).status()).as("decided after the lost one").isEqualTo(OutcomeStatus.OK);

        assertThat(first).isNotDone();
        assertThat(resent).isNotDone();
        assertThat(Ledger.appliedCounts(simulator.ledgerFile())).containsEntry(lost, 1).containsEntry(after, 1);
        assertThat(exportedIds()).containsExactlyInAnyOrder(lost, after);
        assertThat(get("/record-faults/affected")).isEqualTo("LOSE_OUTCOME 131016 " + lost + "\n");
    }

    @Test
    void aBadSwitchIsRefusedByNameAndArmsNothing() throws Exception
    {
        final HttpResponse<String> fraction = post("/record-faults?loseOutcome=3&ackWithoutApplyFraction=1.5");
        assertThat(fraction.statusCode()).isEqualTo(400);
        assertThat(fraction.body()).contains("ackWithoutApplyFraction: 1.5 (expected: 0.0..1.0)");
        final HttpResponse<String> count = post("/record-faults?dropBatchMember=-1");
        assertThat(count.statusCode()).isEqualTo(400);
        assertThat(count.body()).contains("dropBatchMember: -1 (expected: a whole number of requests");
        assertThat(post("/record-faults?loseOutcomes=1").body()).contains("parameter: loseOutcomes (expected: ");
        assertThat(simulator.recordFaults().remaining(RecordFaults.Kind.LOSE_OUTCOME)).isZero();

        assertThat(post("/record-faults?loseOutcome=3").statusCode()).isEqualTo(200);
        assertThat(post("/faults/clear").statusCode()).isEqualTo(200);
        assertThat(simulator.recordFaults().remaining(RecordFaults.Kind.LOSE_OUTCOME)).as("cleared").isZero();
    }

    @Test
    void theExportFollowsTheContractAndCanBeLimitedToOneDay() throws Exception
    {
        final UUID id = UUID.randomUUID();
        forward(id).get(10, TimeUnit.SECONDS);
        client.forward(ForwardSpec.of(id, Operation.CARD_ISSUE, "123456789012").resendFrom(2)).get(10, TimeUnit.SECONDS);

        final String export = get("/export");
        assertThat(export).startsWith(AppliedExport.MAGIC + "\n" + AppliedExport.HEADER + "\n");
        assertThat(export.lines().skip(2)).singleElement().satisfies(line ->
            assertThat(line).startsWith("131016," + id + ",1,").endsWith(",OK,0"));
        assertThat(get("/export?date=2001-01-01").lines()).hasSize(2);
        assertThat(post("/export").statusCode()).isEqualTo(405);
    }

    private List<UUID> exportedIds() throws Exception
    {
        final Path file = dataDirectory.resolve("export.csv");
        Files.writeString(file, get("/export"));
        final List<UUID> ids = new ArrayList<>();
        AppliedExport.read(file, (line, number) -> ids.add(line.requestId()));
        return ids;
    }

    private CompletableFuture<UpstreamTestClient.Outcome> forward(final UUID id)
    {
        return client.forward(ForwardSpec.of(id, Operation.CARD_ISSUE, "123456789012"));
    }

    private HttpResponse<String> post(final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.adminPort() + path))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(final String path) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + simulator.adminPort() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
