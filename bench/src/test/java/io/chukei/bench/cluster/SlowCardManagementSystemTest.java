package io.chukei.bench.cluster;

import io.chukei.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18, item 5 (a drill finding): with card management answering 300 ms slower, a node isolated itself because
 * its oldest unforwarded request waited past {@code health.maxForwardAgeMs} — behind an upstream window card
 * management kept full. Every node sees the same slowness; none may isolate itself for it. Three real nodes under
 * load, the forward-age bound lowered to 1 s so the trap is sprung within the test (the drill's was 5 s): over 20 s of
 * slow card management no node's health verdict (its log's "Node unhealthy: REASON" lines) names the forward age,
 * while the slowness did reach the bound (the excused-checks counter moved); then a real stall, an event loop
 * blocked for 3 s, still isolates its node, which rejoins afterwards. At the end connectors vs journals vs ledger:
 * 0 / 0 / 0 / 0.
 * <p>A verdict for event-loop lag or a stall during the period is printed, not failed: it is the host starving a
 * node (CI saw nodes 2 and 3 out of ACTIVE for about 2.5 s each, reason not recorded; a run here at load 40 woke
 * after a 20 s stall), which those checks exist to catch. Earlier forms failed on any node seen out of ACTIVE and so failed for the host's load.
 */
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SlowCardManagementSystemTest
{
    private static final int MUNICIPALITIES = 50;
    private static final double RATE_PER_SECOND = 120;
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** 20 times the lowered forward-age bound: a run of 40 s excused 87 checks, 20 s leaves dozens (mvn verify's time). */
    private static final Duration SLOW_PERIOD = Duration.ofSeconds(20);
    private static final int STUCK_NODE = 2;
    private static final long POLL_MS = 200;
    /** HealthLog's line for every failing verdict, with its reason. */
    private static final String UNHEALTHY = "Node unhealthy: ";
    private static final Pattern EXCUSED =
        Pattern.compile("(?m)^chukei_health_forward_age_excused_total(?:\\{[^}]*})? (\\S+)");

    @TempDir
    Path directory;

    @Test
    void slowCardManagementIsolatesNoNodeWhileABlockedEventLoopStillDoes() throws Exception
    {
        final LocalCluster.Settings settings = LocalCluster.Settings.defaults()
            .withNodeSettings(Map.of("health.maxForwardAgeMs", "1000", "faults.testSwitches", "on"));
        try (FailoverRun run = FailoverRun.start(directory, settings, MUNICIPALITIES, RATE_PER_SECOND,
            Duration.ofSeconds(30), System.out))
        {
            final LocalCluster cluster = run.cluster();
            assertThat(run.awaitAnswered(200, WAIT)).as("warm-up answers before the fault").isTrue();

            final Map<Integer, Integer> verdictsBefore = verdictCounts(cluster);
            Fault.SLOW_UPSTREAM.inject(cluster, 0);
            final List<String> leftActive = new ArrayList<>();
            final long slowStart = System.nanoTime();
            while (System.nanoTime() - slowStart < SLOW_PERIOD.toNanos())
            {
                noteNodesNotActive(cluster, leftActive, slowStart);
                TimeUnit.MILLISECONDS.sleep(POLL_MS);
            }
            final Map<Integer, List<String>> verdicts = verdictsSince(cluster, verdictsBefore);
            System.out.printf("while card management was slow: nodes seen not ACTIVE %s; their health verdicts %s%n",
                leftActive, verdicts);
            // What issue 18 item 5 forbids: a node isolating itself for the forward age slow card management causes.
            // Another verdict (event-loop lag, a stall) is the host starving a node, which these checks exist to catch.
            assertThat(verdicts.values().stream().flatMap(List::stream))
                .as("health verdicts while card management was slow (nodes seen not ACTIVE: %s)", leftActive)
                .noneMatch(verdict -> verdict.contains("unforwarded"));
            final double excused = cluster.nodes().stream().mapToDouble(SlowCardManagementSystemTest::excusedChecks).sum();
            System.out.printf("card management %d ms slower for %d s: no node isolated itself for it; %.0f health checks found the " +
                "forward age over 1000 ms behind a full upstream window and excused it%n", Fault.SLOW_UPSTREAM_MS,
                SLOW_PERIOD.toSeconds(), excused);
            assertThat(excused).as("the slowness did push queued requests past the bound (else this test proves nothing)")
                .isPositive();
            Fault.SLOW_UPSTREAM.heal(cluster, 0);

            final ClusterNode stuck = cluster.node(STUCK_NODE);
            final long blocked = System.nanoTime();
            stuck.adminPost("/faults/block-event-loop?ms=3000");
            final long isolatedMs = cluster.awaitStateSeenBy(cluster.node(1), STUCK_NODE, "ISOLATED", WAIT);
            assertThat(isolatedMs).as("a blocked event loop still isolates its node").isNotNegative();
            final long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - blocked);
            assertThat(cluster.awaitStateSeenBy(cluster.node(1), STUCK_NODE, "ACTIVE", WAIT))
                .as("and it rejoins once healthy again").isNotNegative();
            final long rejoinedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - blocked);
            assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();

            final ConsistencyCheck.Report report = run.finish(WAIT, Set.<ErrorCode>of());
            System.out.printf("event loop of node %d blocked 3000 ms: ISOLATED in node 1's view %d ms after the block " +
                "began, ACTIVE again %d ms after it began%n%s", STUCK_NODE, detectedMs, rejoinedMs, report.table());
            assertThat(report.ok()).as(report.table()).isTrue();
        }
    }

    /** Notes every node not ACTIVE in its own view, with the milliseconds since {@code sinceNanos}. */
    private static void noteNodesNotActive(final LocalCluster cluster, final List<String> notActive, final long sinceNanos)
    {
        for (final ClusterNode node : cluster.nodes())
        {
            final String state = cluster.stateSeenBy(node, node.id()).orElse("NO ANSWER");
            if (!"ACTIVE".equals(state))
            {
                notActive.add("node " + node.id() + " " + state + " at +" +
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos) + " ms");
            }
        }
    }

    /** How many "Node unhealthy: REASON" lines each node has logged so far. */
    private static Map<Integer, Integer> verdictCounts(final LocalCluster cluster) throws java.io.IOException
    {
        final Map<Integer, Integer> counts = new java.util.TreeMap<>();
        for (final ClusterNode node : cluster.nodes())
        {
            counts.put(node.id(), node.logLinesContaining(UNHEALTHY).size());
        }
        return counts;
    }

    /** Each node's "Node unhealthy: REASON" lines logged after {@code before}'s counts: why a node left ACTIVE. */
    private static Map<Integer, List<String>> verdictsSince(final LocalCluster cluster, final Map<Integer, Integer> before)
        throws java.io.IOException
    {
        final Map<Integer, List<String>> verdicts = new java.util.TreeMap<>();
        for (final ClusterNode node : cluster.nodes())
        {
            final List<String> lines = node.logLinesContaining(UNHEALTHY);
            verdicts.put(node.id(), lines.subList(Math.min(lines.size(), before.get(node.id())), lines.size()));
        }
        return verdicts;
    }

    private static double excusedChecks(final ClusterNode node)
    {
        return node.adminGet("/metrics").map(EXCUSED::matcher).filter(Matcher::find)
            .map(m -> Double.parseDouble(m.group(1))).orElse(0.0);
    }
}
