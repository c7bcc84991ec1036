package io.chukei.bench.cluster;

import io.chukei.bench.netlab.NetworkLab;
import io.chukei.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real network faults (issue 18, item 3): three relay nodes, each in a network namespace of its own
 * ({@link NetworkLab}), the simulator with two endpoints and the connectors in this process, steady
 * load, one fault on node 2's links at a time (nft drop rules, random drops, a one-way block, tbf
 * shaping), healed, then the consistency check: nothing lost, duplicated, unexpected or unfinished.
 * One lab, cluster and load serve every case (starting three nodes costs more than a case): each case
 * ends with a checkpoint, the check over every request sent so far while the cluster keeps running.
 * Fails, never skips, where namespaces or nft are not available (NetworkLab says which is missing).
 */
@Tag("network")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkFaultSystemTest
{
    private static final int MUNICIPALITIES = 30;
    private static final double RATE_PER_SECOND = 60;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int NODE = 2;
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"");

    /** Static: the one cluster of the class lives in it, and @BeforeAll needs it (an instance field is injected later). */
    @TempDir
    static Path directory;

    private NetworkLab lab;
    private FailoverRun run;

    @BeforeAll
    void startClusterInLab() throws Exception
    {
        lab = NetworkLab.create(3);
        run = FailoverRun.start(directory, LocalCluster.Settings.defaults(), lab, MUNICIPALITIES, RATE_PER_SECOND,
            REQUEST_TIMEOUT, System.out);
    }

    @AfterAll
    void stopClusterAndRemoveLab() throws Exception
    {
        try
        {
            if (run != null)
            {
                run.close();
            }
        }
        finally
        {
            lab.close();
        }
    }

    /** A case that failed before its heal must not leave its rules to the next one. */
    @AfterEach
    void healNode() throws Exception
    {
        lab.heal(NODE);
    }

    @Test
    @Order(1)
    void connectorsCutOffFromTheirNodeMoveToAnotherAndLoseNothing() throws Exception
    {
        final long fault = injectUnderLoad(run, Fault.PARTITION_CONNECTORS);
        final long detectedMs = msUntil(fault, () -> run.connections().openSessions() < MUNICIPALITIES);
        final long servedMs = msUntil(fault, () -> run.connections().openSessions() == MUNICIPALITIES);
        assertThat(run.awaitAnswered((int)run.answered() + 300, WAIT)).as("the other nodes serve everyone").isTrue();
        await("nobody is left on the cut-off node").atMost(WAIT)
            .until(() -> sessionsOn(run.cluster().node(NODE)).equals(Optional.of(0.0)));

        Fault.PARTITION_CONNECTORS.heal(run.cluster(), NODE);
        assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();
        finishAndCheck(run, fault, "connector link of node " + NODE + " cut: sessions lost after " + detectedMs +
            " ms, every connector in session again after " + servedMs + " ms");
    }

    @Test
    @Order(2)
    void aNodeCutOffFromOneEndpointRetriesOnTheOtherAndTakesItOutOfService() throws Exception
    {
        final ClusterNode node = run.cluster().node(NODE);
        final double ejectionsBefore = metric(node, "chukei_upstream_ejections_total").orElseThrow();
        final long fault = injectUnderLoad(run, Fault.PARTITION_UPSTREAM);
        final String outMs = msUntilOutOfService(node, ejectionsBefore, fault);
        assertThat(run.awaitAnswered((int)run.answered() + 300, WAIT)).as("the other endpoint carries the load").isTrue();
        assertThat(stateOf(node)).as("a lost endpoint is no reason to isolate").contains("ACTIVE");

        Fault.PARTITION_UPSTREAM.heal(run.cluster(), NODE);
        assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();
        finishAndCheck(run, fault, "node " + NODE + " cut from endpoint 0: " + outMs);
    }

    @Test
    @Order(3)
    void packetLossOnTheConnectorLinkDelaysButLosesNothing() throws Exception
    {
        final long fault = injectUnderLoad(run, Fault.LOSS_CONNECTORS);
        lab.heal(NODE);
        final int port = run.cluster().node(NODE).connector().getPort();
        for (final int percent : new int[] {5, 30})
        {
            final long reconnectsBefore = reconnects(run);
            lab.lossOnLocalPort(NODE, port, percent);
            assertThat(run.awaitAnswered((int)run.answered() + 300, WAIT)).as("requests complete at " + percent + " % loss")
                .isTrue();
            System.out.printf("%d %% loss on node %d's connector link: %d reconnects%n", percent, NODE,
                reconnects(run) - reconnectsBefore);
            lab.heal(NODE);
        }
        assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();
        finishAndCheck(run, fault, "5 % then 30 % loss on node " + NODE + "'s connector link");
    }

    @Test
    @Order(4)
    void packetLossOnTheUpstreamLinkDelaysButLosesNothing() throws Exception
    {
        final long fault = injectUnderLoad(run, Fault.LOSS_UPSTREAM);
        lab.heal(NODE);
        for (final int percent : new int[] {5, 30})
        {
            for (final java.net.InetSocketAddress endpoint : run.cluster().simulator().upstreamAddresses())
            {
                lab.lossToRemote(NODE, endpoint.getHostString(), endpoint.getPort(), percent);
            }
            assertThat(run.awaitAnswered((int)run.answered() + 300, WAIT)).as("requests complete at " + percent + " % loss")
                .isTrue();
            System.out.printf("%d %% loss on node %d's upstream links: node state %s%n", percent, NODE,
                stateOf(run.cluster().node(NODE)).orElse("?"));
            lab.heal(NODE);
        }
        assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();
        finishAndCheck(run, fault, "5 % then 30 % loss on node " + NODE + "'s upstream links");
    }

    @Test
    @Order(5)
    void aOneWayPartitionBetweenTwoNodesIsolatesNeitherAndConnectorsStayServed() throws Exception
    {
        final LocalCluster cluster = run.cluster();
        final int other = NODE % 3 + 1;
        final long fault = injectUnderLoad(run, Fault.PEER_ONE_WAY);
        final long suspectedMs = cluster.awaitStateSeenBy(cluster.node(other), NODE, "SUSPECT", WAIT);
        assertThat(suspectedMs).as("node %d, whose probes fail, suspects node %d", other, NODE).isNotNegative();
        final int answeredBefore = (int)run.answered();
        await("the views disagree, and nobody is isolated, for 5 s").during(Duration.ofSeconds(5)).atMost(WAIT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> cluster.stateSeenBy(cluster.node(NODE), other).equals(Optional.of("ACTIVE")) &&
                cluster.nodes().stream().allMatch(n -> stateOf(n).equals(Optional.of("ACTIVE"))));
        assertThat(run.answered()).as("connectors kept being served").isGreaterThan(answeredBefore + 100);

        Fault.PEER_ONE_WAY.heal(cluster, NODE);
        final long rejoinedMs = cluster.awaitStateSeenBy(cluster.node(other), NODE, "ACTIVE", WAIT);
        assertThat(rejoinedMs).isNotNegative();
        assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();
        finishAndCheck(run, fault, "node " + other + " cannot reach node " + NODE + "'s admin port: SUSPECT in its view after " +
            suspectedMs + " ms, ACTIVE again " + rejoinedMs + " ms after healing");
    }

    @Test
    @Order(6)
    void anEndpointThatReadsSlowlyDelaysButLosesNothing() throws Exception
    {
        final ClusterNode node = run.cluster().node(NODE);
        final double ejectionsBefore = metric(node, "chukei_upstream_ejections_total").orElseThrow();
        final long fault = injectUnderLoad(run, Fault.SLOW_READING_ENDPOINT);
        final String outMs = msUntilOutOfService(node, ejectionsBefore, fault);
        assertThat(run.awaitAnswered((int)run.answered() + 300, WAIT)).as("the other endpoint carries the load").isTrue();
        assertThat(stateOf(node)).as("a slow endpoint is no reason to isolate").contains("ACTIVE");

        Fault.SLOW_READING_ENDPOINT.heal(run.cluster(), NODE);
        assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();
        finishAndCheck(run, fault, "node " + NODE + "'s traffic to endpoint 0 at " + Fault.SLOW_BYTES_PER_SECOND +
            " B/s: " + outMs);
    }

    /** Lets the load settle (150 answers), then injects the fault into node 2; returns when it was injected. */
    private static long injectUnderLoad(final FailoverRun run, final Fault fault) throws Exception
    {
        assertThat(run.awaitAnswered((int)run.answered() + 150, WAIT)).as("warm-up answers before the fault").isTrue();
        final long at = System.nanoTime();
        fault.inject(run.cluster(), NODE);
        return at;
    }

    /** Milliseconds from {@code since} until the condition holds (polled every 10 ms, up to {@link #WAIT}). */
    private static long msUntil(final long since, final BooleanSupplier condition)
    {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /**
     * Waits until the node no longer forwards to endpoint 0: its link there is down (the endpoint unhealthy: a
     * partition or a stalled link misses its heartbeats) or the endpoint is ejected (failed attempts, latency outlier;
     * the counter, not the ejected-now gauge: a first ejection lasts 2 s, shorter than a scrape may take here). Says
     * which, and after how many ms from {@code fault}; on a timeout the failure shows the node's upstream meters and log.
     */
    private String msUntilOutOfService(final ClusterNode node, final double ejectionsBefore, final long fault) throws Exception
    {
        final java.net.InetSocketAddress endpoint = run.cluster().simulator().upstreamAddresses().get(0);
        final Pattern healthy = Pattern.compile("(?m)^chukei_upstream_endpoint_healthy\\{endpoint=\"" +
            Pattern.quote(endpoint.getHostString() + ":" + endpoint.getPort()) + "\"[^}]*\\} (\\S+)$");
        try
        {
            final String[] how = new String[1];
            final long ms = msUntil(fault, () -> node.adminGet("/metrics").map(text ->
            {
                final Matcher matcher = healthy.matcher(text);
                if (matcher.find() && Double.parseDouble(matcher.group(1)) == 0)
                {
                    how[0] = "endpoint 0 unhealthy (link down)";
                }
                else if (metric(text, "chukei_upstream_ejections_total") > ejectionsBefore)
                {
                    how[0] = "endpoint 0 ejected";
                }
                return how[0] != null;
            }).orElse(false));
            return how[0] + " after " + ms + " ms";
        }
        catch (final org.awaitility.core.ConditionTimeoutException ex)
        {
            final String upstream = node.adminGet("/metrics").map(text -> text.lines()
                .filter(line -> line.startsWith("chukei_upstream_") && !line.startsWith("chukei_upstream_latency"))
                .collect(java.util.stream.Collectors.joining("\n"))).orElse("(no /metrics)");
            throw new AssertionError("endpoint 0 neither down nor ejected within " + WAIT + "; node " + NODE + "'s upstream meters:\n" + upstream +
                "\nits log:\n" + node.logTail(), ex);
        }
    }

    private static long reconnects(final FailoverRun run)
    {
        return run.connections().clients().stream().mapToLong(c -> c.stats().reconnects()).sum();
    }

    private static Optional<String> stateOf(final ClusterNode node)
    {
        return node.adminGet("/cluster/self").map(STATE::matcher).filter(Matcher::find).map(m -> m.group(1));
    }

    private static Optional<Double> sessionsOn(final ClusterNode node)
    {
        return metric(node, "chukei_connections");
    }

    /** The sum over all label sets of a Prometheus metric on the node's /metrics; empty when it does not answer. */
    private static Optional<Double> metric(final ClusterNode node, final String name)
    {
        return node.adminGet("/metrics").map(text -> metric(text, name));
    }

    /** The sum over all label sets of a Prometheus metric in a /metrics text. */
    private static double metric(final String text, final String name)
    {
        final Pattern line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$");
        double sum = 0;
        final Matcher matcher = line.matcher(text);
        while (matcher.find())
        {
            sum += Double.parseDouble(matcher.group(2));
        }
        return sum;
    }

    private static void finishAndCheck(final FailoverRun run, final long fault, final String what) throws Exception
    {
        // This case's load: the checkpoint starts a new one, and run.lastAffectedMs would look at that.
        final SteadyLoad load = run.load();
        final ConsistencyCheck.Report report = run.checkpoint(WAIT, Set.<ErrorCode>of());
        final List<SentRequest> affected = load.sent().stream().filter(r -> r.unresolvedAt(fault)).toList();
        final long lastMs = TimeUnit.NANOSECONDS.toMillis(affected.stream().filter(SentRequest::answered)
            .mapToLong(SentRequest::answeredNanos).max().orElse(fault) - fault);
        System.out.printf("%s; %d requests, %d unresolved at the fault, the last of those answered %d ms after it%n%s",
            what, report.submitted(), affected.size(), lastMs, report.table());
        assertThat(report.ok()).as(report.table()).isTrue();
        assertThat(report.results()).as("every request got a Result").isEqualTo(report.submitted());
    }
}
