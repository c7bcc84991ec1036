package io.chukei.bench.cluster;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SelfIsolationsTest
{
    private static final long S = 1_000_000_000L;
    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");
    /** The run's nanoTime 1,000 s is wall-clock T0. */
    private static final SelfIsolations.RunClock CLOCK = new SelfIsolations.RunClock(1_000 * S, T0);
    private static final List<FaultEvent> EVENTS = List.of(
        event(Fault.PAUSE, 2, 10, 15),
        event(Fault.DISK_FULL, 3, 40, 45),
        event(Fault.SLOW_UPSTREAM, 0, 60, 65));

    @Test
    void aPausedNodeWakingAndAFullJournalAreExplainedByTheirFaultOnThatNode()
    {
        final List<SelfIsolations.Isolation> isolations = SelfIsolations.classify(List.of(
            line(15.5, 2, "woke after a stall of 5000 ms"),
            line(41, 3, "journal disk full: cannot allocate 16777216 bytes ahead")), EVENTS, CLOCK);

        assertThat(isolations).extracting(SelfIsolations.Isolation::explainedBy)
            .containsExactly("PAUSE of node 2", "DISK_FULL of node 3");
        assertThat(isolations).noneMatch(SelfIsolations.Isolation::isFalse);
    }

    @Test
    void anIsolationOfAnotherNodeOrDuringAFaultThatCallsForNoneOrOutsideEveryWindowIsFalse()
    {
        final List<SelfIsolations.Isolation> isolations = SelfIsolations.classify(List.of(
            line(12, 1, "event-loop lag 600 ms (bound 500 ms)"),
            line(62, 2, "oldest unforwarded request waiting 5020 ms (bound 5000 ms)"),
            line(30, 2, "event-loop lag 700 ms (bound 500 ms)"),
            line(15 + SelfIsolations.AFTER_HEAL.toSeconds() + 1, 2, "event-loop lag 900 ms (bound 500 ms)")), EVENTS, CLOCK);

        assertThat(isolations).allMatch(SelfIsolations.Isolation::isFalse);
        assertThat(isolations).extracting(SelfIsolations.Isolation::during)
            .containsExactly("PAUSE of node 2", null, null, "SLOW_UPSTREAM of card management");
        assertThat(isolations.get(0).toString()).contains("node 1", "event-loop lag 600 ms", "FALSE; during PAUSE of node 2");
    }

    @Test
    void aPeersViewOfASelfIsolationAndOtherTransitionsAreNotCounted()
    {
        assertThat(SelfIsolations.classify(List.of(
            T0.plusSeconds(20) + " WARN  [Thread-7] i.c.g.c.ClusterView - Node 2 sees peer 3: ACTIVE -> ISOLATED " +
                "(self-isolated: woke after a stall of 4955 ms)",
            T0.plusSeconds(21) + " INFO  [chukei-loop-1-1] i.c.g.n.RelayNode - Node 2: ACTIVE -> ISOLATED operator " +
                "isolated: fault test"), EVENTS, CLOCK)).isEmpty();
    }

    private static FaultEvent event(final Fault fault, final int target, final long fromS, final long toS)
    {
        return new FaultEvent(fault, target, (1_000 + fromS) * S, (1_000 + fromS) * S, -1, (1_000 + toS) * S);
    }

    private static String line(final double atS, final int node, final String reason)
    {
        return T0.plusMillis((long)(atS * 1000)) + " INFO  [chukei-health] i.c.g.n.RelayNode - Node " + node +
            ": ACTIVE -> ISOLATED self-isolated: " + reason;
    }
}
