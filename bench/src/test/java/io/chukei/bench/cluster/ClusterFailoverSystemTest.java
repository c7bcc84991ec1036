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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Promise 2 and 3 under each single fault, with real processes: three relay nodes, the
 * simulator with two endpoints, 50 municipalities' connectors under steady load. One fault at a
 * time, each healed and the cluster back to all ACTIVE before the next — kill -9 of node 2,
 * kill -STOP of node 2, an operator's isolate of node 2, a stall of card-management endpoint 0 —
 * with the load going through all of them; then connectors vs journals vs ledger: every request
 * exactly one final answer, every answered request applied exactly once, nothing applied twice,
 * nothing left unfinished. One cluster for the four faults, as in {@code ops/chukei soak}:
 * starting and checking a cluster per fault cost 30 s each of the verify budget and proved no more.
 */
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterFailoverSystemTest
{
    private static final int MUNICIPALITIES = 50;
    private static final double RATE_PER_SECOND = 100;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int FAULTY_NODE = 2;
    private static final int CARRIED_THROUGH_FAULT = 300;
    private static final int AFTER_HEALING = 100;

    @TempDir
    Path directory;

    @Test
    void eachSingleFaultInTurnLosesNothingAndAppliesNothingTwice() throws Exception
    {
        try (FailoverRun run = FailoverRun.start(directory, LocalCluster.Settings.defaults(), MUNICIPALITIES,
            RATE_PER_SECOND, REQUEST_TIMEOUT, System.out))
        {
            assertThat(run.awaitAnswered(200, WAIT)).as("warm-up answers before the first fault").isTrue();
            final List<String> impacts = new ArrayList<>();

            impacts.add(killNine(run));
            impacts.add(stop(run));
            impacts.add(isolate(run));
            impacts.add(upstreamStall(run));

            final ConsistencyCheck.Report report = run.finish(WAIT, Set.<ErrorCode>of());
            System.out.printf("%s%n%s", String.join("\n", impacts), report.table());
            assertThat(report.ok()).as(report.table()).isTrue();
            assertThat(report.results()).as("every request got a Result").isEqualTo(report.submitted());
        }
    }

    private static String killNine(final FailoverRun run) throws Exception
    {
        final long fault = inject(run, Fault.KILL, FAULTY_NODE);
        carriedByTheOthers(run);
        Fault.KILL.heal(run.cluster(), FAULTY_NODE);
        backToActive(run);
        return impact(run, fault, "kill -9 of node " + FAULTY_NODE);
    }

    private static String stop(final FailoverRun run) throws Exception
    {
        final long fault = inject(run, Fault.PAUSE, FAULTY_NODE);
        final long detectedMs = run.cluster().awaitStateSeenBy(run.cluster().node(1), FAULTY_NODE, "SUSPECT", WAIT);
        assertThat(detectedMs).as("node 1 marks the stopped node SUSPECT").isNotNegative();
        System.out.printf("kill -STOP of node %d: SUSPECT in node 1's view after %d ms%n", FAULTY_NODE,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fault));
        carriedByTheOthers(run);
        Fault.PAUSE.heal(run.cluster(), FAULTY_NODE);
        backToActive(run);
        return impact(run, fault, "kill -STOP of node " + FAULTY_NODE);
    }

    private static String isolate(final FailoverRun run) throws Exception
    {
        final long fault = inject(run, Fault.ISOLATE, FAULTY_NODE);
        assertThat(run.cluster().stateSeenBy(run.cluster().node(1), FAULTY_NODE)).contains("ISOLATED");
        assertThat(run.cluster().stateSeenBy(run.cluster().node(FAULTY_NODE), FAULTY_NODE)).contains("ISOLATED");
        carriedByTheOthers(run);
        await("the isolated node drains").atMost(WAIT)
            .until(() -> run.cluster().inFlight(run.cluster().node(FAULTY_NODE)).equals(Optional.of(0)));
        Fault.ISOLATE.heal(run.cluster(), FAULTY_NODE);
        backToActive(run);
        return impact(run, fault, "chukei admin isolate " + FAULTY_NODE);
    }

    private static String upstreamStall(final FailoverRun run) throws Exception
    {
        final long fault = inject(run, Fault.UPSTREAM_STALL, 0);
        carriedByTheOthers(run);
        Fault.UPSTREAM_STALL.heal(run.cluster(), 0);
        assertThat(run.awaitAnswered((int)run.answered() + AFTER_HEALING, WAIT)).isTrue();
        return impact(run, fault, "stall of card-management endpoint 0");
    }

    private static long inject(final FailoverRun run, final Fault fault, final int target) throws Exception
    {
        final long at = System.nanoTime();
        fault.inject(run.cluster(), target);
        return at;
    }

    private static void carriedByTheOthers(final FailoverRun run) throws InterruptedException
    {
        assertThat(run.awaitAnswered((int)run.answered() + CARRIED_THROUGH_FAULT, WAIT))
            .as("the others carry the load").isTrue();
    }

    /** The healed node is ACTIVE in node 1's view and answers flow again: the next fault starts from a whole cluster. */
    private static void backToActive(final FailoverRun run) throws InterruptedException
    {
        assertThat(run.cluster().awaitStateSeenBy(run.cluster().node(1), FAULTY_NODE, "ACTIVE", WAIT))
            .as("node %d rejoins once healthy", FAULTY_NODE).isNotNegative();
        assertThat(run.awaitAnswered((int)run.answered() + AFTER_HEALING, WAIT)).isTrue();
    }

    private static String impact(final FailoverRun run, final long fault, final String what)
    {
        final long unresolvedAtFault = run.load().sent().stream().filter(r -> r.unresolvedAt(fault)).count();
        return String.format("%s: %d requests unresolved at the fault; the last of those answered %d ms after it",
            what, unresolvedAtFault, run.lastAffectedMs(fault));
    }
}
