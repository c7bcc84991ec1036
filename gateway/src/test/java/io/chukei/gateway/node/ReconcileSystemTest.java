package io.chukei.gateway.node;

import io.chukei.gateway.cardsim.CardSimulator;
import io.chukei.gateway.cardsim.CardSimulatorConfig;
import io.chukei.gateway.cli.ChukeiCommand;
import io.chukei.gateway.cluster.Json;
import io.chukei.gateway.pki.DevPki;
import io.chukei.gateway.tls.MunicipalityCodes;
import io.chukei.gateway.tls.PeerPolicy;
import io.chukei.gateway.tls.TlsContexts;
import io.chukei.protocol.client.Answer;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.client.Submission;
import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.Operation;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay node in its own JVM, the card-management simulator and {@code chukei reconcile}: a clean run reconciles with
 * no discrepancy; each record fault the simulator injects (admin HTTP) for N requests is found for exactly those N,
 * named, with nothing else — also when the node is killed with -9 in the middle of the run.
 * <p>
 * The clean run's size: {@code -Dchukei.reconcile.requests} (default 5,000 to stay near a minute on the shared build
 * machine; the issue's 100,000 is the ops run: bench/README.md, "Reconciliation").
 */
@Tag("system")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ReconcileSystemTest
{
    private static final String MUNICIPALITY = "131016";
    private static final int FAULTS = 4;
    private static final int BATCHES = 6;
    private static final int BATCH_SIZE = 25;
    private static final int SINGLES = 150;
    private static final Duration DEADLINE = Duration.ofSeconds(6);
    /**
     * The node's drain at a stop: the requests whose outcome a fault lost are still in flight when a test ends (the
     * node asks card management again until it learns the outcome), and the default 10 s drain waited for them in vain
     * at every close. Its journal is what reconcile reads, and it is complete before the stop.
     */
    private static final long DRAIN_MS = 500;

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int connectorPort;

    @Test
    void aCleanRunReconcilesWithNoDiscrepancy() throws Exception
    {
        final int requests = Integer.getInteger("chukei.reconcile.requests", 1_000) / 1000 * 1000;
        try (CardSimulator simulator = simulator(); NodeProcess node = new NodeProcess(nodeConfig(simulator), nodeData()).drainMs(DRAIN_MS).start();
             ConnectorClient client = connector(Duration.ofSeconds(60)))
        {
            final List<Submission> sent = new ArrayList<>();
            for (int i = 0; i < requests; i++)
            {
                final SubmitRequest.Builder request = SubmitRequest.builder(Operation.CARD_STATUS).cardId(String.format("%012d", i));
                sent.add(client.send((i % 2 == 0 ? request.batch(i / 1000, i / 2 % 500 + 1, 500) : request).build()));
                // A window of 100: more in flight from one municipality overflows the node's queue toward card
                // management (OVERLOADED, refused before acceptance), which is not what this test is about.
                if (sent.size() % 100 == 0)
                {
                    awaitAll(sent.subList(sent.size() - 100, sent.size()));
                }
            }
            awaitAll(sent);
            assertThat(sent).allSatisfy(s -> assertThat(s.answer().getNow(null)).isInstanceOf(Answer.Result.class));

            final Reconciled reconciled = reconcile(simulator);
            assertThat(reconciled.findings()).as(reconciled.stderr()).isEmpty();
            assertThat(reconciled.exit()).isZero();
            assertThat(reconciled.summary().get("requests").asLong()).isEqualTo(requests);
            assertThat(reconciled.summary().get("batches").asInt()).as("one complete batch of 500 per 1,000 requests")
                .isEqualTo(requests / 1000);
        }
    }

    @Test
    void everyRecordFaultIsFoundForExactlyTheRequestsItHit() throws Exception
    {
        try (CardSimulator simulator = simulator(); NodeProcess node = new NodeProcess(nodeConfig(simulator), nodeData()).drainMs(DRAIN_MS).start();
             ConnectorClient client = connector(Duration.ZERO))
        {
            warmUp(client);
            armFaults(simulator);
            final List<Submission> sent = sendMixedLoad(client, 0, SINGLES + BATCHES * BATCH_SIZE);
            awaitAll(sent);
            assertNoneRefusedBeforeAcceptance(sent);

            assertFindingsAreExactlyTheFaults(simulator, reconcile(simulator), false);
        }
    }

    @Test
    void aNodeKilledMidRunStillReconcilesToExactlyTheFaults() throws Exception
    {
        try (CardSimulator simulator = simulator(); NodeProcess node = new NodeProcess(nodeConfig(simulator), nodeData()).drainMs(DRAIN_MS).start();
             ConnectorClient client = connector(Duration.ZERO))
        {
            warmUp(client);
            armFaults(simulator);
            final int total = SINGLES + BATCHES * BATCH_SIZE;
            final List<Submission> sent = sendMixedLoad(client, 0, total / 2);
            awaitSomeAnswered(sent, total / 4);
            node.kill();
            node.start();
            // Sent once the node is back: a restart on a loaded machine can outlast these requests' deadlines.
            sent.addAll(sendMixedLoad(client, total / 2, total));
            awaitAll(sent);

            assertFindingsAreExactlyTheFaults(simulator, reconcile(simulator), true);
        }
    }

    /**
     * What reconcile names is what the simulator did: acknowledged without applying → SILENT_DROP; applied, Outcome lost
     * → APPLIED_NOT_ANSWERED; batch member dropped → no final answer (OUTCOME_UNKNOWN, or NO_FINAL_ANSWER when the kill
     * came before its deadline) and its batch BATCH_INCOMPLETE — every batch with a hit member, and no other finding.
     */
    private void assertFindingsAreExactlyTheFaults(final CardSimulator simulator, final Reconciled reconciled,
        final boolean killed) throws Exception
    {
        final List<String[]> affected = new ArrayList<>();
        for (final String line : get(simulator, "/record-faults/affected").split("\n"))
        {
            if (!line.isBlank())
            {
                affected.add(line.split(" "));
            }
        }
        assertThat(affected).as("requests the simulator hit").hasSize(3 * FAULTS);
        final Map<String, Set<String>> expected = new HashMap<>();
        final Set<String> hitBatches = new HashSet<>();
        for (final String[] hit : affected)
        {
            final Set<String> kinds = switch (hit[0])
            {
                case "ACK_WITHOUT_APPLY" -> Set.of("SILENT_DROP");
                case "LOSE_OUTCOME" -> Set.of("APPLIED_NOT_ANSWERED");
                case "DROP_BATCH_MEMBER" -> killed ? Set.of("OUTCOME_UNKNOWN", "NO_FINAL_ANSWER") : Set.of("OUTCOME_UNKNOWN");
                default -> throw new AssertionError("unknown fault " + hit[0]);
            };
            expected.put(hit[2], kinds);
            if (hit.length > 3)
            {
                hitBatches.add(hit[3]);
            }
        }
        final Map<String, String> requestFindings = new HashMap<>();
        final Set<String> batchFindings = new HashSet<>();
        for (final JsonNode finding : reconciled.findings())
        {
            assertThat(finding.get("municipality").asText()).isEqualTo(MUNICIPALITY);
            if (finding.get("requestId").isNull())
            {
                assertThat(finding.get("kind").asText()).isEqualTo("BATCH_INCOMPLETE");
                assertThat(batchFindings.add(finding.get("batchId").asText())).as("one finding per batch").isTrue();
            }
            else
            {
                assertThat(requestFindings.put(finding.get("requestId").asText(), finding.get("kind").asText()))
                    .as("one finding per request: %s", finding).isNull();
            }
        }
        assertThat(requestFindings.keySet()).as("requests named (stderr: %s)", reconciled.stderr())
            .containsExactlyInAnyOrderElementsOf(expected.keySet());
        requestFindings.forEach((id, kind) -> assertThat(expected.get(id)).as("kind for %s", id).contains(kind));
        assertThat(batchFindings).as("incomplete batches").containsExactlyInAnyOrderElementsOf(hitBatches);
        assertThat(reconciled.exit()).isEqualTo(1);
    }

    private void armFaults(final CardSimulator simulator) throws Exception
    {
        final HttpResponse<String> armed = http.send(HttpRequest.newBuilder(admin(simulator, "/record-faults?ackWithoutApply=" +
            FAULTS + "&loseOutcome=" + FAULTS + "&dropBatchMember=" + FAULTS)).POST(HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(armed.statusCode()).as(armed.body()).isEqualTo(200);
        assertThat(armed.body()).contains("\"loseOutcome\":{\"remaining\":" + FAULTS);
    }

    /**
     * Requests {@code from..to} of a run: singles, then batch members (batch ids 1..BATCHES), at most a window of 100
     * unanswered: a burst of all of them overflowed the node's queue toward card management, and the tail of the
     * last batch was refused OVERLOADED before acceptance — reconcile then rightly named that batch incomplete, a
     * finding of the test's load, not of a fault (seen at load ~1 and ~40). The window slides: a request a fault
     * keeps unanswered until its deadline holds one place, not the next hundred (waiting for each hundred to finish
     * made every fault's deadline a pause of the whole run, ~20 s of the test).
     */
    private static List<Submission> sendMixedLoad(final ConnectorClient client, final int from, final int to)
        throws Exception
    {
        final List<Submission> sent = new ArrayList<>();
        for (int i = from; i < to; i++)
        {
            awaitFewerUnanswered(sent, 100);
            final SubmitRequest.Builder request = SubmitRequest.builder(Operation.CARD_STATUS).cardId(String.format("%012d", i))
                .timeout(DEADLINE);
            if (i >= SINGLES)
            {
                final int member = i - SINGLES;
                request.batch(member / BATCH_SIZE + 1, member % BATCH_SIZE + 1, BATCH_SIZE);
            }
            sent.add(client.send(request.build()));
        }
        return sent;
    }

    /**
     * The load itself is within what the node takes: no request ended refused OVERLOADED or in the SDK's own
     * DEADLINE_EXCEEDED (resent after OVERLOADED until its deadline), either of which leaves a member never accepted
     * and its batch incomplete without any record fault.
     */
    private static void assertNoneRefusedBeforeAcceptance(final List<Submission> sent)
    {
        assertThat(sent.stream().map(s -> s.answer().getNow(null)).filter(answer -> answer instanceof Answer.Rejected rejected &&
            (rejected.code() == ErrorCode.OVERLOADED || rejected.code() == ErrorCode.DEADLINE_EXCEEDED && rejected.local())).toList())
            .as("answers that say the test's load, not a record fault, left a request unaccepted").isEmpty();
    }

    private static void warmUp(final ConnectorClient client) throws Exception
    {
        final Answer answer = client.send(SubmitRequest.builder(Operation.CARD_STATUS).cardId("999999999999")
            .timeout(Duration.ofSeconds(60)).build()).answer().get(90, TimeUnit.SECONDS);
        assertThat(answer).as("warm-up").isInstanceOf(Answer.Result.class);
    }

    private static void awaitAll(final List<Submission> submissions) throws Exception
    {
        for (final Submission submission : submissions)
        {
            submission.answer().get(180, TimeUnit.SECONDS);
        }
    }

    private static void awaitFewerUnanswered(final List<Submission> sent, final int window) throws Exception
    {
        final List<CompletableFuture<Answer>> unanswered = new ArrayList<>();
        for (final Submission submission : sent)
        {
            if (!submission.answer().isDone())
            {
                unanswered.add(submission.answer());
            }
        }
        while (unanswered.size() >= window)
        {
            CompletableFuture.anyOf(unanswered.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
            unanswered.removeIf(CompletableFuture::isDone);
        }
    }

    private static void awaitSomeAnswered(final List<Submission> submissions, final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            submissions.get(i).answer().get(120, TimeUnit.SECONDS);
        }
    }

    private record Reconciled(int exit, List<JsonNode> findings, JsonNode summary, String stderr)
    {
    }

    /** Today's export from the simulator's admin port, then {@code chukei reconcile --json} over the node's journal. */
    private Reconciled reconcile(final CardSimulator simulator) throws Exception
    {
        final Path export = dataDir.resolve("export.csv");
        Files.writeString(export, get(simulator, "/export"));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine command = ChukeiCommand.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        final int exit = command.execute("reconcile", "--date", LocalDate.now(ZoneOffset.UTC).toString(), "--journals",
            dataDir.resolve("node").toString(), "--upstream-ledger", export.toString(), "--json",
            "--work-dir", dataDir.toString());
        final JsonNode report = Json.tree(out.toString());
        final List<JsonNode> findings = new ArrayList<>();
        report.get("discrepancies").forEach(findings::add);
        return new Reconciled(exit, findings, report.get("summary"), err.toString());
    }

    private String get(final CardSimulator simulator, final String path) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(admin(simulator, path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private static URI admin(final CardSimulator simulator, final String path)
    {
        return URI.create("http://127.0.0.1:" + simulator.adminPort() + path);
    }

    private CardSimulator simulator() throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        return new CardSimulator(CardSimulatorConfig.builder()
            .port(0)
            .adminPort(0)
            .tls(pki.issueUpstream("cardsim"))
            .serviceTimeMs(1)
            .dataDirectory(dataDir.resolve("upstream"))
            .build()).start();
    }

    private Path nodeConfig(final CardSimulator simulator) throws Exception
    {
        connectorPort = NodeProcess.freePort();
        final Path config = dataDir.resolve("node.conf");
        Files.writeString(config, String.join("\n",
            "node.id=1",
            "connector.listen=127.0.0.1:" + connectorPort,
            "admin.listen=127.0.0.1:0",
            "upstream.endpoints=127.0.0.1:" + simulator.port(),
            "admission.rate.default=100000",
            "admission.burst.default=100000",
            ""));
        return config;
    }

    private Path nodeData() throws Exception
    {
        return TestProcesses.nodeDataWithPki(dataDir.resolve("pki"), dataDir.resolve("node"));
    }

    /** {@code outcomeUnknownWait} ZERO: the outcome-unknown answer at the deadline ends the request for the test. */
    private ConnectorClient connector(final Duration outcomeUnknownWait) throws Exception
    {
        final DevPki pki = DevPki.openOrCreate(dataDir.resolve("pki"), MunicipalityCodes::isValid);
        return ConnectorClient.builder()
            .nodes(List.of(new InetSocketAddress("127.0.0.1", connectorPort)))
            .sslContext(TlsContexts.client(pki.issueConnector(MUNICIPALITY), PeerPolicy.relayClient()))
            .municipalityCode(MUNICIPALITY)
            .connectorName("test/reconcile")
            .defaultTimeout(Duration.ofSeconds(60))
            .attemptTimeout(Duration.ofSeconds(10))
            .outcomeUnknownWait(outcomeUnknownWait)
            .build();
    }
}
