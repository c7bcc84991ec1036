package io.chukei.bench.cluster;

import io.chukei.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Promise 2 and 3 under each single fault, with real processes: three relay nodes, the
 * simulator with two endpoints, 50 municipalities' connectors under steady load. Each test
 * injects one fault to node 2 (or endpoint 0), keeps the load going through it, heals it, and
 * checks connectors vs journals vs ledger: every request exactly one final answer, every
 * answered request applied exactly once, nothing applied twice, nothing left unfinished.
 */
@Tag("system")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterFailoverSystemTest
{
    private static final int MUNICIPALITIES = 50;
    private static final double RATE_PER_SECOND = 100;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int FAULTY_NODE = 2;

    @TempDir
    Path directory;

    @Test
    void killNineOfOneNodeLosesNothingAndAppliesNothingTwice() throws Exception
    {
        try (FailoverRun run = startRun())
        {
            final long fault = injectUnderLoad(run, Fault.KILL, FAULTY_NODE);
            assertThat(run.awaitAnswered((int)run.answered() + 300, WAIT)).as("the others carry the load").isTrue();
            Fault.KILL.heal(run.cluster(), FAULTY_NODE);
            assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();

            finishAndCheck(run, fault, "kill -9 of node " + FAULTY_NODE);
        }
    }

    @Test
    void aStoppedNodeIsSuspectedAndItsWorkCompletesElsewhere() throws Exception
    {
        try (FailoverRun run = startRun())
        {
            final long fault = injectUnderLoad(run, Fault.PAUSE, FAULTY_NODE);
            final long detectedMs = run.cluster().awaitStateSeenBy(run.cluster().node(1), FAULTY_NODE, "SUSPECT", WAIT);
            assertThat(detectedMs).as("node 1 marks the stopped node SUSPECT").isNotNegative();
            System.out.printf("kill -STOP of node %d: SUSPECT in node 1's view after %d ms%n", FAULTY_NODE,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fault));
            assertThat(run.awaitAnswered((int)run.answered() + 300, WAIT)).as("the others carry the load").isTrue();

            Fault.PAUSE.heal(run.cluster(), FAULTY_NODE);
            assertThat(run.cluster().awaitStateSeenBy(run.cluster().node(1), FAULTY_NODE, "ACTIVE", WAIT))
                .as("the woken node rejoins once healthy").isNotNegative();
            assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();

            finishAndCheck(run, fault, "kill -STOP of node " + FAULTY_NODE);
        }
    }

    @Test
    void anIsolatedNodeTakesNoNewWorkFinishesWhatItHeldAndRejoinsOnRelease() throws Exception
    {
        try (FailoverRun run = startRun())
        {
            final long fault = injectUnderLoad(run, Fault.ISOLATE, FAULTY_NODE);
            assertThat(run.cluster().stateSeenBy(run.cluster().node(1), FAULTY_NODE)).contains("ISOLATED");
            assertThat(run.cluster().stateSeenBy(run.cluster().node(FAULTY_NODE), FAULTY_NODE)).contains("ISOLATED");
            assertThat(run.awaitAnswered((int)run.answered() + 300, WAIT)).as("the others carry the load").isTrue();
            await("the isolated node drains").atMost(WAIT)
                .until(() -> run.cluster().inFlight(run.cluster().node(FAULTY_NODE)).equals(Optional.of(0)));

            Fault.ISOLATE.heal(run.cluster(), FAULTY_NODE);
            assertThat(run.cluster().awaitStateSeenBy(run.cluster().node(1), FAULTY_NODE, "ACTIVE", WAIT)).isNotNegative();
            assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();

            finishAndCheck(run, fault, "chukei admin isolate " + FAULTY_NODE);
        }
    }

    @Test
    void aStalledUpstreamEndpointDelaysButLosesAndDuplicatesNothing() throws Exception
    {
        try (FailoverRun run = startRun())
        {
            final long fault = injectUnderLoad(run, Fault.UPSTREAM_STALL, 0);
            assertThat(run.awaitAnswered((int)run.answered() + 300, WAIT)).as("the other endpoint carries the load").isTrue();
            Fault.UPSTREAM_STALL.heal(run.cluster(), 0);
            assertThat(run.awaitAnswered((int)run.answered() + 100, WAIT)).isTrue();

            finishAndCheck(run, fault, "stall of card-management endpoint 0");
        }
    }

    private FailoverRun startRun() throws Exception
    {
        return FailoverRun.start(directory, LocalCluster.Settings.defaults(), MUNICIPALITIES, RATE_PER_SECOND,
            REQUEST_TIMEOUT, System.out);
    }

    /** Lets the load settle (200 answers), then injects the fault; returns when it was injected. */
    private static long injectUnderLoad(final FailoverRun run, final Fault fault, final int target) throws Exception
    {
        assertThat(run.awaitAnswered(200, WAIT)).as("warm-up answers before the fault").isTrue();
        final long at = System.nanoTime();
        fault.inject(run.cluster(), target);
        return at;
    }

    private static void finishAndCheck(final FailoverRun run, final long fault, final String what) throws Exception
    {
        final long unresolvedAtFault = run.load().sent().stream().filter(r -> r.unresolvedAt(fault)).count();
        final ConsistencyCheck.Report report = run.finish(WAIT, Set.<ErrorCode>of());
        System.out.printf("%s: %d requests, %d unresolved at the fault; the last of those answered %d ms after it%n%s",
            what, report.submitted(), unresolvedAtFault, run.lastAffectedMs(fault), report.table());
        assertThat(report.ok()).as(report.table()).isTrue();
        assertThat(report.results()).as("every request got a Result").isEqualTo(report.submitted());
    }
}
