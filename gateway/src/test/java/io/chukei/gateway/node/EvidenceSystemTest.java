package io.chukei.gateway.node;

import io.chukei.gateway.evidence.EvidenceBundles;
import io.chukei.protocol.client.ConnectorClient;
import io.chukei.protocol.client.SubmitRequest;
import io.chukei.protocol.sbe.Operation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node records its own evidence (issue 14): an event loop blocked for 3 s under load, and the whole process
 * stopped for 3 s with SIGSTOP, each leave a bundle written by the node itself; the stopped node's peer writes
 * what it saw. Nodes run in their own JVMs (a real stop; JFR and the GC log as in production).
 */
@Tag("system")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EvidenceSystemTest
{
    private static final String MUNICIPALITY = "131016";
    /** A valid personal number (check digit) that must never be found in clear in a bundle. */
    private static final String PERSONAL_NUMBER = "123456789018";
    private static final String NAME_MARKER = "髙橋";
    private static final int MIN_INTERVAL_SECONDS = 30;

    @TempDir
    Path dataDir;

    /** An operator's HTTPS client of the nodes' dev PKI (the admin listener wants mutual TLS; faults need an operator). */
    private HttpClient http;

    @Test
    void aBlockedEventLoopUnderLoadLeavesABundleWithTheBlockedFrameARecordingAndNoPersonalNumber() throws Exception
    {
        final int[] ports = NodeFixtures.freePorts(2);
        final Path nodeData = dataDir.resolve("node");
        // A lag bound below the 3 s block and above most start-up lag of a loaded machine (500-700 ms at load 25; 1.5 s
        // seen too); a start-up bundle, if any, is awaited out of the rate limit before the block.
        // No start-up lag grace: the block may come within seconds of ready, and the grace would excuse it.
        final Path config = writeConfig("node.conf", 1, ports, 0, "health.maxEventLoopLagMs=1500\nhealth.startLagGraceMs=0\nevidence.minIntervalSeconds=" +
            MIN_INTERVAL_SECONDS + "\n");
        try (NodeProcess node = new NodeProcess(config, nodeData).start();
             ConnectorClient client = NodeFixtures.connector(nodeData, new InetSocketAddress("127.0.0.1", ports[0]), MUNICIPALITY))
        {
            http = AdminHttp.as(nodeData.resolve("pki"), io.chukei.gateway.pki.PeerRole.OPERATOR, AdminHttp.OPERATOR).client();
            final AtomicBoolean sending = new AtomicBoolean(true);
            final List<CompletableFuture<?>> answers = new ArrayList<>();
            final Thread load = new Thread(() -> sendUntilStopped(client, sending, answers), "test-load");
            load.start();
            try
            {
                await().atMost(Duration.ofSeconds(30)).until(() -> answered(answers) >= 50);
                // The recording starts on a thread of its own after the node is ready (seconds on a loaded machine).
                await().atMost(Duration.ofSeconds(60)).until(() -> metric(ports[1], "chukei_evidence_recording") == 1);
                // Out of the rate limit of any start-up bundle (a cold JVM on a loaded machine lags at start).
                await().atMost(Duration.ofSeconds(MIN_INTERVAL_SECONDS + 60)).until(() -> outOfRateLimit(nodeData));
                final String blockedAt = java.time.Instant.now().toString();
                assertThat(post(ports[1], "/faults/block-event-loop?ms=3000").statusCode()).isEqualTo(200);

                final Path bundle = awaitOrExplain(() -> newBundles(nodeData, "eventloop-lag", blockedAt),
                    found -> !found.isEmpty(), node).get(0);
                final String manifest = Files.readString(bundle.resolve("manifest.json"));
                assertThat(durationMs(manifest)).as("trigger to complete bundle, ms (issue 14: within 5 s of detection): %s", manifest)
                    .isLessThanOrEqualTo(5000);
                assertThat(blockedThread(bundle.resolve("threads.txt"))).as("the thread at the blocking frame")
                    .startsWith("\"chukei-loop-");
                assertThat(jfrSummary(bundle.resolve("recording.jfr"))).contains("jdk.ExecutionSample");
                assertThat(bundle.resolve("journal.txt")).content().contains("ACCEPTED");
                assertThat(bundle.resolve("stages.json")).content().contains("END_TO_END");
                assertThat(bundle.resolve("metrics.prom")).content().contains("chukei_health_eventloop_lag_seconds");
                assertThat(bundle.resolve("log.txt")).content().contains("Node unhealthy: event-loop lag");
                assertThat(bundle.resolve("os.txt")).content().contains("open files");
                assertNoPersonalDataIn(bundle);
                assertThat(nodeData.resolve("logs").resolve("gc.log")).exists();

                // A second block once healthy again: within evidence.minIntervalSeconds, counted, not written.
                await().atMost(Duration.ofSeconds(30)).until(() -> metric(ports[1], "chukei_health_unhealthy") == 0);
                assertThat(post(ports[1], "/faults/block-event-loop?ms=3000").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(30)).until(() -> metric(ports[1], "chukei_evidence_suppressed_total") >= 1);
                assertThat(newBundles(nodeData, "eventloop-lag", blockedAt)).hasSize(1);
            }
            finally
            {
                sending.set(false);
                load.join(10_000);
            }
            assertThat(node.log()).contains("Evidence bundle");
        }
        // The bundle's creation is journaled.
        final java.io.StringWriter trace = new java.io.StringWriter();
        io.chukei.gateway.cli.ChukeiCommand.commandLine().setOut(new java.io.PrintWriter(trace))
            .execute("evidence", "list", "--data", nodeData.toString());
        assertThat(trace.toString()).contains("eventloop-lag").contains("event-loop lag");
    }

    @Test
    void aStoppedNodeWritesItsBundleOnWakingAndItsPeerWritesWhatItSaw() throws Exception
    {
        final int[] ports = NodeFixtures.freePorts(4);
        final String cluster = "cluster.nodes=1@127.0.0.1:" + ports[0] + "/127.0.0.1:" + ports[1] + ",2@127.0.0.1:" +
            ports[2] + "/127.0.0.1:" + ports[3] + "\ncluster.probeIntervalMs=100\ncluster.probeTimeoutMs=500\n" +
            "evidence.minIntervalSeconds=0\n" +
            // One dev CA for both: peers probe each other over mutual TLS with their node certificates.
            "pki.dir=" + dataDir.resolve("pki") + "\n";
        final Path data1 = dataDir.resolve("node1");
        final Path data2 = dataDir.resolve("node2");
        try (NodeProcess node1 = new NodeProcess(writeConfig("node1.conf", 1, ports, 0, cluster), data1).start();
             NodeProcess node2 = new NodeProcess(writeConfig("node2.conf", 2, ports, 2, cluster), data2).start())
        {
            http = AdminHttp.as(dataDir.resolve("pki"), io.chukei.gateway.pki.PeerRole.OPERATOR, AdminHttp.OPERATOR).client();
            await().atMost(Duration.ofSeconds(60)).until(() -> metric(ports[3], "chukei_evidence_recording") == 1);
            // Both see each other ACTIVE before the fault: bundles from the start-up (a peer not yet up) are older.
            await().atMost(Duration.ofSeconds(30)).until(() -> get(ports[1], "/cluster").contains("\"id\":2") &&
                !get(ports[1], "/cluster").contains("SUSPECT"));
            final String stoppedAt = java.time.Instant.now().toString();
            node2.signal("STOP");
            try
            {
                awaitOrExplain(() -> newBundles(data1, "peer-suspect", stoppedAt), found -> !found.isEmpty(), node1);
            }
            finally
            {
                // 3 s at least, whatever the wait above took: the stall must exceed health.stallWakeMs (1 s).
                final long stoppedMs = java.time.Duration.between(java.time.Instant.parse(stoppedAt), java.time.Instant.now())
                    .toMillis();
                if (stoppedMs < 3000)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3000 - stoppedMs));
                }
                node2.signal("CONT");
            }
            final Path peerBundle = newBundles(data1, "peer-suspect", stoppedAt).get(0);
            assertThat(peerBundle.resolve("manifest.json")).content().contains("node 2 SUSPECT in the view of node 1");
            assertThat(peerBundle.resolve("cluster.json")).content().contains("\"probeHistory\"").contains("\"answered\":false");

            // Written on waking: named after whichever trigger came first (the stall, or the peer it lost meanwhile);
            // the others joined it.
            final Path ownBundle = awaitOrExplain(() -> bundles(data2, ""),
                found -> found.stream().anyMatch(EvidenceSystemTest::mentionsStall), node2)
                .stream().filter(EvidenceSystemTest::mentionsStall).findFirst().orElseThrow();
            assertThat(ownBundle.resolve("threads.txt")).content().contains("chukei-health");
            assertThat(jfrSummary(ownBundle.resolve("recording.jfr"))).contains("jdk.");
        }
    }

    private Path writeConfig(final String name, final int nodeId, final int[] ports, final int first, final String extra)
        throws IOException
    {
        final Path config = dataDir.resolve(name);
        Files.writeString(config, String.join("\n",
            "node.id=" + nodeId,
            "connector.listen=127.0.0.1:" + ports[first],
            "admin.listen=127.0.0.1:" + ports[first + 1],
            "cardsim.listen=127.0.0.1:0",
            "cardsim.adminListen=127.0.0.1:0",
            "admission.rate.default=100000",
            "admission.burst.default=100000",
            "faults.testSwitches=on",
            extra));
        return config;
    }

    private static void sendUntilStopped(final ConnectorClient client, final AtomicBoolean sending,
        final List<CompletableFuture<?>> answers)
    {
        int i = 0;
        while (sending.get())
        {
            final SubmitRequest request = SubmitRequest.builder(Operation.CERT_CHANGE).personalNumber(PERSONAL_NUMBER)
                .cardId(String.format("1234%08d", i++ % 100_000_000)).address("東京都千代田区千代田１－１" + NAME_MARKER)
                .build();
            final CompletableFuture<?> answer = client.submit(request);
            synchronized (answers)
            {
                answers.add(answer);
            }
            // About 200 requests/s: load, not a flood. Not a wait for anything: the send rate.
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** The header line of the thread whose stack holds the blocking frame; fails when no thread does. */
    private static String blockedThread(final Path threads) throws IOException
    {
        String header = null;
        for (final String line : Files.readAllLines(threads))
        {
            if (line.startsWith("\""))
            {
                header = line;
            }
            if (line.contains("io.chukei.gateway.evidence.BlockingFault.blockEventLoop"))
            {
                return header;
            }
        }
        throw new AssertionError("no thread at BlockingFault.blockEventLoop in " + threads + ":\n" + Files.readString(threads));
    }

    private static long answered(final List<CompletableFuture<?>> answers)
    {
        synchronized (answers)
        {
            return answers.stream().filter(CompletableFuture::isDone).count();
        }
    }

    /** Awaits the bundles for 60 s; on time-out, fails with the node's log (WARN and above) to say why. */
    private static List<Path> awaitOrExplain(final java.util.concurrent.Callable<List<Path>> bundles,
        final java.util.function.Predicate<List<Path>> done, final NodeProcess node) throws IOException
    {
        try
        {
            return await().atMost(Duration.ofSeconds(60)).until(bundles, done::test);
        }
        catch (final org.awaitility.core.ConditionTimeoutException ex)
        {
            throw new AssertionError(ex.getMessage() + "\nnode log:\n" + node.log(), ex);
        }
    }

    private static List<Path> bundles(final Path data, final String trigger) throws IOException
    {
        return EvidenceBundles.list(data.resolve("evidence")).stream()
            .filter(bundle -> trigger.isEmpty() || bundle.getFileName().toString().endsWith("-" + trigger)).toList();
    }

    /** Bundles of {@code trigger} triggered at or after {@code isoInstant} (their manifest says when). */
    private static List<Path> newBundles(final Path data, final String trigger, final String isoInstant) throws IOException
    {
        final List<Path> found = new ArrayList<>();
        for (final Path bundle : bundles(data, trigger))
        {
            final String triggeredAt = io.chukei.gateway.cluster.Json.tree(Files.readString(bundle.resolve("manifest.json")))
                .path("triggeredAt").asText();
            if (java.time.Instant.parse(triggeredAt).compareTo(java.time.Instant.parse(isoInstant)) >= 0)
            {
                found.add(bundle);
            }
        }
        return found;
    }

    /** No bundle is being written, and the newest one was triggered more than the rate limit's interval ago. */
    private static boolean outOfRateLimit(final Path data) throws IOException
    {
        final Path evidence = data.resolve("evidence");
        if (Files.isDirectory(evidence))
        {
            try (Stream<Path> entries = Files.list(evidence))
            {
                if (entries.anyMatch(entry -> entry.getFileName().toString().endsWith(".partial")))
                {
                    return false;
                }
            }
        }
        for (final Path bundle : EvidenceBundles.list(evidence))
        {
            final String triggeredAt = io.chukei.gateway.cluster.Json.tree(Files.readString(bundle.resolve("manifest.json")))
                .path("triggeredAt").asText();
            if (java.time.Instant.parse(triggeredAt).plusSeconds(MIN_INTERVAL_SECONDS + 1).isAfter(java.time.Instant.now()))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The bundle tells of the test's stop: its manifest (trigger or a trigger that joined it) says the node woke after a
     * stall of at least 2.5 s, which a loaded machine's start-up hiccups (1-2 s seen) do not reach.
     */
    private static boolean mentionsStall(final Path bundle)
    {
        try
        {
            final java.util.regex.Matcher stall = java.util.regex.Pattern.compile("woke after a stall of (\\d+) ms")
                .matcher(Files.readString(bundle.resolve("manifest.json")));
            while (stall.find())
            {
                if (Long.parseLong(stall.group(1)) >= 2500)
                {
                    return true;
                }
            }
            return false;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static long durationMs(final String manifest)
    {
        return io.chukei.gateway.cluster.Json.tree(manifest).path("durationMs").asLong(Long.MAX_VALUE);
    }

    /** The JDK's own {@code jfr summary}: the recording opens with the JDK's tool. */
    private static String jfrSummary(final Path recording) throws IOException, InterruptedException
    {
        final Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        final Process process = new ProcessBuilder(jfr.toString(), "summary", recording.toString()).redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("jfr summary %s:%n%s", recording, output).isZero();
        return output;
    }

    /** Every file of the bundle, as bytes: neither the personal number nor the name appears (UTF-8). */
    private static void assertNoPersonalDataIn(final Path bundle) throws IOException
    {
        final byte[] number = PERSONAL_NUMBER.getBytes(StandardCharsets.US_ASCII);
        final byte[] name = NAME_MARKER.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(bundle))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                final byte[] content = Files.readAllBytes(file);
                assertThat(indexOf(content, number)).as("personal number in %s", file).isEqualTo(-1);
                assertThat(indexOf(content, name)).as("name in %s", file).isEqualTo(-1);
            }
        }
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private HttpResponse<String> post(final int adminPort, final String path) throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(adminUri(adminPort, path))
            .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(final int adminPort, final String path)
    {
        try
        {
            return http.send(HttpRequest.newBuilder(adminUri(adminPort, path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (final IOException ex)
        {
            return "";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static URI adminUri(final int adminPort, final String path)
    {
        return io.chukei.gateway.tls.AdminHttpClients.uri(new io.chukei.gateway.config.HostPort("127.0.0.1", adminPort), path);
    }

    /** A metric's value from the node's /metrics (the first series named {@code name}, any labels); -1 when absent. */
    private double metric(final int adminPort, final String name)
    {
        for (final String line : get(adminPort, "/metrics").split("\n"))
        {
            if (line.startsWith(name + " ") || line.startsWith(name + "{"))
            {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
